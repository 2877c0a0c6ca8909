namespace Breachline.Tests;

/// <summary>Paths of the committed fixtures, as copied to the test output.</summary>
public static class Fixtures
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);
}

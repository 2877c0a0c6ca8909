using Breachline.Common;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Sample;

public sealed class SampleCommandTests
{
    [Fact]
    public async Task Sample_writes_an_org_and_reports_it_as_json()
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync("sample", "--out", dir.Combine("org"), "--students", "40", "--days", "5", "--scenario", "guest-exposure", "--seed", "9", "--format", "json");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("\"scenario\": \"guest-exposure\"", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("org", "truth.json")));
        Assert.True(File.Exists(dir.Combine("org", "logs", "AuraRequest.csv")));
    }

    [Theory]
    [InlineData("--scenario", "phishing")]
    [InlineData("--log-size", "lots")]
    [InlineData("--days", "2")]
    public async Task Bad_options_exit_with_a_usage_error(string option, string value)
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync("sample", "--out", dir.Combine("org"), "--students", "30", option, value);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error", result.Error, StringComparison.Ordinal);
    }
}

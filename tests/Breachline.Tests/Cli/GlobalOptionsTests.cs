namespace Breachline.Tests.Cli;

public sealed class GlobalOptionsTests
{
    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var result = await CliRun.RunAsync("--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_is_refused()
    {
        var result = await CliRun.RunAsync("--format", "xml");

        Assert.Equal(2, result.ExitCode);
    }
}

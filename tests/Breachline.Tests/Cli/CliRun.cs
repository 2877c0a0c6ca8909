using Breachline.Cli;

namespace Breachline.Tests.Cli;

/// <summary>The result of one in-process CLI invocation.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs `breachline` in-process with captured streams: the same code path as the real tool.</summary>
public static class CliRun
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

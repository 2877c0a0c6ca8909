using Breachline.Tests.Cli;
using static Breachline.Tests.Hardening.Corpus;

namespace Breachline.Tests.Hardening;

/// <summary>DESIGN.md §9 end to end: malformed input exits 3 and names file and line; the rest is still processed.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_hunt_over_a_broken_log_and_a_good_one_exits_3_naming_the_broken_one_and_reads_the_good_one()
    {
        var logs = _dir.Combine("org", "logs");
        Directory.CreateDirectory(logs);
        File.WriteAllBytes(Path.Combine(logs, "Bad.csv"), Lines("\"EVENT_TYPE\",\"TIMESTAMP\",\"USER_ID\",\"USER_ID\"", "\"RestApi\",\"20260313015214\",\"a\",\"b\""));
        File.WriteAllBytes(Path.Combine(logs, "RestApi.csv"), Lines(ElfHeader, ElfRow(), ElfRow(time: "not-a-time"), ElfRow()));

        var result = await CliRun.RunAsync("-w", _dir.Combine("ws"), "--format", "json", "hunt", _dir.Combine("org"));

        Assert.Equal(3, result.ExitCode);
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(errors, l => l.StartsWith("error: logs/Bad.csv:1: header: the header names a column more than once", StringComparison.Ordinal));
        Assert.Contains("error: logs/RestApi.csv:3: TIMESTAMP: bad timestamp 'not-a-time' (expected yyyyMMddHHmmss with 0-3 fraction digits)", errors);
        Assert.Contains("2 rows could not be read; the hunt answers for the 2 that could", errors);
    }
}

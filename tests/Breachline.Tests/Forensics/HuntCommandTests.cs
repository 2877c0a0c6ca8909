using System.Text.Json.Nodes;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Forensics;

public sealed class HuntCommandTests : IDisposable
{
    private static readonly string Org = Fixtures.Path("hunt", "org");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Hunting_an_org_with_an_attack_exits_1_with_json_that_validates_against_the_schema()
    {
        var result = await CliRun.RunAsync("hunt", Org, "--format", "json");

        Assert.True(result.ExitCode == 1, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        SchemaValidation.AssertValid(json, "hunt.schema.json");
        Assert.Equal(5000, json["rowsByObject"]!["Contact"]!.GetValue<long>());
        Assert.Equal("2026-03-12T20:52:14-05:00", json["window"]!["start"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_table_names_the_suspects_and_the_timeline_goes_to_CSV()
    {
        var csv = _dir.Combine("timeline.csv");

        var result = await CliRun.RunAsync("hunt", Org, "--timeline-csv", csv);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("208.68.36.90", result.Out, StringComparison.Ordinal);
        Assert.Contains("Campus_Chat", result.Out, StringComparison.Ordinal);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("time,kind,eventType,user,ip,session,what,evidencePath,evidenceLine,evidenceSha256", lines[0]);
        Assert.Contains(lines, l => l.Contains("bulk-job-deleted", StringComparison.Ordinal));
        Assert.True(lines.Length > 20);
    }

    [Fact]
    public async Task An_indicator_hunt_before_the_attack_finds_nothing_and_exits_0()
    {
        var result = await CliRun.RunAsync("hunt", Org, "--ip", "185.220.101.0/24", "--until", "2026-03-12T12:00", "--format", "json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Null(JsonNode.Parse(result.Out)!["window"]);
    }

    [Fact]
    public async Task An_address_that_is_not_one_is_a_usage_error()
    {
        var result = await CliRun.RunAsync("hunt", Org, "--ip", "not-an-ip");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not-an-ip", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_rows_exit_3_naming_file_and_line_while_the_hunt_still_answers()
    {
        var org = _dir.Combine("org");
        CopyDirectory(Org, org);
        File.Copy(Fixtures.Path("hunt", "readers", "RestApi-malformed.csv"), Path.Combine(org, "logs", "RestApi-2.csv"));

        var result = await CliRun.RunAsync("hunt", org, "--format", "json");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("logs/RestApi-2.csv:3: wrong column count", result.Error, StringComparison.Ordinal);
        Assert.Contains("logs/RestApi-2.csv:8: unbalanced quotes", result.Error, StringComparison.Ordinal);
        Assert.Contains("4 rows could not be read", result.Error, StringComparison.Ordinal);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(4, json["input"]!["unreadableRows"]!.GetValue<long>());
        Assert.Equal(5000, json["rowsByObject"]!["Contact"]!.GetValue<long>());
    }

    [Fact]
    public async Task Run_writes_the_hunt_member_of_incident_json()
    {
        var ws = _dir.Combine("ws");

        var result = await CliRun.RunAsync("-w", ws, "run", Org, "--detected-at", "2026-03-13T08:00", "--as-of", "2026-03-13T12:00");

        Assert.True(result.ExitCode is 0 or 1, result.Error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(ws, "out", "incident.json")))!;
        SchemaValidation.AssertValid(json, "incident.schema.json");
        Assert.Equal(["185.220.101.33", "208.68.36.90"], json["hunt"]!["suspects"]!["ips"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

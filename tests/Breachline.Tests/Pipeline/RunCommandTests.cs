using System.Text.Json.Nodes;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Pipeline;

public sealed class RunCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_writes_an_incident_json_that_validates_and_a_report_that_shows_its_clock()
    {
        var ws = _dir.Combine("ws");

        var result = await CliRun.RunAsync("-w", ws, "run", Fixtures.Path("orgs", "minimal"),
            "--detected-at", "2026-03-07T09:12", "--aware-at", "2026-03-07T15:40", "--as-of", "2026-03-08T18:00");

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(ws, "out", "incident.json")))!;
        SchemaValidation.AssertValid(json, "incident.schema.json");
        Assert.Equal("breachline/incident/v1", json["schema"]!.GetValue<string>());
        Assert.Equal("Data leak at Lakeshore State University", json["incident"]!["title"]!.GetValue<string>());
        var html = File.ReadAllText(Path.Combine(ws, "out", "report.html"));
        Assert.Contains("Incident clock", html, StringComparison.Ordinal);
        Assert.Contains("SOC 2 service auditor notified of the incident", html, StringComparison.Ordinal);
        Assert.Contains("status-overdue", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_keeps_the_incident_and_its_task_progress()
    {
        var ws = _dir.Combine("ws");
        var org = Fixtures.Path("orgs", "minimal");
        await CliRun.RunAsync("-w", ws, "run", org, "--detected-at", "2026-03-07T09:12");
        await CliRun.RunAsync("-w", ws, "task", "done", "preserve-logs");

        var second = await CliRun.RunAsync("-w", ws, "run", org, "--format", "json");

        Assert.Contains("\"opened\": false", second.Out, StringComparison.Ordinal);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(ws, "out", "incident.json")))!;
        Assert.Equal(1, json["tracks"]![0]!["done"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_missing_export_folder_exits_3_naming_it()
    {
        var result = await CliRun.RunAsync("-w", _dir.Combine("ws"), "run", _dir.Combine("nowhere"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("nowhere", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_org_yaml_names_every_bad_field()
    {
        var result = await CliRun.RunAsync("-w", _dir.Combine("ws"), "run", Fixtures.Path("orgs", "bad-org-yaml"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("timeZone", result.Error, StringComparison.Ordinal);
        Assert.Contains("kind", result.Error, StringComparison.Ordinal);
        Assert.Contains("orgId", result.Error, StringComparison.Ordinal);
    }
}

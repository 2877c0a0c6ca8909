using System.Text.Json.Nodes;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Pipeline;

public sealed class DemoTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_demo_runs_the_sample_org_and_leaves_a_valid_incident_json_and_a_report()
    {
        var outDir = _dir.Combine("demo");

        var result = await CliRun.RunAsync("demo", "--out", outDir);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "workspace", "out", "incident.json")))!;
        SchemaValidation.AssertValid(json, "incident.schema.json");
        Assert.Equal("Lakeshore State University", json["incident"]!["org"]!["name"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(outDir, "workspace", "out", "report.html")));
        Assert.Contains("report.html", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_reads_the_clock_30_hours_after_awareness_unless_told_otherwise()
    {
        var outDir = _dir.Combine("demo");

        await CliRun.RunAsync("demo", "--out", outDir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "workspace", "out", "incident.json")))!;

        var aware = DateTimeOffset.Parse(json["incident"]!["awareAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var asOf = DateTimeOffset.Parse(json["clock"]!["asOf"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(30), asOf - aware);
        Assert.Contains(json["clock"]!["deadlines"]!.AsArray(), d => d!["status"]!.GetValue<string>() == "overdue");
        Assert.Contains(json["clock"]!["deadlines"]!.AsArray(), d => d!["status"]!.GetValue<string>() == "open");
    }

    [Fact]
    public async Task A_second_demo_replaces_the_first_but_never_a_folder_it_did_not_write()
    {
        var outDir = _dir.Combine("demo");
        await CliRun.RunAsync("demo", "--out", outDir);

        var again = await CliRun.RunAsync("demo", "--out", outDir);
        var foreign = _dir.Combine("my-files");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "thesis.docx"), "precious");
        var refused = await CliRun.RunAsync("demo", "--out", foreign);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(foreign, "thesis.docx")));
    }
}

public sealed class DemoPipelineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_demo_run_plans_containment_of_the_app_and_user_the_hunt_named()
    {
        var outDir = _dir.Combine("demo");

        await CliRun.RunAsync("demo", "--out", outDir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "workspace", "out", "incident.json")))!;
        var truth = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "org", "truth.json")))!;

        var actions = json["containment"]!.AsArray().Select(a => (Action: a!["action"]!.GetValue<string>(), Target: a["target"]!.GetValue<string>())).ToList();
        var app = truth["attack"]!["connectedApps"]![0]!.GetValue<string>();
        var user = truth["attack"]!["users"]![0]!.GetValue<string>();
        Assert.Contains(actions, a => a.Action.StartsWith("Revoke every OAuth token", StringComparison.Ordinal) && a.Target.Contains(app, StringComparison.Ordinal));
        Assert.Contains(actions, a => a.Action.StartsWith("Freeze the user", StringComparison.Ordinal) && a.Target.Contains(user, StringComparison.Ordinal));
        Assert.Equal(truth["exposure"]!["individuals"]!.GetValue<long>(), json["exposure"]!["individuals"]!.GetValue<long>());

        var html = File.ReadAllText(Path.Combine(outDir, "workspace", "out", "report.html"));
        Breachline.Tests.Reporting.ReportTests.AssertFiguresMatch(html, json.AsObject());
        foreach (var section in new[] { "summary", "clock", "tracks", "findings", "hunt", "exposure", "obligations", "containment", "evidence" })
        {
            Assert.Contains($"<section id=\"{section}\">", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(truth["attack"]!["usernames"]![0]!.GetValue<string>(), html, StringComparison.Ordinal);
    }
}

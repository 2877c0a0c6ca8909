using System.Text.Json.Nodes;
using Breachline.Sample;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Controls;

public sealed class ControlsCommandTests(ScenarioOrgs orgs) : IClassFixture<ScenarioOrgs>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Auditor_notice_writes_a_draft_with_the_clock_deadline_and_the_affected_criteria()
    {
        var run = orgs.Get(SampleScenario.TokenTheft);
        var notice = _dir.Combine("notice.md");

        var result = await CliRun.RunAsync("-w", run.Workspace.Root, "--as-of", "2026-03-19T10:00-05:00", "controls", "auditor-notice", run.Org.Root, "--out", notice);

        Assert.True(result.ExitCode == 0, result.Error);
        var text = File.ReadAllText(notice);
        Assert.StartsWith("# DRAFT", text, StringComparison.Ordinal);
        Assert.Contains("Notice due: 2026-03-19T15:30:00-05:00", text, StringComparison.Ordinal);
        Assert.Contains("## What we do not know yet", text, StringComparison.Ordinal);
        Assert.Contains("**CC6.1** (deficient)", text, StringComparison.Ordinal);
        Assert.Contains("Halvorsen & Tate LLP", text, StringComparison.Ordinal);
        Assert.Contains("By 2026-03-20T10:00:00-05:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gap_as_json_lists_every_criterion_and_exits_1_when_one_is_deficient()
    {
        var run = orgs.Get(SampleScenario.GuestExposure);

        var result = await CliRun.RunAsync("-w", run.Workspace.Root, "--as-of", "2026-03-19T10:00-05:00", "--format", "json", "controls", "gap", run.Org.Root);

        Assert.Equal(1, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(61, json["controls"]!.AsArray().Count);
        Assert.Contains(json["controls"]!.AsArray(), c => c!["id"]!.GetValue<string>() == "CC6.6" && c["status"]!.GetValue<string>() == "deficient");
        Assert.NotEmpty(json["poam"]!.AsArray());
    }
}

using System.Text.Json.Nodes;
using Breachline.Posture;
using Breachline.Sample;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Posture;

public sealed class ScanStageTests
{
    [Fact]
    public void The_scan_stage_runs_after_collect_position_and_before_the_clock_and_report()
    {
        var names = Breachline.Pipeline.PipelineStages.All().Select(s => s.Name).ToList();

        Assert.Contains("scan", names);
        Assert.True(names.IndexOf("scan") < names.IndexOf("report"));
    }

    [Fact]
    public async Task Run_writes_the_findings_member_of_incident_json_and_it_validates()
    {
        using var dir = new TempDir();
        var sample = SampleOrg.Generate(new SampleOptions(Seed: 5, Students: 40, Days: SampleOptions.MinDays, Scenario: SampleScenario.PortalCredentials), dir.Combine("org"));
        var ws = dir.Combine("ws");

        var result = await CliRun.RunAsync("-w", ws, "run", sample.Root, "--detected-at", "2026-03-07T09:12", "--as-of", "2026-03-08T18:00");

        Assert.True(result.ExitCode is 0 or 1, result.Error);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(ws, "out", "incident.json")))!;
        SchemaValidation.AssertValid(json, "incident.schema.json");
        var findings = json["findings"]!.AsArray();
        Assert.Equal(PostureScan.Run(sample.Root).Findings.Count, findings.Count);
        Assert.Contains(findings, f => f!["pattern"]!.GetValue<string>() == "hardcoded-credential");
        Assert.DoesNotContain(findings, f => f!["detail"]!.GetValue<string>().Contains("-----BEGIN", StringComparison.Ordinal));
    }
}

using System.Text.Json;
using Breachline.Common;
using Breachline.Controls;
using Breachline.Sample;

namespace Breachline.Tests.Controls;

public sealed class GapAnalysisScenarioTests(ScenarioOrgs orgs) : IClassFixture<ScenarioOrgs>
{
    public static TheoryData<SampleScenario> Scenarios => [SampleScenario.TokenTheft, SampleScenario.GuestExposure, SampleScenario.PortalCredentials];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_criteria_the_exploited_causes_break_are_deficient_with_those_findings_behind_them(SampleScenario scenario)
    {
        var run = orgs.Get(scenario);
        var exploited = run.Truth.Findings.Where(f => f.Exploited == true).ToList();
        Assert.NotEmpty(exploited);

        foreach (var cause in exploited)
        {
            var behind = run.Result.Gaps.SelectMany(g => g.FindingDetails.Select(d => (Gap: g, Detail: d)))
                .Where(x => At(x.Detail.Location, cause.Path, cause.Line))
                .ToList();
            Assert.True(behind.Count > 0, $"no criterion names the finding at {cause.Path}:{cause.Line} ({cause.What})");
            Assert.All(behind, x =>
            {
                Assert.Equal(ControlStatus.Deficient, x.Gap.Status);
                Assert.NotNull(x.Detail.OnAttackPath);
                Assert.Contains(x.Detail.Id, x.Gap.Findings);
            });
        }
    }

    // The criteria each scenario's exploited causes break, read from the rules behind the planted lines
    // (truth.json "exploited"): token theft through Campus Chat's OAuth policy — admin approval (CC6.1, CC6.3, CC6.6),
    // Full scope (CC6.1, CC6.3, CC9.2), IP relaxation (CC6.1, CC6.6), never-expiring refresh tokens (CC6.1, CC6.2);
    // the admissions guest user's reads of student data (CC6.1, CC6.6, C1.1); the portal's hard-coded Salesforce
    // credentials (CC6.1, CC7.1, CC8.1). The criteria only unexploited causes bear on stay at risk.
    [Theory]
    [InlineData(SampleScenario.TokenTheft, "CC6.1 CC6.2 CC6.3 CC6.6 CC9.2", "C1.1 CC6.7 CC8.1")]
    [InlineData(SampleScenario.GuestExposure, "CC6.1 CC6.6 C1.1", "CC6.2 CC6.3 CC9.2 CC8.1")]
    [InlineData(SampleScenario.PortalCredentials, "CC6.1 CC7.1 CC8.1", "CC6.6 CC6.3 CC9.2 C1.1")]
    public void The_gap_analysis_names_the_criteria_each_scenarios_planted_causes_break_with_the_findings_behind_each(SampleScenario scenario, string broken, string atRisk)
    {
        var run = orgs.Get(scenario);
        var gaps = run.Result.Gaps.ToDictionary(g => g.Id);
        var exploited = run.Truth.Findings.Where(f => f.Exploited == true).ToList();
        bool Planted(GapFinding d) => exploited.Any(c => At(d.Location, c.Path, c.Line));

        foreach (var id in broken.Split(' '))
        {
            var gap = gaps[id];
            Assert.Equal(ControlStatus.Deficient, gap.Status);
            var behind = gap.FindingDetails.Where(Planted).ToList();
            Assert.True(behind.Count > 0, $"{id} names none of the planted causes");
            Assert.All(behind, d =>
            {
                Assert.NotNull(d.OnAttackPath);
                Assert.Contains(d.Id, gap.Findings);
            });
        }

        // The list above is checked against the rules, not trusted: it is exactly the criteria the planted causes' findings carry.
        var fromRules = run.Result.Gaps.Where(g => g.FindingDetails.Any(Planted)).Select(g => g.Id).Order(StringComparer.Ordinal);
        Assert.Equal(broken.Split(' ').Order(StringComparer.Ordinal), fromRules);
        Assert.Equal(broken.Split(' ').Order(StringComparer.Ordinal), run.Result.Deficient.Where(g => g.FindingDetails.Any(d => d.OnAttackPath is not null)).Select(g => g.Id).Order(StringComparer.Ordinal));
        Assert.All(atRisk.Split(' '), id => Assert.Equal(ControlStatus.AtRisk, gaps[id].Status));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_planted_cause_the_scan_reports_puts_its_criteria_at_risk_at_least(SampleScenario scenario)
    {
        var run = orgs.Get(scenario);
        var named = 0;
        foreach (var cause in run.Truth.Findings)
        {
            var behind = run.Result.Gaps.Where(g => g.FindingDetails.Any(d => At(d.Location, cause.Path, cause.Line))).ToList();
            Assert.All(behind, g => Assert.NotEqual(ControlStatus.NoEvidenceOfFailure, g.Status));
            named += behind.Count > 0 ? 1 : 0;
        }

        Assert.True(named >= run.Truth.Findings.Count * 3 / 4, $"only {named} of {run.Truth.Findings.Count} planted causes reach a criterion");
        var clean = run.Result.Gaps.Where(g => g.Status == ControlStatus.NoEvidenceOfFailure).Select(g => g.Id).ToList();
        Assert.Contains("CC1.1", clean);
        Assert.Contains("A1.2", clean);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Incident_facts_make_monitoring_and_the_late_auditor_notice_deficient(SampleScenario scenario)
    {
        var run = orgs.Get(scenario);
        var gaps = run.Result.Gaps.ToDictionary(g => g.Id);

        // Every scenario's attack ran for hours before detection at 09:41 and nothing alerted.
        Assert.Equal(ControlStatus.Deficient, gaps["CC7.2"].Status);
        Assert.Contains(gaps["CC7.2"].Facts, f => f.Id == "no-alert-fired");

        // 30 h after awareness the 24-hour auditor notice is overdue.
        Assert.Equal(ControlStatus.Deficient, gaps["CC2.3"].Status);
        Assert.Contains(gaps["CC2.3"].Facts, f => f.Id == "auditor-notified-late");
        Assert.Equal("soc2-owner", gaps["CC2.3"].Owner);
        Assert.NotNull(gaps["CC2.3"].Due);

        Assert.Equal(PeriodPosition.Inside, run.Result.Period.Position);
        Assert.True(run.Result.Period.DisclosureRequired);
        Assert.Contains("CC2.3", run.Result.Period.AffectedControls);
        Assert.NotNull(run.Result.Period.Disclosure);
        Assert.All(run.Result.Poam, p => Assert.NotEqual(ControlStatus.NoEvidenceOfFailure, p.Severity));
        Assert.Equal(run.Result.Gaps.Count(g => g.Status != ControlStatus.NoEvidenceOfFailure), run.Result.Poam.Count);
    }

    [Fact]
    public void Token_theft_deleted_bulk_jobs_are_anti_forensics_against_CC7_2_and_CC7_3()
    {
        var run = orgs.Get(SampleScenario.TokenTheft);
        var gaps = run.Result.Gaps.ToDictionary(g => g.Id);

        Assert.Contains(gaps["CC7.2"].Facts, f => f.Id == "anti-forensics" && f.Evidence.Count > 0);
        Assert.Contains(gaps["CC7.3"].Facts, f => f.Id == "anti-forensics");
        Assert.Equal(ControlStatus.Deficient, gaps["CC6.6"].Status);
        Assert.Contains(run.Result.DataFlows.Flows, f => f.OnAttackPath && f.Name.StartsWith("Campus Chat", StringComparison.Ordinal));
    }

    [Fact]
    public void Guest_exposure_puts_the_guest_profile_and_guest_sharing_rule_on_the_attack_path_but_no_connected_app()
    {
        var run = orgs.Get(SampleScenario.GuestExposure);

        Assert.Empty(run.Result.AttackPath.ConnectedApps);
        Assert.Contains(run.Result.AttackPath.Files, f => f.EndsWith("Admissions Portal Profile.profile-meta.xml", StringComparison.Ordinal));
        Assert.Contains(run.Result.AttackPath.Files, f => f.EndsWith("Contact.sharingRules-meta.xml", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Result.Facts, f => f.Id == "anti-forensics");
    }

    [Fact]
    public async Task The_controls_member_validates_against_its_schema_and_the_stage_writes_its_files()
    {
        var run = orgs.Get(SampleScenario.PortalCredentials);
        var context = new global::Breachline.Pipeline.PipelineContext(run.Workspace, run.Org, run.Time, "test");

        await new ControlsStage().RunAsync(context, new Progress<double>(), CancellationToken.None);

        var member = context.Document.Get("controls");
        SchemaValidation.AssertValid(member, "controls.schema.json");
        Assert.Equal(61, member!.AsArray().Count);
        var cc61 = member.AsArray().First(c => c!["id"]!.GetValue<string>() == "CC6.1")!;
        Assert.Equal("deficient", cc61["status"]!.GetValue<string>());
        var outDir = Path.Combine(run.Workspace.OutPath, "controls");
        Assert.True(File.Exists(Path.Combine(outDir, "dataflow.svg")));
        Assert.Contains("flowchart LR", File.ReadAllText(Path.Combine(outDir, "dataflow.mmd")), StringComparison.Ordinal);
        Assert.Contains("DRAFT", File.ReadAllText(Path.Combine(outDir, "auditor-notice.md")), StringComparison.Ordinal);
        Assert.Contains("## Extent", File.ReadAllText(Path.Combine(outDir, "disclosure.md")), StringComparison.Ordinal);
        var timeline = new global::Breachline.Incidents.IncidentService(run.Workspace, run.Time).Timeline();
        Assert.Contains(timeline, t => t.Kind == "controls-analysed" && t.Detail.Contains("CC6.1", StringComparison.Ordinal));
        _ = JsonSerializer.Serialize(context.Get<ControlsResult>()!.Gaps, BreachlineJson.Options);

        // One compliance task per POA&M item, and a second run adds nothing.
        var result = context.Get<ControlsResult>()!;
        var incidents = new global::Breachline.Incidents.IncidentService(run.Workspace, run.Time);
        var poamTasks = incidents.Tasks().Where(t => t.Id.StartsWith("poam-", StringComparison.Ordinal)).ToList();
        Assert.Equal(result.Poam.Select(p => $"poam-{p.Criterion.ToLowerInvariant()}").Order(), poamTasks.Select(t => t.Id).Order());
        Assert.All(poamTasks, t => Assert.Equal("compliance", t.Track));
        var cc61Task = poamTasks.Single(t => t.Id == "poam-cc6.1");
        Assert.Equal(result.Poam.Single(p => p.Criterion == "CC6.1").Due, cc61Task.Due!.Value.ToDateTimeOffset());
        var added = incidents.Timeline().Count(t => t.Kind == "task-added");
        Assert.Equal(poamTasks.Count, added);

        await new ControlsStage().RunAsync(new global::Breachline.Pipeline.PipelineContext(run.Workspace, run.Org, run.Time, "test"), new Progress<double>(), CancellationToken.None);

        Assert.Equal(added, incidents.Timeline().Count(t => t.Kind == "task-added"));
        Assert.DoesNotContain(incidents.Timeline(), t => t.Kind == "task-updated");
    }

    private static bool At(string location, string path, int line) =>
        location == $"{path}:{line}" || location.StartsWith($"{path}:{line}:", StringComparison.Ordinal);
}

using System.Collections.Concurrent;
using Breachline.Common;
using Breachline.Controls;
using Breachline.Incidents;
using Breachline.Org;
using Breachline.Sample;
using Breachline.Storage;
using NodaTime;

namespace Breachline.Tests.Controls;

/// <summary>One generated sample org per scenario, its truth.json, an incident opened at truth's times, and the controls result 30 h after awareness.</summary>
public sealed class ScenarioOrgs : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ConcurrentDictionary<SampleScenario, Lazy<ScenarioRun>> _runs = new();

    public ScenarioRun Get(SampleScenario scenario) => _runs.GetOrAdd(scenario, s => new Lazy<ScenarioRun>(() => Create(s))).Value;

    public void Dispose() => _dir.Dispose();

    private ScenarioRun Create(SampleScenario scenario)
    {
        var name = ScenarioNames.Name(scenario);
        var orgDir = _dir.Combine(name, "org");
        SampleOrg.Generate(new SampleOptions(Scenario: scenario), orgDir);
        var truth = TruthDocument.Load(Path.Combine(orgDir, "truth.json"));
        var detected = IncidentTime.ParseInstant(truth.Incident.DetectedAt, null, "detectedAt");
        var aware = IncidentTime.ParseInstant(truth.Incident.AwareAt, null, "awareAt");
        var asOf = aware + Duration.FromHours(30);
        var time = new FixedTimeProvider(asOf.ToDateTimeOffset());
        var workspace = Workspace.Open(_dir.Combine(name, "ws"));
        var org = OrgExport.Open(orgDir);
        new IncidentService(workspace, time).Open(new OpenIncidentRequest(truth.Incident.Title, detected, aware, null, org), "test");
        var result = ControlsEngine.Analyze(org, null, null, workspace, time);
        return new ScenarioRun(org, truth, workspace, time, result);
    }
}

/// <summary>A scenario's org, answer key, workspace, clock and gap analysis.</summary>
public sealed record ScenarioRun(OrgExport Org, TruthDocument Truth, Workspace Workspace, FixedTimeProvider Time, ControlsResult Result);

using Breachline.Common;
using Breachline.Incidents;
using Breachline.Org;
using Breachline.Reporting;
using Breachline.Storage;
using NodaTime;

namespace Breachline.Pipeline;

/// <summary>What `run` needs: the export, and the incident's facts when the workspace has no incident yet.</summary>
/// <param name="OrgPath">The org export folder.</param>
/// <param name="WorkspacePath">The workspace folder.</param>
/// <param name="Title">Title for a new incident (default: "Data leak at ORG").</param>
/// <param name="DetectedAt">Detection time for a new incident (default: now).</param>
/// <param name="AwareAt">Awareness time for a new incident (default: unset, so clocks run from detection).</param>
/// <param name="TimeZone">Zone for a new incident (default: the org's).</param>
public sealed record RunRequest(string OrgPath, string WorkspacePath, string? Title = null, Instant? DetectedAt = null, Instant? AwareAt = null, string? TimeZone = null);

/// <summary>What a run did.</summary>
/// <param name="Incident">The incident the run belongs to.</param>
/// <param name="OpenedIncident">True when the run opened it.</param>
/// <param name="Stages">Stages that ran, in order.</param>
/// <param name="Problems">Input problems met (the run went on without those inputs).</param>
/// <param name="Outputs">The report files written.</param>
/// <param name="Context">The run's context, with every stage's typed result.</param>
public sealed record RunOutcome(Incident Incident, bool OpenedIncident, IReadOnlyList<string> Stages, IReadOnlyList<InputProblem> Problems, ReportOutputs? Outputs, PipelineContext Context);

/// <summary>The `run` use case: open the incident if needed, then every stage that exists, in pipeline order.</summary>
public static class IncidentRun
{
    /// <summary>Runs the pipeline on an org export.</summary>
    /// <exception cref="InputException">The export does not exist, has no part a stage can read, or org.yaml is invalid.</exception>
    public static async Task<RunOutcome> RunAsync(RunRequest request, TimeProvider time, string actor, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        var org = OrgExport.Open(request.OrgPath);
        if (!org.HasAnyPart)
        {
            throw new InputException(request.OrgPath, null, "the org export has none of org.yaml, metadata/, logs/, records/, integrations/, gateway/");
        }

        var workspace = Workspace.Open(request.WorkspacePath);
        var incidents = new IncidentService(workspace, time);
        var incident = incidents.Find();
        var opened = false;
        if (incident is null)
        {
            incident = incidents.Open(
                new OpenIncidentRequest(
                    request.Title ?? $"Data leak at {org.Facts?.Name ?? Path.GetFileName(org.Root)}",
                    request.DetectedAt ?? incidents.Now,
                    request.AwareAt,
                    request.TimeZone,
                    org),
                actor);
            opened = true;
        }

        var context = new PipelineContext(workspace, org, time, actor);
        var stages = PipelineStages.All();
        await PipelineRunner.RunAsync(context, stages, progress, cancellationToken);
        return new RunOutcome(incident, opened, [.. stages.Select(s => s.Name)], context.Problems, context.Get<ReportOutputs>(), context);
    }
}

using Breachline.Forensics;
using Breachline.Incidents;
using Breachline.Pipeline;
using Breachline.Posture;

namespace Breachline.Controls;

/// <summary>
/// The controls stage of `run`: maps the scan's findings, the hunt's facts and the clock to Trust Services
/// Criteria, writes the <c>controls</c> member of incident.json and, in out/controls/, the data-flow map
/// (SVG, Mermaid), the auditor notice draft and the DC 4 disclosure draft; records the result on the timeline.
/// </summary>
public sealed class ControlsStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "controls";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        progress.Report(0);
        var result = ControlsEngine.Analyze(context.Org, context.Get<ScanResult>(), context.Get<HuntResult>(), context.Workspace, context.Time, cancellationToken);
        context.Set(result);
        context.Document.Set("controls", result.Gaps);
        ControlsEngine.WriteFiles(result, context.Org.Facts?.Name, Path.Combine(context.Workspace.OutPath, "controls"));
        var incidents = new IncidentService(context.Workspace, context.Time);
        if (incidents.Find() is not null)
        {
            incidents.Record(
                "controls-analysed",
                "gap-analysis",
                $"{result.Deficient.Count()} criteria deficient ({string.Join(", ", result.Deficient.Select(g => g.Id))}), {result.AtRisk.Count()} at risk; POA&M of {result.Poam.Count} items; {result.DataFlows.Flows.Count(f => f.Gaps.Count > 0)} data flows with boundary gaps",
                context.Actor);
            ControlsEngine.PutOnTrack(result, incidents, context.Actor);
        }

        progress.Report(1);
        return Task.CompletedTask;
    }
}

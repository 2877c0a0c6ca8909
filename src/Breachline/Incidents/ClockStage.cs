using Breachline.Pipeline;

namespace Breachline.Incidents;

/// <summary>
/// Reads the incident clock after every other stage has put its deadlines on it, and writes the
/// <c>incident</c>, <c>clock</c> and <c>tracks</c> members of incident.json.
/// </summary>
public sealed class ClockStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "clock";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var status = new IncidentService(context.Workspace, context.Time).Status();
        context.Set(status);
        context.Document.Set("incident", status.Incident);
        context.Document.Set("clock", status.Clock);
        context.Document.Set("tracks", status.Tracks);
        progress.Report(1);
        return Task.CompletedTask;
    }
}

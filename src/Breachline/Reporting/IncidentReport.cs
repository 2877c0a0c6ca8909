using Breachline.Incidents;
using Breachline.Pipeline;
using Breachline.Storage;

namespace Breachline.Reporting;

/// <summary>
/// The `report` use case: the last incident document `run` wrote, with the clock and tracks read again from
/// the workspace as of now (or --as-of), rendered to the asked formats.
/// </summary>
public static class IncidentReport
{
    /// <summary>Writes the report of the workspace's incident into <paramref name="outDir"/> (default: the workspace's out/).</summary>
    public static async Task<ReportOutputs> WriteAsync(Workspace workspace, TimeProvider time, ReportFormats formats, string? outDir, CancellationToken cancellationToken)
    {
        var status = new IncidentService(workspace, time).Status();
        var last = Path.Combine(workspace.OutPath, "incident.json");
        var document = File.Exists(last) ? IncidentDocument.Load(last) : new IncidentDocument();
        document.Set("incident", status.Incident);
        document.Set("clock", status.Clock);
        document.Set("tracks", status.Tracks);
        return await ReportWriter.WriteAsync(document, outDir ?? workspace.OutPath, formats, cancellationToken);
    }
}

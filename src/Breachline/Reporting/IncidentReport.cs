using Breachline.Evidence;
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
    /// <summary>
    /// Writes the report of the workspace's incident into <paramref name="outDir"/> (default: the workspace's out/).
    /// A rendering with identifiers in clear is recorded in the custody log as an access: who, when, and which
    /// report (its path and SHA-256), so the record of who saw personal data is as tamper-evident as the evidence.
    /// </summary>
    public static async Task<ReportOutputs> WriteAsync(Workspace workspace, TimeProvider time, string actor, ReportFormats formats, string? outDir, CancellationToken cancellationToken, IdentityDisclosure? identities = null)
    {
        identities ??= IdentityDisclosure.Masking;
        var status = new IncidentService(workspace, time).Status();
        var last = Path.Combine(workspace.OutPath, "incident.json");
        var document = File.Exists(last) ? IncidentDocument.Load(last) : new IncidentDocument();
        document.Set("incident", status.Incident);
        document.Set("clock", status.Clock);
        document.Set("tracks", status.Tracks);
        var outputs = await ReportWriter.WriteAsync(document, outDir ?? workspace.OutPath, formats, cancellationToken, identities);
        var items = ReportWriter.Preserve(outputs, workspace, time, actor, "incident report written by breachline report");
        var inClear = identities.Masked ? [] : outputs.Files.Zip(items).Where(p => p.First != outputs.IncidentJson).Select(p => p.Second).ToList();
        if (inClear.Count > 0)
        {
            using var vault = EvidenceVault.Open(workspace, time);
            vault.Record(CustodyActions.Accessed, actor, $"report rendered with personal identifiers in clear (--unmasked): {string.Join(", ", inClear.Select(i => i.Path))}",
                [.. inClear.Select(i => i.Sha256)]);
        }

        return outputs;
    }
}

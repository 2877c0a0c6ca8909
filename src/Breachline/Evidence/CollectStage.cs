using Breachline.Org;
using Breachline.Pipeline;

namespace Breachline.Evidence;

/// <summary>
/// The first stage of <c>run</c>: collects the whole export into the vault, reports files it could not
/// collect (the rest are still collected), then points the pipeline at a read-only snapshot of the vault's
/// objects laid out at their original paths, so every later stage reads exactly the bytes that were hashed.
/// Sets the <c>evidence</c> member of incident.json.
/// </summary>
public sealed class CollectStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "collect";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        using var vault = EvidenceVault.Open(context.Workspace, context.Time);
        var org = context.Org;
        var source = org.Facts is { } facts ? $"export from org {facts.OrgId} ({facts.Name})" : $"export folder {org.Root}";
        var result = vault.Collect(org.Root, context.Actor, new CollectOptions(source, "breachline run: incident evidence collection"),
            new Progress(progress), cancellationToken);
        context.Report(result.Skipped);
        vault.Record(CustodyActions.Accessed, context.Actor, $"breachline run reads the collected export from snapshot {Path.GetFileName(result.SnapshotPath)}",
            [.. result.Items.Select(i => i.Sha256).Distinct(StringComparer.Ordinal)]);
        context.Org = OrgExport.Open(result.SnapshotPath);
        context.Set(result);
        context.Document.Set("evidence", vault.Summary());
        return Task.CompletedTask;
    }

    private sealed class Progress(IProgress<double> inner) : IProgress<CollectProgress>
    {
        public void Report(CollectProgress value) => inner.Report(value.Total == 0 ? 1 : (double)value.Done / value.Total);
    }
}

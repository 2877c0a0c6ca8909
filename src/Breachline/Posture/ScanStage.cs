using Breachline.Pipeline;

namespace Breachline.Posture;

/// <summary>
/// The scan stage of <c>run</c>: finds the leak causes in the export (the vault's copy once collect has run)
/// and writes the <c>findings</c> member of incident.json. Later stages read the typed
/// <see cref="ScanResult"/> with <c>context.Get&lt;ScanResult&gt;()</c>.
/// </summary>
public sealed class ScanStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "scan";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        progress.Report(0);
        var result = PostureScan.Run(context.Org.Root, cancellationToken: cancellationToken);
        context.Set(result);
        context.Document.Set("findings", result.Findings);
        context.Report(result.Problems);
        progress.Report(1);
        return Task.CompletedTask;
    }
}

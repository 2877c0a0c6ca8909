using Breachline.Common;
using Breachline.Pipeline;

namespace Breachline.Forensics;

/// <summary>
/// The hunt stage of `run`: hunts the export's logs with the shipped behaviour hunts, hands the
/// <see cref="HuntResult"/> to later stages (scope, controls, contain) and writes the <c>hunt</c> member
/// of incident.json. Unreadable rows are reported as input problems; the hunt still answers for the rest.
/// </summary>
public sealed class HuntStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "hunt";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var zone = IncidentTime.Zone(context.Org.Facts?.TimeZone ?? "UTC");
        var result = HuntEngine.Run(context.Org.Root, new HuntOptions { Zone = zone }, progress, cancellationToken);
        context.Set(result);
        context.Report(result.Input.Problems);
        context.Document.Set("hunt", result);
        return Task.CompletedTask;
    }
}

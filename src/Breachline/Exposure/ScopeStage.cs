using Breachline.Common;
using Breachline.Notification;
using Breachline.Pipeline;

namespace Breachline.Exposure;

/// <summary>
/// The scope stage of `run`: takes the hunt's malicious queries (a <see cref="ScopeQueries"/> result, or the
/// hunt member of the incident document), scopes them against records/, and hands notify an
/// <see cref="ExposureFacts"/> and incident.json its <c>exposure</c> member. Without queries it does nothing:
/// no exposure is ever invented.
/// </summary>
public sealed class ScopeStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "scope";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = context.Get<ScopeQueries>()
            ?? (context.Get<Forensics.HuntResult>() is { } hunt ? HuntQueries.From(hunt) : null)
            ?? HuntQueries.FromJson(context.Document.Get("hunt"), "incident.json hunt member");
        if (input is null || input.Queries.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (!Directory.Exists(context.Org.RecordsPath))
        {
            context.Report([new InputProblem(context.Org.RecordsPath, null, "the export has no records/ folder: the hunt's queries cannot be scoped to people")]);
            return Task.CompletedTask;
        }

        var result = new ScopeEngine(context.Org).Run(new ScopeRequest(input.Queries, input.Via, context.Workspace.OutPath), progress, cancellationToken);
        context.Report(result.Problems);
        context.Set(result);
        context.Set(result.Facts);
        context.Document.Set("exposure", ExposureDocument.From(result, context.Workspace.Root));
        return Task.CompletedTask;
    }
}

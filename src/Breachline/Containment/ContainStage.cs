using Breachline.Pipeline;

namespace Breachline.Containment;

/// <summary>One action as incident.json's <c>containment</c> member shows it.</summary>
/// <param name="Id">Action id.</param>
/// <param name="Order">Position in the plan.</param>
/// <param name="Action">What it does.</param>
/// <param name="Step">Playbook step.</param>
/// <param name="Mode">api, metadata or manual.</param>
/// <param name="Target">What it acts on (credentials masked).</param>
/// <param name="Reason">The finding or hunt item behind it.</param>
/// <param name="Effect">Expected effect.</param>
/// <param name="Risk">low, medium or high.</param>
/// <param name="Status">planned, in-progress, done, failed, blocked, interrupted, awaiting-deploy, manual, needs-input.</param>
/// <param name="Detail">Why it has that status.</param>
/// <param name="Reversal">How to undo it.</param>
/// <param name="DependsOn">Actions it waits for.</param>
/// <param name="Owner">Who must do it (manual actions).</param>
/// <param name="Journal">Journal entries of the action (requests and state changes).</param>
public sealed record ContainmentEntry(
    string Id,
    int Order,
    string Action,
    string Step,
    string Mode,
    string Target,
    string Reason,
    string Effect,
    string Risk,
    string Status,
    string? Detail,
    string Reversal,
    IReadOnlyList<string> DependsOn,
    string? Owner,
    IReadOnlyList<ContainmentJournalRef> Journal);

/// <summary>A journal entry as incident.json cites it.</summary>
/// <param name="Seq">Journal sequence number.</param>
/// <param name="Phase">read, before, after, done, failed, …</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">URL.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="BodySha256">SHA-256 of the response body.</param>
public sealed record ContainmentJournalRef(long Seq, string Phase, DateTimeOffset At, string Actor, string? Method, string? Url, int? Status, string? BodySha256);

/// <summary>Builds the <c>containment</c> member of incident.json from a plan and its recorded progress.</summary>
public static class ContainmentDocument
{
    /// <summary>One entry per action, with its state and journal.</summary>
    public static IReadOnlyList<ContainmentEntry> From(ContainmentPlan plan, ContainmentStore store)
    {
        var states = store.States(plan.PlanId);
        var journal = store.Journal(plan.PlanId).ToLookup(e => e.ActionId, StringComparer.Ordinal);
        return [.. plan.Actions.Select(a =>
        {
            var state = states.GetValueOrDefault(a.Id);
            var status = state?.Status is { } s && s != "planned" ? s
                : a.NeedsInput is not null ? "needs-input"
                : a.Mode == "metadata" ? "awaiting-deploy"
                : a.Mode == "manual" ? "manual"
                : "planned";
            return new ContainmentEntry(
                a.Id, a.Order, a.Title, a.Step, a.Mode, a.Target.Display, a.Reason, a.Effect, a.Risk, status,
                state?.Detail ?? a.NeedsInput, a.Reversal, a.DependsOn, a.Owner,
                [.. journal[a.Id].Select(e => new ContainmentJournalRef(e.Seq, e.Phase, e.At, e.Actor, e.Method, e.Url, e.Status, e.BodySha256))]);
        })];
    }
}

/// <summary>
/// The contain stage of `run`: builds the containment plan from the scan and hunt results (as a
/// <see cref="ContainmentInput"/>) and records it; it never executes anything — execution is
/// `contain run --execute`, on a person's decision.
/// </summary>
public sealed class ContainStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "contain";

    /// <inheritdoc />
    public Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        if ((context.Get<ContainmentInput>() ?? ContainmentAdapter.From(context)) is not { } input)
        {
            progress.Report(1);
            return Task.CompletedTask;
        }

        var plan = ContainmentPlanner.Build(input, Playbook.LoadBuiltIn());
        var store = new ContainmentStore(context.Workspace);
        store.SavePlan(plan, context.Actor, context.Time.GetUtcNow());
        context.Set(plan);
        context.Document.Set("containment", ContainmentDocument.From(plan, store));
        progress.Report(1);
        return Task.CompletedTask;
    }
}

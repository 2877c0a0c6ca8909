using NodaTime;

namespace Breachline.Incidents;

/// <summary>Where a task stands.</summary>
public enum TaskState
{
    /// <summary>Not started.</summary>
    Todo,

    /// <summary>Someone is on it.</summary>
    Started,

    /// <summary>Finished.</summary>
    Done,
}

/// <summary>One task of a track, as stored.</summary>
/// <param name="Id">Task id from the playbook.</param>
/// <param name="Track">technical or compliance.</param>
/// <param name="Title">What to do.</param>
/// <param name="Owner">Who owns it (a role until assigned to a person).</param>
/// <param name="Status">Todo, started or done.</param>
/// <param name="Due">When it is due.</param>
/// <param name="DeadlineId">The protocol deadline it serves, if any.</param>
/// <param name="DependsOn">Tasks that must be done first.</param>
/// <param name="UpdatedAt">Last change.</param>
/// <param name="UpdatedBy">Who made the last change.</param>
public sealed record ResponseTask(
    string Id,
    string Track,
    string Title,
    string? Owner,
    TaskState Status,
    Instant? Due,
    string? DeadlineId,
    IReadOnlyList<string> DependsOn,
    Instant UpdatedAt,
    string UpdatedBy);

/// <summary>One entry of the incident timeline: every state change, with actor and time.</summary>
/// <param name="Seq">Order of writing.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Kind">What kind of change (incident-opened, task-done, deadline-waived, …).</param>
/// <param name="Subject">What it concerns (a task or deadline id).</param>
/// <param name="Detail">What changed, in words.</param>
public sealed record TimelineEntry(long Seq, Instant At, string Actor, string Kind, string? Subject, string Detail);

/// <summary>What a task change did: changed it, or found it already in that state (another responder got there first).</summary>
/// <param name="Task">The task after the call.</param>
/// <param name="Changed">False when the task was already in the asked state; nothing was written.</param>
public sealed record TaskChange(ResponseTask Task, bool Changed);

/// <summary>A task another stage puts on a track (one compliance task per POA&amp;M item, for instance).</summary>
/// <param name="Id">Stable task id; adding the same id again updates that task.</param>
/// <param name="Track">The track it belongs to (must exist in the playbook).</param>
/// <param name="Title">What to do.</param>
/// <param name="Owner">Proposed owner (a role); a responder's later assignment is kept.</param>
/// <param name="Due">A fixed due time, not derived from awareness, so a recompute leaves it alone.</param>
public sealed record NewTask(string Id, string Track, string Title, string? Owner, Instant? Due);

/// <summary>What adding a task did.</summary>
public enum TaskAddOutcome
{
    /// <summary>The task was new and is now on its track.</summary>
    Added,

    /// <summary>The task existed; its title or due time changed.</summary>
    Updated,

    /// <summary>The task existed exactly as asked; nothing was written.</summary>
    Unchanged,
}

/// <summary>The result of <see cref="IncidentService.AddTask"/>.</summary>
/// <param name="Task">The task as stored now.</param>
/// <param name="Outcome">Added, updated or unchanged.</param>
public sealed record TaskAddition(ResponseTask Task, TaskAddOutcome Outcome);

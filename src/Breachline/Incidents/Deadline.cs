using NodaTime;

namespace Breachline.Incidents;

/// <summary>Where a deadline comes from.</summary>
public enum DeadlineSource
{
    /// <summary>The response protocol itself (auditor 24 h, containment 48 h, scoping 72 h).</summary>
    Protocol,

    /// <summary>A statute or regulation.</summary>
    Law,

    /// <summary>A customer agreement.</summary>
    Contract,
}

/// <summary>State of a deadline. <see cref="Overdue"/> is never stored: it is an open deadline seen after its due time.</summary>
public enum DeadlineStatus
{
    /// <summary>Not yet met, not yet due.</summary>
    Open,

    /// <summary>Met.</summary>
    Done,

    /// <summary>Open and past due at the time asked about.</summary>
    Overdue,

    /// <summary>Set aside on purpose, with a reason (e.g. counsel decided the regime does not apply).</summary>
    Waived,
}

/// <summary>
/// One deadline on the incident clock. Law deadlines without a number in the statute have no
/// <see cref="Due"/>; <see cref="DueText"/> then carries the statute's words ("without unreasonable delay").
/// </summary>
/// <param name="Id">Stable id, e.g. <c>soc2-auditor-notice</c> or <c>law:US-CA:individuals</c>.</param>
/// <param name="Title">What must be done by then.</param>
/// <param name="Track">technical or compliance.</param>
/// <param name="Source">Protocol, law or contract.</param>
/// <param name="Due">The due instant, or null where none is set.</param>
/// <param name="DueText">How the due time is expressed when it is not a number, or how it was computed.</param>
/// <param name="Citation">The legal or contractual source, when there is one.</param>
public sealed record DeadlineDefinition(string Id, string Title, string Track, DeadlineSource Source, Instant? Due, string? DueText = null, string? Citation = null);

/// <summary>A deadline as stored: its definition plus what the responders did with it.</summary>
/// <param name="Definition">What is due and when.</param>
/// <param name="Status">Open, done or waived (never overdue: see <see cref="StatusAt"/>).</param>
/// <param name="Reason">Why it was waived or how it was met.</param>
/// <param name="ClosedAt">When it was marked done or waived.</param>
/// <param name="ClosedBy">Who marked it.</param>
public sealed record Deadline(DeadlineDefinition Definition, DeadlineStatus Status, string? Reason, Instant? ClosedAt, string? ClosedBy)
{
    /// <summary>The status as seen at <paramref name="asOf"/>: an open deadline past due is overdue.</summary>
    public DeadlineStatus StatusAt(Instant asOf) =>
        Status == DeadlineStatus.Open && Definition.Due is { } due && due <= asOf ? DeadlineStatus.Overdue : Status;
}

/// <summary>
/// Something that puts deadlines on the clock and recomputes them when the incident's facts change
/// (awareness time, zone). The protocol is one source; the notification matrix and contracts add theirs.
/// </summary>
public interface IDeadlineSource
{
    /// <summary>The kind of deadline this source owns; its deadlines are replaced as a set on recompute.</summary>
    DeadlineSource Source { get; }

    /// <summary>Computes every deadline of this source for the incident as it now stands.</summary>
    IReadOnlyList<DeadlineDefinition> Compute(Incident incident);
}

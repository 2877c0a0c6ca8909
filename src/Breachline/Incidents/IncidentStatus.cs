using Breachline.Common;
using NodaTime;

namespace Breachline.Incidents;

/// <summary>
/// The incident clock at a glance: the incident, every deadline with time left, each track's progress and
/// the next three actions. <c>status --format json</c> prints it; incident.json carries its parts as the
/// <c>incident</c>, <c>clock</c> and <c>tracks</c> members.
/// </summary>
public sealed record IncidentStatus(IncidentView Incident, ClockView Clock, IReadOnlyList<TrackView> Tracks, IReadOnlyList<TaskView> NextActions)
{
    /// <summary>True when any deadline is overdue.</summary>
    public bool AnyOverdue => Clock.Deadlines.Any(d => d.Status == DeadlineStatus.Overdue);

    /// <summary>Builds the view as of <paramref name="asOf"/>.</summary>
    public static IncidentStatus Build(Incident incident, Instant asOf, IReadOnlyList<Deadline> deadlines, IReadOnlyList<ResponseTask> tasks, IReadOnlyList<(string Name, string Title)> tracks)
    {
        var zone = incident.Zone;
        DateTimeOffset Local(Instant i) => IncidentTime.ToOffset(i, zone);
        DateTimeOffset? LocalOrNull(Instant? i) => i is { } x ? Local(x) : null;

        var done = tasks.Where(t => t.Status == TaskState.Done).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        TaskView View(ResponseTask t) => new(
            t.Id, t.Title, t.Track, t.Status, t.Owner, LocalOrNull(t.Due), t.DependsOn,
            t.Status != TaskState.Done && t.Due is { } due && due <= asOf,
            t.Status != TaskState.Done && t.DependsOn.All(done.Contains));

        var deadlineViews = deadlines.Select(d => new DeadlineView(
            d.Definition.Id,
            d.Definition.Title,
            d.Definition.Track,
            d.Definition.Source,
            LocalOrNull(d.Definition.Due),
            d.Definition.DueText,
            d.StatusAt(asOf),
            d.Definition.Due is { } due && d.Status == DeadlineStatus.Open ? IncidentTime.Span(due - asOf) : null,
            d.Reason,
            d.Definition.Citation,
            LocalOrNull(d.ClosedAt))).ToList();

        // Overdue first, then by due time: the order a responder works in.
        deadlineViews = [.. deadlineViews.OrderBy(d => d.Status == DeadlineStatus.Overdue ? 0 : d.Status == DeadlineStatus.Open ? 1 : 2)
            .ThenBy(d => d.Due ?? DateTimeOffset.MaxValue)
            .ThenBy(d => d.Id, StringComparer.Ordinal)];

        var trackViews = tracks.Select(track =>
        {
            var own = tasks.Where(t => t.Track == track.Name).Select(View).ToList();
            return new TrackView(track.Name, track.Title, own.Count(t => t.Status == TaskState.Done), own.Count, own);
        }).ToList();

        var next = trackViews.SelectMany(t => t.Tasks)
            .Where(t => t.Ready)
            .OrderBy(t => t.Status == TaskState.Started ? 0 : 1)
            .ThenBy(t => t.Due ?? DateTimeOffset.MaxValue)
            .Take(3)
            .ToList();

        var clockStart = incident.ClockStart;
        return new IncidentStatus(
            new IncidentView(
                incident.Id,
                incident.Title,
                Local(incident.DetectedAt),
                LocalOrNull(incident.AwareAt),
                incident.TimeZone,
                incident.Org is { } org ? new OrgView(org.Name, org.OrgId, org.Kind) : null),
            new ClockView(
                Local(asOf),
                Local(clockStart),
                incident.AwareAt is null ? "detection" : "awareness",
                IncidentTime.Span(asOf - clockStart),
                (long)Math.Floor((asOf - clockStart).TotalMinutes),
                deadlineViews),
            trackViews,
            next);
    }
}

/// <summary>The <c>incident</c> member of incident.json.</summary>
public sealed record IncidentView(string Id, string Title, DateTimeOffset DetectedAt, DateTimeOffset? AwareAt, string TimeZone, OrgView? Org);

/// <summary>The organisation in incident.json.</summary>
public sealed record OrgView(string Name, string? OrgId, string Kind);

/// <summary>The <c>clock</c> member: as of when, running from which event, and every deadline.</summary>
/// <param name="AsOf">The instant the clock was read at.</param>
/// <param name="Start">Where the clock runs from.</param>
/// <param name="StartsFrom">awareness, or detection while awareness is not set.</param>
/// <param name="Elapsed">Time since the start, for people.</param>
/// <param name="ElapsedMinutes">Time since the start, for machines.</param>
/// <param name="Deadlines">Every deadline, overdue first, then by due time.</param>
public sealed record ClockView(DateTimeOffset AsOf, DateTimeOffset Start, string StartsFrom, string Elapsed, long ElapsedMinutes, IReadOnlyList<DeadlineView> Deadlines);

/// <summary>A deadline as the clock shows it.</summary>
public sealed record DeadlineView(
    string Id,
    string Title,
    string Track,
    DeadlineSource Source,
    DateTimeOffset? Due,
    string? DueText,
    DeadlineStatus Status,
    string? TimeLeft,
    string? Reason,
    string? Citation,
    DateTimeOffset? ClosedAt);

/// <summary>A track with its progress and tasks.</summary>
public sealed record TrackView(string Name, string Title, int Done, int Total, IReadOnlyList<TaskView> Tasks);

/// <summary>A task as the clock shows it.</summary>
/// <param name="Ready">Not done and every dependency done: it can be worked on now.</param>
public sealed record TaskView(string Id, string Title, string Track, TaskState Status, string? Owner, DateTimeOffset? Due, IReadOnlyList<string> DependsOn, bool Overdue, bool Ready);

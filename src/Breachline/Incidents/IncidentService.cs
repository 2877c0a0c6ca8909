using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Breachline.Common;
using Breachline.Org;
using Breachline.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace Breachline.Incidents;

/// <summary>What opening an incident needs.</summary>
/// <param name="Title">Short title.</param>
/// <param name="DetectedAt">First signal.</param>
/// <param name="AwareAt">Awareness that personal data was affected, when already known.</param>
/// <param name="TimeZone">IANA zone; defaults to the org's zone, else UTC.</param>
/// <param name="Org">The org export, when one is named.</param>
/// <param name="PlaybookPath">A playbook file; the built-in one when null.</param>
public sealed record OpenIncidentRequest(string Title, Instant DetectedAt, Instant? AwareAt, string? TimeZone, OrgExport? Org, string? PlaybookPath = null);

/// <summary>
/// The incident's use cases: open, update awareness, tasks and deadlines, timeline. Every state change is
/// one transaction that also writes its timeline entry, so the timeline is the incident's audit trail.
/// </summary>
public sealed class IncidentService(Workspace workspace, TimeProvider time, IEnumerable<IDeadlineSource>? deadlineSources = null)
{
    private readonly IReadOnlyList<IDeadlineSource> _extraSources = [.. deadlineSources ?? []];

    /// <summary>The workspace this service writes to.</summary>
    public Workspace Workspace { get; } = workspace;

    /// <summary>Now, per the injected clock.</summary>
    public Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    /// <summary>Opens the workspace's incident: stores it, puts the protocol deadlines on the clock and the playbook's tasks on the tracks.</summary>
    /// <exception cref="UsageException">The workspace already holds an incident.</exception>
    /// <exception cref="InputException">The playbook is invalid.</exception>
    public Incident Open(OpenIncidentRequest request, string actor)
    {
        var playbook = Playbook.Load(request.PlaybookPath);
        var facts = request.Org?.Facts;
        var zoneId = request.TimeZone ?? facts?.TimeZone ?? "UTC";
        _ = IncidentTime.Zone(zoneId);
        if (request.AwareAt is { } aware && aware < request.DetectedAt)
        {
            throw new UsageException("--aware-at is before --detected-at: awareness cannot precede the first signal");
        }

        var now = Now;
        var incident = new Incident(
            MakeId(request.Title, request.DetectedAt, zoneId),
            request.Title,
            request.DetectedAt,
            request.AwareAt,
            zoneId,
            facts is null ? null : new OrgSummary(facts.Name, facts.OrgId, facts.Kind),
            request.Org?.Root,
            now,
            actor);

        Workspace.Write((c, t) =>
        {
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM incident", transaction: t) > 0)
            {
                throw new UsageException($"the workspace {Workspace.Root} already holds an incident; use 'incident update' or another --workspace");
            }

            c.Execute(
                """
                INSERT INTO incident(id, title, detected_at, aware_at, time_zone, org_name, org_id, org_kind, org_path, opened_at, opened_by)
                VALUES (@Id, @Title, @Detected, @Aware, @TimeZone, @OrgName, @OrgId, @OrgKind, @OrgPath, @Opened, @OpenedBy)
                """,
                new
                {
                    incident.Id,
                    incident.Title,
                    Detected = Text(incident.DetectedAt),
                    Aware = Text(incident.AwareAt),
                    incident.TimeZone,
                    OrgName = incident.Org?.Name,
                    OrgId = incident.Org?.OrgId,
                    OrgKind = incident.Org?.Kind,
                    incident.OrgPath,
                    Opened = Text(now),
                    OpenedBy = actor,
                },
                t);

            var order = 0;
            foreach (var track in playbook.Tracks)
            {
                c.Execute("INSERT INTO tracks(name, title, ord) VALUES (@Name, @Title, @Ord)", new { track.Name, track.Title, Ord = order++ }, t);
                foreach (var task in track.Tasks)
                {
                    c.Execute(
                        """
                        INSERT INTO tasks(id, track, title, owner, status, due_offset, deadline_id, due, depends_on, ord, updated_at, updated_by)
                        VALUES (@Id, @Track, @Title, @Owner, 'todo', @Offset, @Deadline, NULL, @DependsOn, @Ord, @Now, @Actor)
                        """,
                        new
                        {
                            task.Id,
                            task.Track,
                            task.Title,
                            task.Owner,
                            Offset = task.Due is { } d ? DurationPattern.Roundtrip.Format(d) : null,
                            task.Deadline,
                            DependsOn = string.Join(',', task.DependsOn),
                            Ord = order++,
                            Now = Text(now),
                            Actor = actor,
                        },
                        t);
                }
            }

            AppendTimeline(c, t, now, actor, "incident-opened", incident.Id,
                $"incident '{incident.Title}' opened; detected {Show(incident.DetectedAt, incident)}, aware {(incident.AwareAt is { } a ? Show(a, incident) : "not yet established")}, zone {zoneId}, playbook {playbook.Source}");
            Recompute(c, t, incident, playbook, now, actor);
        });
        return incident;
    }

    /// <summary>The incident, or null when the workspace has none yet.</summary>
    public Incident? Find() => Workspace.Read(c => ReadIncident(c, null));

    /// <summary>The incident.</summary>
    /// <exception cref="UsageException">No incident is open in this workspace.</exception>
    public Incident Get() => Find() ?? throw new UsageException($"no incident is open in {Workspace.Root}; run 'breachline incident open' first");

    /// <summary>
    /// Changes when the organisation became aware (and optionally the title or detection time). Every
    /// deadline and task due time is recomputed in the same transaction, and the change is on the timeline.
    /// </summary>
    public Incident Update(Instant? awareAt, Instant? detectedAt, string? title, string actor)
    {
        var playbook = Playbook.Load();
        var now = Now;
        return Workspace.Write((c, t) =>
        {
            var before = ReadIncident(c, t) ?? throw new UsageException("no incident is open in this workspace");
            var after = before with
            {
                AwareAt = awareAt ?? before.AwareAt,
                DetectedAt = detectedAt ?? before.DetectedAt,
                Title = title ?? before.Title,
            };
            if (after.AwareAt is { } aware && aware < after.DetectedAt)
            {
                throw new UsageException("awareness cannot precede detection");
            }

            c.Execute(
                "UPDATE incident SET aware_at = @Aware, detected_at = @Detected, title = @Title",
                new { Aware = Text(after.AwareAt), Detected = Text(after.DetectedAt), after.Title },
                t);
            var changes = new List<string>();
            if (after.AwareAt != before.AwareAt)
            {
                changes.Add($"aware {(before.AwareAt is { } b ? Show(b, before) : "unset")} → {Show(after.AwareAt!.Value, after)}");
            }

            if (after.DetectedAt != before.DetectedAt)
            {
                changes.Add($"detected {Show(before.DetectedAt, before)} → {Show(after.DetectedAt, after)}");
            }

            if (after.Title != before.Title)
            {
                changes.Add($"title '{before.Title}' → '{after.Title}'");
            }

            AppendTimeline(c, t, now, actor, "incident-updated", after.Id, changes.Count == 0 ? "no change" : string.Join("; ", changes));
            Recompute(c, t, after, playbook, now, actor);
            return after;
        });
    }

    /// <summary>Every deadline on the clock, soonest first (no due time last).</summary>
    public IReadOnlyList<Deadline> Deadlines() => Workspace.Read(c => ReadDeadlines(c, null));

    /// <summary>Every task, in playbook order.</summary>
    public IReadOnlyList<ResponseTask> Tasks() => Workspace.Read(c => ReadTasks(c, null));

    /// <summary>Track names and titles in order.</summary>
    public IReadOnlyList<(string Name, string Title)> Tracks() =>
        Workspace.Read(c => c.Query<(string, string)>("SELECT name, title FROM tracks ORDER BY ord").ToList());

    /// <summary>The timeline, oldest first.</summary>
    public IReadOnlyList<TimelineEntry> Timeline() =>
        Workspace.Read(c => c.Query<TimelineRow>("SELECT seq AS Seq, at AS At, actor AS Actor, kind AS Kind, subject AS Subject, detail AS Detail FROM timeline ORDER BY seq")
            .Select(r => new TimelineEntry(r.Seq, ParseInstant(r.At), r.Actor, r.Kind, r.Subject, r.Detail))
            .ToList());

    /// <summary>Marks a task started. Refuses when a dependency is not done, unless <paramref name="force"/> (recorded).</summary>
    public TaskChange StartTask(string id, string actor, bool force = false) => ChangeTask(id, TaskState.Started, actor, force);

    /// <summary>Marks a task done. Refuses when a dependency is not done, unless <paramref name="force"/> (recorded).</summary>
    public TaskChange CompleteTask(string id, string actor, bool force = false) => ChangeTask(id, TaskState.Done, actor, force);

    /// <summary>Assigns a task to a person or role.</summary>
    public TaskChange AssignTask(string id, string owner, string actor)
    {
        var now = Now;
        return Workspace.Write((c, t) =>
        {
            var task = FindTask(c, t, id);
            if (task.Owner == owner)
            {
                return new TaskChange(task, false);
            }

            c.Execute("UPDATE tasks SET owner = @owner, updated_at = @now, updated_by = @actor WHERE id = @id", new { owner, now = Text(now), actor, id }, t);
            AppendTimeline(c, t, now, actor, "task-assigned", id, $"owner {task.Owner ?? "none"} → {owner}");
            return new TaskChange(FindTask(c, t, id), true);
        });
    }

    /// <summary>
    /// Puts a task on a track, idempotently: a new id is added (<c>task-added</c> on the timeline); an existing
    /// one gets the asked title and due time (<c>task-updated</c>) while its owner and status stay as the
    /// responders left them; asking again for what is stored writes nothing. The due time is fixed, so a
    /// later recompute of the deadlines keeps it.
    /// </summary>
    /// <exception cref="UsageException">The track does not exist, or the id names a task of another track.</exception>
    public TaskAddition AddTask(NewTask task, string actor)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (string.IsNullOrWhiteSpace(task.Id) || string.IsNullOrWhiteSpace(task.Title))
        {
            throw new UsageException("a task needs an id and a title");
        }

        var now = Now;
        return Workspace.Write((c, t) =>
        {
            var incident = ReadIncident(c, t) ?? throw new UsageException("no incident is open in this workspace");
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM tracks WHERE name = @Track", new { task.Track }, t) == 0)
            {
                throw new UsageException($"no track '{task.Track}' in this incident's playbook");
            }

            var existing = ReadTasks(c, t).FirstOrDefault(x => x.Id == task.Id);
            if (existing is null)
            {
                c.Execute(
                    """
                    INSERT INTO tasks(id, track, title, owner, status, due_offset, deadline_id, due, depends_on, ord, updated_at, updated_by)
                    VALUES (@Id, @Track, @Title, @Owner, 'todo', NULL, NULL, @Due, '', (SELECT COALESCE(MAX(ord), 0) + 1 FROM tasks), @Now, @Actor)
                    """,
                    new { task.Id, task.Track, task.Title, task.Owner, Due = Text(task.Due), Now = Text(now), Actor = actor },
                    t);
                AppendTimeline(c, t, now, actor, "task-added", task.Id,
                    $"{task.Title} (track {task.Track}, owner {task.Owner ?? "none"}, due {ShowDue(task.Due, incident)})");
                return new TaskAddition(FindTask(c, t, task.Id), TaskAddOutcome.Added);
            }

            if (existing.Track != task.Track)
            {
                throw new UsageException($"task '{task.Id}' already exists on track {existing.Track}, not {task.Track}");
            }

            var changes = new List<string>();
            if (existing.Title != task.Title)
            {
                changes.Add($"title '{existing.Title}' → '{task.Title}'");
            }

            if (existing.Due != task.Due)
            {
                changes.Add($"due {ShowDue(existing.Due, incident)} → {ShowDue(task.Due, incident)}");
            }

            if (changes.Count == 0)
            {
                return new TaskAddition(existing, TaskAddOutcome.Unchanged);
            }

            // Owner and status are the responders' to set; only what the analysis owns is refreshed.
            c.Execute(
                "UPDATE tasks SET title = @Title, due = @Due, due_offset = NULL, deadline_id = NULL, updated_at = @Now, updated_by = @Actor WHERE id = @Id",
                new { task.Id, task.Title, Due = Text(task.Due), Now = Text(now), Actor = actor },
                t);
            AppendTimeline(c, t, now, actor, "task-updated", task.Id, string.Join("; ", changes));
            return new TaskAddition(FindTask(c, t, task.Id), TaskAddOutcome.Updated);
        });
    }

    /// <summary>Adds a note to a task's history on the timeline.</summary>
    public TimelineEntry NoteTask(string id, string note, string actor)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new UsageException("the note is empty");
        }

        var now = Now;
        return Workspace.Write((c, t) =>
        {
            _ = FindTask(c, t, id);
            return AppendTimeline(c, t, now, actor, "task-note", id, note.Trim());
        });
    }

    /// <summary>Marks a deadline met.</summary>
    public Deadline CompleteDeadline(string id, string? note, string actor) => CloseDeadline(id, DeadlineStatus.Done, note, actor);

    /// <summary>Sets a deadline aside, with the reason (required: an auditor will ask).</summary>
    public Deadline WaiveDeadline(string id, string reason, string actor)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new UsageException("waiving a deadline needs a reason (--reason)");
        }

        return CloseDeadline(id, DeadlineStatus.Waived, reason, actor);
    }

    /// <summary>Appends a timeline entry for a change another stage made (e.g. a counsel fact set in notify).</summary>
    public TimelineEntry Record(string kind, string? subject, string detail, string actor)
    {
        var now = Now;
        return Workspace.Write((c, t) => AppendTimeline(c, t, now, actor, kind, subject, detail));
    }

    /// <summary>Recomputes every deadline source (protocol, plus law and contract sources given to this service) now.</summary>
    public void RecomputeDeadlines(string actor)
    {
        var playbook = Playbook.Load();
        var now = Now;
        Workspace.Write((c, t) =>
        {
            var incident = ReadIncident(c, t) ?? throw new UsageException("no incident is open in this workspace");
            Recompute(c, t, incident, playbook, now, actor);
        });
    }

    /// <summary>The incident clock at a glance, as of the injected clock's now.</summary>
    public IncidentStatus Status()
    {
        var asOf = Now;
        return Workspace.Read(c =>
        {
            var incident = ReadIncident(c, null) ?? throw new UsageException($"no incident is open in {Workspace.Root}; run 'breachline incident open' first");
            var tracks = c.Query<(string, string)>("SELECT name, title FROM tracks ORDER BY ord").ToList();
            return IncidentStatus.Build(incident, asOf, ReadDeadlines(c, null), ReadTasks(c, null), tracks);
        });
    }

    private TaskChange ChangeTask(string id, TaskState target, string actor, bool force)
    {
        var now = Now;
        return Workspace.Write((c, t) =>
        {
            var task = FindTask(c, t, id);
            if (task.Status == target || (task.Status == TaskState.Done && target == TaskState.Started))
            {
                return new TaskChange(task, false);
            }

            var open = task.DependsOn.Select(d => FindTask(c, t, d)).Where(d => d.Status != TaskState.Done).Select(d => d.Id).ToList();
            if (open.Count > 0 && !force)
            {
                throw new UsageException($"task '{id}' depends on {string.Join(", ", open)}, not done yet; finish those first or pass --force (recorded on the timeline)");
            }

            c.Execute(
                "UPDATE tasks SET status = @status, updated_at = @now, updated_by = @actor WHERE id = @id",
                new { status = Word(target), now = Text(now), actor, id },
                t);
            var detail = $"{Word(task.Status)} → {Word(target)}" + (open.Count > 0 ? $" (forced; open dependencies: {string.Join(", ", open)})" : "");
            AppendTimeline(c, t, now, actor, target == TaskState.Done ? "task-done" : "task-started", id, detail);
            return new TaskChange(FindTask(c, t, id), true);
        });
    }

    private Deadline CloseDeadline(string id, DeadlineStatus status, string? reason, string actor)
    {
        var now = Now;
        return Workspace.Write((c, t) =>
        {
            var existing = ReadDeadlines(c, t).FirstOrDefault(d => d.Definition.Id == id)
                ?? throw new UsageException($"no deadline '{id}'; see 'breachline deadline list'");
            if (existing.Status == status)
            {
                return existing;
            }

            c.Execute(
                "UPDATE deadlines SET status = @status, reason = @reason, closed_at = @now, closed_by = @actor WHERE id = @id",
                new { status = Word(status), reason, now = Text(now), actor, id },
                t);
            AppendTimeline(c, t, now, actor, status == DeadlineStatus.Done ? "deadline-done" : "deadline-waived", id,
                $"{existing.Definition.Title}: {Word(existing.Status)} → {Word(status)}" + (reason is null ? "" : $" ({reason})"));
            return ReadDeadlines(c, t).First(d => d.Definition.Id == id);
        });
    }

    private void Recompute(SqliteConnection c, SqliteTransaction t, Incident incident, Playbook playbook, Instant now, string actor)
    {
        var definitions = new ProtocolDeadlines(playbook).Compute(incident).ToList();
        foreach (var source in _extraSources)
        {
            definitions.AddRange(source.Compute(incident));
        }

        var sources = new HashSet<DeadlineSource>([DeadlineSource.Protocol, .. _extraSources.Select(s => s.Source)]);
        var existing = ReadDeadlines(c, t).Where(d => sources.Contains(d.Definition.Source)).ToDictionary(d => d.Definition.Id, StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var definition in definitions)
        {
            if (existing.Remove(definition.Id, out var old))
            {
                if (old.Definition == definition)
                {
                    continue;
                }

                c.Execute(
                    "UPDATE deadlines SET title = @Title, track = @Track, source = @Source, due = @Due, due_text = @DueText, citation = @Citation WHERE id = @Id",
                    Row(definition),
                    t);
                if (old.Definition.Due != definition.Due)
                {
                    changes.Add($"{definition.Id}: {ShowDue(old.Definition.Due, incident)} → {ShowDue(definition.Due, incident)}");
                }
            }
            else
            {
                c.Execute(
                    "INSERT INTO deadlines(id, title, track, source, due, due_text, citation, status) VALUES (@Id, @Title, @Track, @Source, @Due, @DueText, @Citation, 'open')",
                    Row(definition),
                    t);
                changes.Add($"{definition.Id}: due {ShowDue(definition.Due, incident)}");
            }
        }

        foreach (var gone in existing.Keys)
        {
            c.Execute("DELETE FROM deadlines WHERE id = @gone", new { gone }, t);
            changes.Add($"{gone}: removed (no longer applies)");
        }

        var dues = ReadDeadlines(c, t).ToDictionary(d => d.Definition.Id, d => d.Definition.Due, StringComparer.Ordinal);
        // Tasks with a fixed due time (added by a stage, no offset and no deadline) are not derived from the clock: leave them.
        foreach (var (id, offset, deadline) in c.Query<(string, string?, string?)>("SELECT id, due_offset, deadline_id FROM tasks WHERE due_offset IS NOT NULL OR deadline_id IS NOT NULL", transaction: t).ToList())
        {
            Instant? due = offset is not null
                ? incident.ClockStart + DurationPattern.Roundtrip.Parse(offset).Value
                : deadline is not null ? dues.GetValueOrDefault(deadline) : null;
            c.Execute("UPDATE tasks SET due = @due WHERE id = @id", new { due = Text(due), id }, t);
        }

        if (changes.Count > 0)
        {
            AppendTimeline(c, t, now, actor, "deadlines-recomputed", null,
                $"from {(incident.AwareAt is null ? "detection (awareness not yet set)" : "awareness")} at {Show(incident.ClockStart, incident)}: " + string.Join("; ", changes));
        }
    }

    private static object Row(DeadlineDefinition d) => new
    {
        d.Id,
        d.Title,
        d.Track,
        Source = Word(d.Source),
        Due = Text(d.Due),
        d.DueText,
        d.Citation,
    };

    private static TimelineEntry AppendTimeline(SqliteConnection c, SqliteTransaction t, Instant at, string actor, string kind, string? subject, string detail)
    {
        var seq = c.ExecuteScalar<long>(
            "INSERT INTO timeline(at, actor, kind, subject, detail) VALUES (@at, @actor, @kind, @subject, @detail); SELECT last_insert_rowid();",
            new { at = Text(at), actor, kind, subject, detail },
            t);
        return new TimelineEntry(seq, at, actor, kind, subject, detail);
    }

    private static Incident? ReadIncident(SqliteConnection c, SqliteTransaction? t)
    {
        var row = c.QuerySingleOrDefault<IncidentRow>(
            """
            SELECT id AS Id, title AS Title, detected_at AS DetectedAt, aware_at AS AwareAt, time_zone AS TimeZone, org_name AS OrgName,
                   org_id AS OrgId, org_kind AS OrgKind, org_path AS OrgPath, opened_at AS OpenedAt, opened_by AS OpenedBy
            FROM incident
            """,
            transaction: t);
        return row is null
            ? null
            : new Incident(
                row.Id,
                row.Title,
                ParseInstant(row.DetectedAt),
                row.AwareAt is null ? null : ParseInstant(row.AwareAt),
                row.TimeZone,
                row.OrgName is null ? null : new OrgSummary(row.OrgName, row.OrgId, row.OrgKind ?? "public-university"),
                row.OrgPath,
                ParseInstant(row.OpenedAt),
                row.OpenedBy);
    }

    private static List<Deadline> ReadDeadlines(SqliteConnection c, SqliteTransaction? t) =>
        [.. c.Query<DeadlineRow>(
                """
                SELECT id AS Id, title AS Title, track AS Track, source AS Source, due AS Due, due_text AS DueText, citation AS Citation,
                       status AS Status, reason AS Reason, closed_at AS ClosedAt, closed_by AS ClosedBy
                FROM deadlines
                """,
                transaction: t)
            .Select(r => new Deadline(
                new DeadlineDefinition(r.Id, r.Title, r.Track, Enum.Parse<DeadlineSource>(r.Source, ignoreCase: true), r.Due is null ? null : ParseInstant(r.Due), r.DueText, r.Citation),
                Enum.Parse<DeadlineStatus>(r.Status, ignoreCase: true),
                r.Reason,
                r.ClosedAt is null ? null : ParseInstant(r.ClosedAt),
                r.ClosedBy))
            .OrderBy(d => d.Definition.Due ?? Instant.MaxValue)
            .ThenBy(d => d.Definition.Id, StringComparer.Ordinal)];

    private static List<ResponseTask> ReadTasks(SqliteConnection c, SqliteTransaction? t) =>
        [.. c.Query<TaskRow>(
                """
                SELECT id AS Id, track AS Track, title AS Title, owner AS Owner, status AS Status, due AS Due, deadline_id AS DeadlineId,
                       depends_on AS DependsOn, updated_at AS UpdatedAt, updated_by AS UpdatedBy
                FROM tasks ORDER BY ord
                """,
                transaction: t)
            .Select(r => new ResponseTask(
                r.Id,
                r.Track,
                r.Title,
                r.Owner,
                Enum.Parse<TaskState>(r.Status, ignoreCase: true),
                r.Due is null ? null : ParseInstant(r.Due),
                r.DeadlineId,
                r.DependsOn.Length == 0 ? [] : r.DependsOn.Split(','),
                ParseInstant(r.UpdatedAt),
                r.UpdatedBy))];

    private static ResponseTask FindTask(SqliteConnection c, SqliteTransaction t, string id) =>
        ReadTasks(c, t).FirstOrDefault(x => x.Id == id)
        ?? throw new UsageException($"no task '{id}'; see 'breachline task list'");

    private static string MakeId(string title, Instant detected, string zone)
    {
        var local = detected.InZone(IncidentTime.Zone(zone)).Date;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{title}\n{detected}")))[..6];
        return string.Create(CultureInfo.InvariantCulture, $"INC-{local:yyyyMMdd}-{hash}");
    }

    private static string? Text(Instant? instant) => instant is { } i ? InstantPattern.ExtendedIso.Format(i) : null;

    private static Instant ParseInstant(string text) => InstantPattern.ExtendedIso.Parse(text).Value;

    private static string Show(Instant instant, Incident incident) => IncidentTime.Format(instant, incident.Zone);

    private static string ShowDue(Instant? due, Incident incident) => due is { } d ? Show(d, incident) : "no fixed time";

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private sealed record IncidentRow(string Id, string Title, string DetectedAt, string? AwareAt, string TimeZone, string? OrgName, string? OrgId, string? OrgKind, string? OrgPath, string OpenedAt, string OpenedBy);

    private sealed record DeadlineRow(string Id, string Title, string Track, string Source, string? Due, string? DueText, string? Citation, string Status, string? Reason, string? ClosedAt, string? ClosedBy);

    private sealed record TaskRow(string Id, string Track, string Title, string? Owner, string Status, string? Due, string? DeadlineId, string DependsOn, string UpdatedAt, string UpdatedBy);

    private sealed record TimelineRow(long Seq, string At, string Actor, string Kind, string? Subject, string Detail);
}

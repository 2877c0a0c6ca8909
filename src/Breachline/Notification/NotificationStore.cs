using System.Text.Json;
using Breachline.Common;
using Breachline.Storage;
using Dapper;
using NodaTime;

namespace Breachline.Notification;

/// <summary>
/// The notification stage's tables: counsel's facts (each change also written to the timeline) and the last
/// inputs the matrix was computed from, so `notify matrix` recomputes when a fact changes without rerunning
/// the pipeline.
/// </summary>
public static class NotificationStore
{
    /// <summary>The schema module (registered in WorkspaceSchema).</summary>
    public static SchemaModule Module { get; } = new("notification",
    [
        """
        CREATE TABLE notification_facts (key TEXT PRIMARY KEY, value TEXT NOT NULL, set_at TEXT NOT NULL, set_by TEXT NOT NULL);
        CREATE TABLE notification_timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL);
        CREATE TABLE notification_inputs (name TEXT PRIMARY KEY, json TEXT NOT NULL, saved_at TEXT NOT NULL);
        """,
    ]);

    /// <summary>Counsel's facts as stored.</summary>
    public static CounselFacts LoadFacts(Workspace workspace) =>
        new(workspace.Read(c => c.Query<(string Key, string Value)>("SELECT key, value FROM notification_facts").ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal)));

    /// <summary>
    /// Sets one fact and records the change on the incident timeline (or, before an incident is open, on this
    /// stage's own timeline table).
    /// </summary>
    public static void SetFact(Workspace workspace, TimeProvider time, string key, string value, string actor, DateTimeZone zone)
    {
        var at = Instant.FromDateTimeOffset(time.GetUtcNow());
        var when = IncidentTime.Format(at, zone);
        var old = workspace.Write((c, t) =>
        {
            var previous = c.QuerySingleOrDefault<string?>("SELECT value FROM notification_facts WHERE key = @key", new { key }, t);
            c.Execute(
                "INSERT INTO notification_facts(key, value, set_at, set_by) VALUES (@key, @value, @when, @actor) ON CONFLICT(key) DO UPDATE SET value = excluded.value, set_at = excluded.set_at, set_by = excluded.set_by",
                new { key, value, when, actor },
                t);
            return previous;
        });
        var detail = old is null ? $"counsel fact {key}={value}" : $"counsel fact {key}={value} (was {old})";
        var incidents = new Incidents.IncidentService(workspace, time);
        if (incidents.Find() is not null)
        {
            incidents.Record("notify-fact", key, detail, actor);
        }
        else
        {
            workspace.Write((c, t) => AppendTimeline(c, t, when, actor, "notify-fact", detail));
        }
    }

    /// <summary>Saves the inputs of the last computation (exposure, clock, org) as JSON.</summary>
    public static void SaveInputs(Workspace workspace, StoredInputs inputs, Instant at) =>
        workspace.Write((c, t) => c.Execute(
            "INSERT INTO notification_inputs(name, json, saved_at) VALUES ('last', @json, @at) ON CONFLICT(name) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at",
            new { json = JsonSerializer.Serialize(inputs, BreachlineJson.Options), at = at.ToString() },
            t));

    /// <summary>The inputs of the last computation, or null.</summary>
    public static StoredInputs? LoadInputs(Workspace workspace) =>
        workspace.Read(c => c.QuerySingleOrDefault<string?>("SELECT json FROM notification_inputs WHERE name = 'last'")) is { } json
            ? JsonSerializer.Deserialize<StoredInputs>(json, BreachlineJson.Options)
            : null;

    /// <summary>The stage's timeline entries, oldest first.</summary>
    public static IReadOnlyList<(string At, string Actor, string Kind, string Text)> Timeline(Workspace workspace) =>
        [.. workspace.Read(c => c.Query<(string, string, string, string)>("SELECT at, actor, kind, text FROM notification_timeline ORDER BY id"))];

    // Before an incident is open there is no incident timeline; the change is kept here so it is not lost.
    private static void AppendTimeline(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, string at, string actor, string kind, string text) =>
        c.Execute("INSERT INTO notification_timeline(at, actor, kind, text) VALUES (@at, @actor, @kind, @text)", new { at, actor, kind, text }, t);
}

/// <summary>What a matrix was computed from, stored so later commands recompute it with current facts.</summary>
/// <param name="IncidentId">Incident id.</param>
/// <param name="DetectedAt">Detection (ISO 8601).</param>
/// <param name="AwareAt">Awareness (ISO 8601).</param>
/// <param name="TimeZone">IANA zone.</param>
/// <param name="Kind">public-university, private-university or vendor.</param>
/// <param name="HomeJurisdiction">Home jurisdiction.</param>
/// <param name="OrgName">Organisation name.</param>
/// <param name="Auditor">SOC 2 auditor.</param>
/// <param name="AuditStart">Audit period start.</param>
/// <param name="AuditEnd">Audit period end.</param>
/// <param name="Exposure">Exposure facts.</param>
/// <param name="Customers">Customer agreements.</param>
public sealed record StoredInputs(
    string IncidentId,
    string DetectedAt,
    string AwareAt,
    string TimeZone,
    string Kind,
    string? HomeJurisdiction,
    string OrgName,
    string? Auditor,
    DateOnly? AuditStart,
    DateOnly? AuditEnd,
    ExposureFacts Exposure,
    IReadOnlyList<StoredCustomer> Customers)
{
    /// <summary>The engine input with <paramref name="facts"/>.</summary>
    public NotificationInput ToInput(CounselFacts facts)
    {
        var zone = IncidentTime.Zone(TimeZone);
        return new NotificationInput(
            IncidentId,
            IncidentTime.ParseInstant(DetectedAt, zone, "detectedAt"),
            IncidentTime.ParseInstant(AwareAt, zone, "awareAt"),
            zone,
            Kind switch
            {
                "public-university" => Org.InstitutionKind.PublicUniversity,
                "private-university" => Org.InstitutionKind.PrivateUniversity,
                _ => Org.InstitutionKind.Vendor,
            },
            HomeJurisdiction,
            OrgName,
            Auditor,
            AuditStart is { } s && AuditEnd is { } e ? (LocalDate.FromDateOnly(s), LocalDate.FromDateOnly(e)) : null,
            Exposure,
            [.. Customers.Select(c => c.ToContract())],
            facts);
    }

    /// <summary>Stores an engine input.</summary>
    public static StoredInputs From(NotificationInput input) => new(
        input.IncidentId,
        IncidentTime.Format(input.DetectedAt, input.Zone),
        IncidentTime.Format(input.AwareAt, input.Zone),
        input.Zone.Id,
        input.Kind switch
        {
            Org.InstitutionKind.PublicUniversity => "public-university",
            Org.InstitutionKind.PrivateUniversity => "private-university",
            _ => "vendor",
        },
        input.HomeJurisdiction,
        input.OrgName,
        input.Auditor,
        input.AuditPeriod?.Start.ToDateOnly(),
        input.AuditPeriod?.End.ToDateOnly(),
        input.Exposure,
        [.. input.Customers.Select(c => new StoredCustomer(c.Id, c.Name, c.NoticeWindowHours, c.Clause, c.Contact, c.Renewal, c.SecurityReview?.Start, c.SecurityReview?.End))]);
}

/// <summary>A customer agreement as stored.</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name.</param>
/// <param name="NoticeWindowHours">Notice window.</param>
/// <param name="Clause">Clause.</param>
/// <param name="Contact">Contact.</param>
/// <param name="Renewal">Renewal date.</param>
/// <param name="ReviewStart">Review start.</param>
/// <param name="ReviewEnd">Review end.</param>
public sealed record StoredCustomer(string Id, string Name, int NoticeWindowHours, string? Clause, string? Contact, DateOnly? Renewal, DateOnly? ReviewStart, DateOnly? ReviewEnd)
{
    /// <summary>Back to the contract.</summary>
    public CustomerContract ToContract() => new()
    {
        Id = Id,
        Name = Name,
        NoticeWindowHours = NoticeWindowHours,
        Clause = Clause,
        Contact = Contact,
        Renewal = Renewal,
        SecurityReview = ReviewStart is { } s && ReviewEnd is { } e ? new ReviewWindow { Start = s, End = e } : null,
    };
}

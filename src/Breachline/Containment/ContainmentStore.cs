using System.Globalization;
using System.Text.Json;
using Breachline.Common;
using Breachline.Storage;
using Dapper;

namespace Breachline.Containment;

/// <summary>One line of the containment journal: a request, its response digest, or a change of an action's state.</summary>
/// <param name="Seq">Order in the journal.</param>
/// <param name="PlanId">Plan the action belongs to.</param>
/// <param name="ActionId">Action.</param>
/// <param name="Phase">read, before, after, retry, skipped, done, failed, blocked, interrupted.</param>
/// <param name="Method">HTTP method, for requests.</param>
/// <param name="Url">URL without query string secrets (queries are SOQL, never secrets).</param>
/// <param name="RequestBody">Request body with secrets masked.</param>
/// <param name="Status">HTTP status of the response.</param>
/// <param name="BodySha256">SHA-256 of the response body.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who ran it.</param>
/// <param name="Note">What happened, in words.</param>
public sealed record JournalEntry(
    long Seq,
    string PlanId,
    string ActionId,
    string Phase,
    string? Method,
    string? Url,
    string? RequestBody,
    int? Status,
    string? BodySha256,
    DateTimeOffset At,
    string Actor,
    string? Note);

/// <summary>An action's recorded state.</summary>
/// <param name="ActionId">Action.</param>
/// <param name="Status">planned, in-progress, done, failed, blocked.</param>
/// <param name="Detail">Why, in words.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record ActionState(string ActionId, string Status, string? Detail, DateTimeOffset UpdatedAt);

/// <summary>
/// Containment's part of the workspace: saved plans, each action's state and the journal (SQLite module
/// <c>containment</c>), mirrored as JSON lines in <c>out/containment-journal.jsonl</c> for the vault.
/// </summary>
public sealed class ContainmentStore(Workspace workspace)
{
    /// <summary>File name of the JSON-lines journal under the workspace's out/.</summary>
    public const string JournalFileName = "containment-journal.jsonl";

    /// <summary>The schema module, registered in <see cref="WorkspaceSchema"/>.</summary>
    public static SchemaModule Schema { get; } = new("containment",
    [
        """
        CREATE TABLE containment_plans (
            plan_id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            plan_json TEXT NOT NULL
        );
        CREATE TABLE containment_actions (
            plan_id TEXT NOT NULL REFERENCES containment_plans(plan_id),
            action_id TEXT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (plan_id, action_id)
        );
        CREATE TABLE containment_journal (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id TEXT NOT NULL,
            action_id TEXT NOT NULL,
            phase TEXT NOT NULL,
            method TEXT,
            url TEXT,
            request_body TEXT,
            status INTEGER,
            body_sha256 TEXT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            note TEXT
        );
        CREATE INDEX containment_journal_action ON containment_journal(plan_id, action_id);
        """,
    ]);

    /// <summary>The JSON-lines journal file.</summary>
    public string JournalPath => Path.Combine(workspace.OutPath, JournalFileName);

    /// <summary>Saves a plan (again saving the same plan id changes nothing) and makes it the current one.</summary>
    public void SavePlan(ContainmentPlan plan, string actor, DateTimeOffset at) =>
        workspace.Write((c, t) =>
        {
            c.Execute(
                """
                INSERT INTO containment_plans(plan_id, created_at, actor, plan_json) VALUES (@id, @at, @actor, @json)
                ON CONFLICT(plan_id) DO UPDATE SET created_at = excluded.created_at
                """,
                new { id = plan.PlanId, at = Format(at), actor, json = JsonSerializer.Serialize(plan, BreachlineJson.Options) },
                t);
            foreach (var action in plan.Actions)
            {
                c.Execute(
                    "INSERT INTO containment_actions(plan_id, action_id, status, detail, updated_at) VALUES (@p, @a, 'planned', NULL, @at) ON CONFLICT DO NOTHING",
                    new { p = plan.PlanId, a = action.Id, at = Format(at) },
                    t);
            }
        });

    /// <summary>The plan saved last, or null.</summary>
    public ContainmentPlan? CurrentPlan() =>
        workspace.Read(c => c.QueryFirstOrDefault<string>("SELECT plan_json FROM containment_plans ORDER BY created_at DESC, rowid DESC LIMIT 1")) is { } json
            ? JsonSerializer.Deserialize<ContainmentPlan>(json, BreachlineJson.Options)
            : null;

    /// <summary>Every action's state for a plan.</summary>
    public IReadOnlyDictionary<string, ActionState> States(string planId) =>
        workspace.Read(c => c.Query<(string ActionId, string Status, string? Detail, string UpdatedAt)>(
                "SELECT action_id, status, detail, updated_at FROM containment_actions WHERE plan_id = @planId", new { planId })
            .ToDictionary(r => r.ActionId, r => new ActionState(r.ActionId, r.Status, r.Detail, Parse(r.UpdatedAt)), StringComparer.Ordinal));

    /// <summary>Records an action's new state and the journal entry saying so, in one transaction.</summary>
    public void SetState(string planId, string actionId, string status, string? detail, DateTimeOffset at, string actor)
    {
        workspace.Write((c, t) => c.Execute(
            """
            INSERT INTO containment_actions(plan_id, action_id, status, detail, updated_at) VALUES (@planId, @actionId, @status, @detail, @at)
            ON CONFLICT(plan_id, action_id) DO UPDATE SET status = excluded.status, detail = excluded.detail, updated_at = excluded.updated_at
            """,
            new { planId, actionId, status, detail, at = Format(at) },
            t));
        Append(new JournalEntry(0, planId, actionId, status, null, null, null, null, null, at, actor, detail));
    }

    /// <summary>
    /// Appends a journal entry to the database, then to the JSON-lines file; returns it with its sequence number.
    /// Entries about writes (before, after) and state changes are forced to disk before the call returns, so
    /// the record of a change always exists before the change is sent; reads are flushed with the next one.
    /// </summary>
    public JournalEntry Append(JournalEntry entry)
    {
        var durable = entry.Phase is not ("read" or "skipped" or "retry");
        using var connection = workspace.Connect();
        if (!durable)
        {
            connection.Execute("PRAGMA synchronous=NORMAL");
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var seq = connection.ExecuteScalar<long>(
            """
            INSERT INTO containment_journal(plan_id, action_id, phase, method, url, request_body, status, body_sha256, at, actor, note)
            VALUES (@PlanId, @ActionId, @Phase, @Method, @Url, @RequestBody, @Status, @BodySha256, @AtText, @Actor, @Note);
            SELECT last_insert_rowid();
            """,
            new { entry.PlanId, entry.ActionId, entry.Phase, entry.Method, entry.Url, entry.RequestBody, entry.Status, entry.BodySha256, AtText = Format(entry.At), entry.Actor, entry.Note },
            transaction);
        transaction.Commit();
        var written = entry with { Seq = seq };
        var line = JsonSerializer.Serialize(written, Compact) + "\n";
        using (var file = new FileStream(JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(line));
            file.Flush(flushToDisk: durable);
        }

        return written;
    }

    /// <summary>The journal of a plan (or of one action), in order.</summary>
    public IReadOnlyList<JournalEntry> Journal(string planId, string? actionId = null) =>
        workspace.Read(c => c.Query<(long Seq, string PlanId, string ActionId, string Phase, string? Method, string? Url, string? RequestBody, long? Status, string? BodySha256, string At, string Actor, string? Note)>(
                "SELECT seq, plan_id, action_id, phase, method, url, request_body, status, body_sha256, at, actor, note FROM containment_journal WHERE plan_id = @planId AND (@actionId IS NULL OR action_id = @actionId) ORDER BY seq",
                new { planId, actionId })
            .Select(r => new JournalEntry(r.Seq, r.PlanId, r.ActionId, r.Phase, r.Method, r.Url, r.RequestBody, r.Status is { } s ? (int)s : null, r.BodySha256, Parse(r.At), r.Actor, r.Note))
            .ToList());

    private static readonly JsonSerializerOptions Compact = new(BreachlineJson.Options) { WriteIndented = false };

    private static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

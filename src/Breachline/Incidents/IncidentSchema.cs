using Breachline.Storage;

namespace Breachline.Incidents;

/// <summary>Tables of the incident itself: one incident per workspace, its timeline, deadlines and tasks.</summary>
public static class IncidentSchema
{
    /// <summary>The module registered in <see cref="WorkspaceSchema"/>.</summary>
    public static SchemaModule Module { get; } = new("incidents",
    [
        """
        CREATE TABLE incident (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            detected_at TEXT NOT NULL,
            aware_at TEXT,
            time_zone TEXT NOT NULL,
            org_name TEXT,
            org_id TEXT,
            org_kind TEXT,
            org_path TEXT,
            opened_at TEXT NOT NULL,
            opened_by TEXT NOT NULL
        );
        CREATE TABLE timeline (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT,
            detail TEXT NOT NULL
        );
        CREATE TABLE deadlines (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            track TEXT NOT NULL,
            source TEXT NOT NULL,
            due TEXT,
            due_text TEXT,
            citation TEXT,
            status TEXT NOT NULL,
            reason TEXT,
            closed_at TEXT,
            closed_by TEXT
        );
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            track TEXT NOT NULL,
            title TEXT NOT NULL,
            owner TEXT,
            status TEXT NOT NULL,
            due_offset TEXT,
            deadline_id TEXT,
            due TEXT,
            depends_on TEXT NOT NULL,
            ord INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        );
        CREATE TABLE tracks (
            name TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            ord INTEGER NOT NULL
        );
        """,
    ]);
}

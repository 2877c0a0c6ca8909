using Breachline.Storage;

namespace Breachline.Evidence;

/// <summary>The evidence vault's tables: items, the custody log (Merkle leaves, verbatim) and signed tree heads.</summary>
public static class EvidenceSchema
{
    /// <summary>The schema module registered in <see cref="WorkspaceSchema"/>.</summary>
    public static SchemaModule Module { get; } = new("evidence",
    [
        """
        CREATE TABLE evidence_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE evidence_items (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            source TEXT NOT NULL,
            collector TEXT NOT NULL,
            collected_at TEXT NOT NULL,
            observed_from TEXT,
            observed_to TEXT,
            custody_seq INTEGER NOT NULL,
            UNIQUE (path, sha256));
        CREATE INDEX evidence_items_sha ON evidence_items (sha256);
        CREATE TABLE evidence_custody (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL, leaf_hash BLOB NOT NULL);
        CREATE TABLE evidence_heads (
            number INTEGER PRIMARY KEY,
            tree_size INTEGER NOT NULL,
            root_hash TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            key_id TEXT NOT NULL,
            body BLOB NOT NULL,
            signature BLOB NOT NULL);
        """,
    ]);
}

namespace Breachline.Evidence;

/// <summary>What a piece of evidence is, from the export's top-level folder or from the stage that wrote it.</summary>
public enum EvidenceKind
{
    /// <summary>Salesforce metadata (metadata/).</summary>
    Metadata,

    /// <summary>Event Monitoring, SetupAuditTrail, Real-Time Event Monitoring (logs/).</summary>
    Logs,

    /// <summary>Record exports (records/).</summary>
    Records,

    /// <summary>Integration source and configuration (integrations/).</summary>
    Integrations,

    /// <summary>API gateway access logs (gateway/).</summary>
    Gateway,

    /// <summary>An output Breachline wrote: incident.json, report.html, exports.</summary>
    Report,

    /// <summary>The journal of containment actions taken against the org.</summary>
    ContainmentJournal,

    /// <summary>Anything else (org.yaml, customers.yaml, unknown folders).</summary>
    Other,
}

/// <summary>The stable names of <see cref="EvidenceKind"/> as written in custody entries, incident.json and the CLI.</summary>
public static class EvidenceKinds
{
    /// <summary>The kebab-case name.</summary>
    public static string Name(this EvidenceKind kind) => kind switch
    {
        EvidenceKind.Metadata => "metadata",
        EvidenceKind.Logs => "logs",
        EvidenceKind.Records => "records",
        EvidenceKind.Integrations => "integrations",
        EvidenceKind.Gateway => "gateway",
        EvidenceKind.Report => "report",
        EvidenceKind.ContainmentJournal => "containment-journal",
        EvidenceKind.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a kebab-case name.</summary>
    public static EvidenceKind? Parse(string? name) =>
        Enum.GetValues<EvidenceKind>().Select(k => (EvidenceKind?)k).FirstOrDefault(k => k!.Value.Name() == name);

    /// <summary>The kind of a file from the top-level folder of its path inside the export.</summary>
    public static EvidenceKind FromExportPath(string relativePath)
    {
        var slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        var top = slash < 0 ? string.Empty : relativePath[..slash];
        return Parse(top) is { } kind && kind is not (EvidenceKind.Report or EvidenceKind.ContainmentJournal or EvidenceKind.Other)
            ? kind
            : EvidenceKind.Other;
    }
}

/// <summary>One collected file: a content-addressed object plus where it came from.</summary>
/// <param name="Id">Stable item id (<c>E-000001</c>).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content; also the object's name in the vault.</param>
/// <param name="Path">Path relative to the org export root (forward slashes), or the output's path for reports.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Source">Free text: where the bytes came from.</param>
/// <param name="Collector">Who collected it.</param>
/// <param name="CollectedAt">When it was collected (the injected clock).</param>
/// <param name="ObservedFrom">First event time in the file (logs), separate from collection time.</param>
/// <param name="ObservedTo">Last event time in the file (logs).</param>
/// <param name="CustodySeq">The custody entry that recorded its collection.</param>
public sealed record EvidenceItem(
    string Id,
    string Sha256,
    string Path,
    EvidenceKind Kind,
    long Size,
    string Source,
    string Collector,
    DateTimeOffset CollectedAt,
    DateTimeOffset? ObservedFrom,
    DateTimeOffset? ObservedTo,
    long CustodySeq);

/// <summary>A signed tree head: the tree size and root at one moment, signed with the workspace key.</summary>
/// <param name="Number">1-based number of the head in this vault.</param>
/// <param name="TreeSize">Leaves covered.</param>
/// <param name="RootHash">Lower-case hex root.</param>
/// <param name="SignedAt">When it was signed.</param>
/// <param name="KeyId">SHA-256 of the public key (SubjectPublicKeyInfo DER), hex.</param>
/// <param name="Body">The exact signed text.</param>
/// <param name="Signature">ECDSA P-256 / SHA-256 signature over the body, DER (as <c>openssl dgst -sha256 -sign</c> writes it).</param>
public sealed record SignedTreeHead(long Number, long TreeSize, string RootHash, DateTimeOffset SignedAt, string KeyId, byte[] Body, byte[] Signature);

/// <summary>Progress of a collection, reported after each file's custody entry is committed.</summary>
/// <param name="Done">Files handled so far (collected or skipped).</param>
/// <param name="Total">Files found.</param>
/// <param name="Bytes">Bytes hashed so far.</param>
/// <param name="Committed">Items whose custody entries have just been committed (their collection is complete).</param>
public sealed record CollectProgress(int Done, int Total, long Bytes, IReadOnlyList<EvidenceItem> Committed);

/// <summary>The outcome of collecting an export.</summary>
/// <param name="Items">Every item collected in this run (new or already held).</param>
/// <param name="NewObjects">Objects stored for the first time.</param>
/// <param name="Bytes">Bytes hashed.</param>
/// <param name="Skipped">Files not collected, each with the reason.</param>
/// <param name="SnapshotPath">A read-only view of the export at its original paths, made of the vault's objects.</param>
/// <param name="Head">The signed tree head after the last batch.</param>
public sealed record CollectResult(
    IReadOnlyList<EvidenceItem> Items,
    int NewObjects,
    long Bytes,
    IReadOnlyList<Common.InputProblem> Skipped,
    string SnapshotPath,
    SignedTreeHead? Head);

/// <summary>One thing verification found wrong, naming what.</summary>
/// <param name="Subject">What is wrong: <c>object …</c>, <c>custody entry #n</c>, <c>signed tree head #n</c>, <c>item E-…</c>.</param>
/// <param name="Message">How it is wrong.</param>
public sealed record VerificationProblem(string Subject, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Subject}: {Message}";
}

/// <summary>The outcome of <c>evidence verify</c> or <c>evidence verify-bundle</c>.</summary>
/// <param name="Objects">Objects re-hashed.</param>
/// <param name="Entries">Custody entries checked.</param>
/// <param name="Heads">Signed heads checked.</param>
/// <param name="TreeSize">Size of the tree under the last signed head.</param>
/// <param name="RootHash">Its root, hex.</param>
/// <param name="Problems">Everything wrong; empty when the evidence verifies.</param>
/// <param name="Notes">Things worth knowing that are not failures (objects left by an interrupted collect).</param>
public sealed record VerificationReport(
    int Objects,
    long Entries,
    int Heads,
    long TreeSize,
    string RootHash,
    IReadOnlyList<VerificationProblem> Problems,
    IReadOnlyList<string> Notes)
{
    /// <summary>True when nothing is wrong.</summary>
    public bool Ok => Problems.Count == 0;
}

/// <summary>An inclusion proof of one custody entry under a signed head.</summary>
/// <param name="Seq">The entry (leaf index).</param>
/// <param name="TreeSize">The tree it is proved in.</param>
/// <param name="LeafHash">SHA-256(0x00 ‖ entry), hex.</param>
/// <param name="Path">Sibling hashes, leaf to root, hex.</param>
/// <param name="RootHash">Root of that tree, hex.</param>
/// <param name="Head">The signed head with that root.</param>
/// <param name="Verified">True when the path checks against the root (RFC 9162 §2.1.3.2).</param>
/// <param name="Entry">The entry's exact text.</param>
public sealed record InclusionProof(long Seq, long TreeSize, string LeafHash, IReadOnlyList<string> Path, string RootHash, long Head, bool Verified, string Entry);

/// <summary>A consistency proof between two tree sizes.</summary>
/// <param name="OldSize">The earlier size.</param>
/// <param name="NewSize">The later size.</param>
/// <param name="OldRoot">Root at the earlier size, hex.</param>
/// <param name="NewRoot">Root at the later size, hex.</param>
/// <param name="Proof">The proof hashes, hex.</param>
/// <param name="Verified">True when the proof checks (RFC 9162 §2.1.4.2).</param>
public sealed record ConsistencyProof(long OldSize, long NewSize, string OldRoot, string NewRoot, IReadOnlyList<string> Proof, bool Verified);

/// <summary>The <c>evidence</c> member of incident.json (docs/schema/evidence.schema.json).</summary>
/// <param name="TreeSize">Custody entries under the last signed head.</param>
/// <param name="RootHash">Its root, hex.</param>
/// <param name="SignedAt">When it was signed.</param>
/// <param name="Items">The items.</param>
public sealed record EvidenceSummary(long TreeSize, string RootHash, DateTimeOffset? SignedAt, IReadOnlyList<EvidenceSummaryItem> Items);

/// <summary>One item as incident.json shows it.</summary>
public sealed record EvidenceSummaryItem(string Id, string Path, string Kind, string Sha256, long Size, DateTimeOffset? ObservedFrom, DateTimeOffset? ObservedTo);

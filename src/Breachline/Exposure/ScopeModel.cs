using Breachline.Common;
using Breachline.Exposure.Soql;

namespace Breachline.Exposure;

/// <summary>
/// One malicious query as scope needs it: the hunt's <c>HuntQuery</c> carries more; this is what decides which
/// records left. A query without SOQL text (some log rows carry none) is scoped conservatively.
/// </summary>
/// <param name="Time">When the rows left.</param>
/// <param name="User">18-character id of the identity it ran as.</param>
/// <param name="Object">Object queried, as the log names it.</param>
/// <param name="Soql">The statement, when a log carries it.</param>
/// <param name="Rows">Rows the log says were returned (0 for COUNT() probes; -1 when no log says).</param>
/// <param name="Evidence">The log rows describing it.</param>
/// <param name="EventType">Log event type (RestApi, BulkApi2, AuraRequest…).</param>
/// <param name="Ip">Client address.</param>
public sealed record ExfiltrationQuery(
    DateTimeOffset Time,
    string? User,
    string? Object,
    string? Soql,
    long Rows,
    IReadOnlyList<EvidenceRef> Evidence,
    string? EventType = null,
    string? Ip = null);

/// <summary>What `scope` is asked to do.</summary>
/// <param name="Queries">The malicious queries (from the hunt).</param>
/// <param name="Via">Who received the data, for the FERPA record: the abused app or account, e.g. "connected app Campus_Chat".</param>
/// <param name="OutDir">Where the individuals list and the FERPA disclosure record are written (the workspace out/); null to write none.</param>
/// <param name="ClassificationFile">An org's own classification file; null to use the org export's classification.yaml when present.</param>
public sealed record ScopeRequest(IReadOnlyList<ExfiltrationQuery> Queries, string? Via = null, string? OutDir = null, string? ClassificationFile = null);

/// <summary>How one selected field was decided.</summary>
/// <param name="Field">Field or relationship path.</param>
/// <param name="Element">Element token, <c>none</c>, or null when unclassified.</param>
/// <param name="Classification">The classification rule that decided the element.</param>
/// <param name="Readable">Whether the identity could read it.</param>
/// <param name="Masked">Returned masked (Classic Encryption without View Encrypted Data).</param>
/// <param name="Access">The access rule that decided.</param>
public sealed record FieldDecision(string Field, string? Element, string Classification, bool Readable, bool Masked, string Access);

/// <summary>One query as scoped.</summary>
/// <param name="Time">When it ran.</param>
/// <param name="User">Identity.</param>
/// <param name="Object">Object.</param>
/// <param name="Soql">Statement.</param>
/// <param name="RowsLogged">Rows the log reports (-1 unknown).</param>
/// <param name="RecordsReconstructed">Records the evaluation says it returned.</param>
/// <param name="Understood">True when the whole statement was inside the subset.</param>
/// <param name="NotUnderstood">Parts outside the subset and the conservative assumption made for each.</param>
/// <param name="ObjectAccess">Rule that decided object access.</param>
/// <param name="Visibility">Rule that decided which records the identity could see.</param>
/// <param name="Fields">Each selected field's decision.</param>
/// <param name="Notes">Anything else a reviewer should know (row-count disagreement, missing export…).</param>
/// <param name="Evidence">Log rows.</param>
public sealed record ScopedQuery(
    DateTimeOffset Time,
    string? User,
    string? Object,
    string? Soql,
    long RowsLogged,
    long RecordsReconstructed,
    bool Understood,
    IReadOnlyList<SoqlProblem> NotUnderstood,
    string? ObjectAccess,
    string? Visibility,
    IReadOnlyList<FieldDecision> Fields,
    IReadOnlyList<string> Notes,
    IReadOnlyList<EvidenceRef> Evidence);

/// <summary>An exposed field no classification entry matches: a person must decide what it holds.</summary>
public sealed record UnclassifiedField(string Object, string Field, long Records);

/// <summary>Individuals for whom an element left only masked (Classic Encryption without View Encrypted Data).</summary>
/// <param name="Individuals">How many.</param>
/// <param name="Encrypted">Stored with Classic Encryption.</param>
/// <param name="KeyExposed">Whether the identity could have decrypted it (then it is counted in clear instead).</param>
public sealed record ProtectedElement(long Individuals, bool Encrypted, bool KeyExposed);

/// <summary>
/// One entry of the FERPA record of disclosure (34 CFR 99.32(a)): the party that received personally
/// identifiable information from education records, when, which records, and its legitimate interest.
/// </summary>
/// <param name="Time">When the records left.</param>
/// <param name="Party">Who received them.</param>
/// <param name="Object">Which records.</param>
/// <param name="Records">How many education records.</param>
/// <param name="Students">How many students.</param>
/// <param name="Elements">Education-record elements disclosed.</param>
/// <param name="LegitimateInterest">The party's interest in the records: none for an unauthorised party.</param>
/// <param name="Basis">Why it is recorded.</param>
/// <param name="Evidence">The log rows.</param>
public sealed record FerpaDisclosure(DateTimeOffset Time, string Party, string Object, long Records, long Students, IReadOnlyList<string> Elements, string LegitimateInterest, string Basis, IReadOnlyList<EvidenceRef> Evidence);

/// <summary>Files scope wrote.</summary>
/// <param name="Individuals">The individuals list (ids and masked names).</param>
/// <param name="FerpaRecord">The per-student FERPA record of disclosure.</param>
public sealed record ScopeOutputs(string? Individuals, string? FerpaRecord);

/// <summary>The exposure: which people and which of their data elements left, and where they live.</summary>
/// <param name="Individuals">Distinct people with at least one element exposed (in clear or masked).</param>
/// <param name="Records">Distinct records returned, per object.</param>
/// <param name="ByJurisdiction">Individuals per jurisdiction (unknown when the address places no one).</param>
/// <param name="ByElement">Individuals per element exposed in clear.</param>
/// <param name="ByJurisdictionAndElement">Individuals per jurisdiction and element in clear.</param>
/// <param name="ProtectedElements">Elements that left only masked, with the individuals concerned.</param>
/// <param name="UnknownResidence">Individuals whose residence could not be placed.</param>
/// <param name="RecordsWithoutPerson">Returned records that lead to no person (no link value, or an object with no person link), per object.</param>
/// <param name="UnattributedRows">Rows that may have left but lead to no one, per object: rows the logs report for objects the export has no (readable) records of, and export rows that cannot be read.</param>
/// <param name="Unclassified">Exposed fields nobody has classified yet.</param>
/// <param name="Queries">Each query as scoped.</param>
/// <param name="FerpaDisclosures">The FERPA record of disclosure, one entry per query that took education records.</param>
/// <param name="Outputs">Files written.</param>
/// <param name="Problems">Input that could not be read (the scope went on without it).</param>
public sealed record ScopeResult(
    long Individuals,
    IReadOnlyDictionary<string, long> Records,
    IReadOnlyDictionary<string, long> ByJurisdiction,
    IReadOnlyDictionary<string, long> ByElement,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByJurisdictionAndElement,
    IReadOnlyDictionary<string, ProtectedElement> ProtectedElements,
    long UnknownResidence,
    IReadOnlyDictionary<string, long> RecordsWithoutPerson,
    IReadOnlyDictionary<string, long> UnattributedRows,
    IReadOnlyList<UnclassifiedField> Unclassified,
    IReadOnlyList<ScopedQuery> Queries,
    IReadOnlyList<FerpaDisclosure> FerpaDisclosures,
    ScopeOutputs Outputs,
    IReadOnlyList<InputProblem> Problems)
{
    /// <summary>True when at least one person's data left.</summary>
    public bool AnyExposed => Individuals > 0;

    /// <summary>The exposure groups notify reads (individuals by jurisdiction and exact element set, per-element protection).</summary>
    public Notification.ExposureFacts Facts { get; init; } = new([], new Dictionary<string, Notification.ElementProtection>());
}

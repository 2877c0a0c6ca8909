using System.Text.Json;
using Breachline.Common;

namespace Breachline.Sample;

/// <summary>
/// The answer key of a generated org (truth.json, schema breachline/truth/v1, documented in docs/truth.md):
/// what the generator planted, computed from the plan itself and never by Breachline's own engines.
/// </summary>
public sealed record TruthDocument(
    string Schema,
    string Scenario,
    int Seed,
    TruthIncident Incident,
    TruthOrg Org,
    IReadOnlyList<TruthFinding> Findings,
    IReadOnlyList<TruthFinding> Negatives,
    TruthAttack Attack,
    TruthExposure Exposure)
{
    /// <summary>The schema identifier written in every truth.json.</summary>
    public const string SchemaId = "breachline/truth/v1";

    /// <summary>Reads a truth.json.</summary>
    public static TruthDocument Load(string path) =>
        JsonSerializer.Deserialize<TruthDocument>(File.ReadAllText(path), BreachlineJson.Options)
        ?? throw new InputException(path, 1, "truth.json is empty");
}

/// <summary>The incident's clock facts and a one-line summary.</summary>
public sealed record TruthIncident(string Title, string DetectedAt, string AwareAt, string TimeZone, string Summary);

/// <summary>Who the org is (mirrors org.yaml) and how large the export is.</summary>
public sealed record TruthOrg(string Name, string OrgId, string Kind, string HomeJurisdiction, IReadOnlyDictionary<string, int> Records, long LogBytes);

/// <summary>One planted leak cause (or clean look-alike): one line of one file.</summary>
/// <param name="Pattern">Finding pattern (DESIGN.md §9), e.g. over-permissive-oauth.</param>
/// <param name="Path">Path relative to the org export, forward slashes.</param>
/// <param name="Line">1-based line of the offending (or look-alike) text.</param>
/// <param name="What">Short description.</param>
/// <param name="Exploited">True on the causes the scenario's attacker used; absent otherwise.</param>
public sealed record TruthFinding(string Pattern, string Path, int Line, string What, bool? Exploited);

/// <summary>Everything the attacker did, as planted in logs/ and gateway/.</summary>
public sealed record TruthAttack(
    TruthWindow Window,
    IReadOnlyList<string> Ips,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Usernames,
    IReadOnlyList<string> ConnectedApps,
    IReadOnlyList<string> UserAgents,
    IReadOnlyList<string> Sessions,
    IReadOnlyList<TruthQuery> Queries,
    IReadOnlyList<TruthRequest> Requests,
    IReadOnlyList<TruthRequest> AntiForensics,
    TruthAuditChange SuspiciousChange,
    bool ViewEncryptedData,
    IReadOnlyDictionary<string, int> RowsByObject,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ExfiltratedIds);

/// <summary>First and last malicious event (ISO 8601 with the org's offset).</summary>
public sealed record TruthWindow(string Start, string End);

/// <summary>One malicious read of records: a SOQL query, a Bulk API 2.0 query job or a page of guest Aura reads.</summary>
/// <param name="Time">When the rows left (job completion, query response, Aura response).</param>
/// <param name="EventType">The Event Monitoring type whose rows carry it (RestApi, BulkApi2, AuraRequest).</param>
/// <param name="User">18-character user id.</param>
/// <param name="Ip">Client address.</param>
/// <param name="Object">Queried object API name.</param>
/// <param name="Soql">The SOQL (for guest Aura reads, the equivalent SOQL of the page).</param>
/// <param name="Rows">Records returned (0 for COUNT()).</param>
/// <param name="JobId">Bulk job id (15 characters) when the query was a job.</param>
/// <param name="RequestId">REQUEST_ID of the log row that reports the rows.</param>
public sealed record TruthQuery(string Time, string EventType, string User, string Ip, string Object, string Soql, int Rows, string? JobId, string RequestId);

/// <summary>One malicious request that returned no records (recon, job control, anti-forensics, gateway probes).</summary>
public sealed record TruthRequest(string Time, string EventType, string Method, string Uri, string Ip, string? User);

/// <summary>The one suspicious SetupAuditTrail row.</summary>
public sealed record TruthAuditChange(string Id, string Time, string Action, string Section, string Display, string CreatedBy);

/// <summary>Who was exposed, by jurisdiction and data element.</summary>
/// <param name="AttackerHasViewEncryptedData">Whether the attacker identity could read encrypted fields (SSN).</param>
/// <param name="Applies">Which variant the top-level counts are: withViewEncryptedData or withoutViewEncryptedData.</param>
/// <param name="Individuals">People with at least one exported row about them.</param>
/// <param name="Records">Exported rows per object.</param>
/// <param name="ByJurisdiction">Individuals per residence (US-IL, CN, …).</param>
/// <param name="ByElement">Individuals per data element token.</param>
/// <param name="ByJurisdictionAndElement">Individuals per residence and element.</param>
/// <param name="ByCustomer">Individuals per customer id (vendor orgs only).</param>
/// <param name="Variants">The counts with and without View Encrypted Data.</param>
public sealed record TruthExposure(
    bool AttackerHasViewEncryptedData,
    string Applies,
    int Individuals,
    IReadOnlyDictionary<string, int> Records,
    IReadOnlyDictionary<string, int> ByJurisdiction,
    IReadOnlyDictionary<string, int> ByElement,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByJurisdictionAndElement,
    IReadOnlyDictionary<string, int>? ByCustomer,
    IReadOnlyDictionary<string, TruthExposureVariant> Variants);

/// <summary>The exposure counts under one assumption about View Encrypted Data.</summary>
public sealed record TruthExposureVariant(
    int Individuals,
    IReadOnlyDictionary<string, int> ByJurisdiction,
    IReadOnlyDictionary<string, int> ByElement,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByJurisdictionAndElement);

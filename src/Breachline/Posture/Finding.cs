using Breachline.Common;

namespace Breachline.Posture;

/// <summary>Where a finding sits in the org export.</summary>
/// <param name="Path">Path relative to the export root, forward slashes (e.g. <c>metadata/force-app/…/X.connectedApp-meta.xml</c>).</param>
/// <param name="Line">1-based line, when the finding is one element or line; null for a finding about a whole folder.</param>
/// <param name="Column">1-based column, for secrets.</param>
public sealed record FindingLocation(string Path, int? Line, int? Column = null)
{
    /// <inheritdoc />
    public override string ToString() => Line is { } l ? Column is { } c ? $"{Path}:{l}:{c}" : $"{Path}:{l}" : Path;
}

/// <summary>
/// One leak cause found in an org export (DESIGN.md §9 <c>findings</c>): what rule, which leak pattern, how
/// severe, where, which SOC 2 criteria it puts at risk, how to fix it, and the evidence that shows it.
/// </summary>
/// <param name="Id">Stable id: the same rule at the same place always gets the same id.</param>
/// <param name="Rule">Rule id (e.g. <c>oauth-full-scope</c>, or <c>secret/aws-access-key-id</c>).</param>
/// <param name="Pattern">Leak pattern (DESIGN.md §9): over-permissive-oauth, open-sharing, guest-exposure, privilege-escalation, insufficient-logging, hardcoded-credential, insecure-transfer.</param>
/// <param name="Severity">critical, high, medium, low, info.</param>
/// <param name="Title">The rule's title.</param>
/// <param name="Detail">What exactly was seen here, in one sentence (secrets masked).</param>
/// <param name="Location">Where.</param>
/// <param name="Criteria">SOC 2 Trust Services Criteria the cause breaks, e.g. CC6.1.</param>
/// <param name="Rationale">Why it matters.</param>
/// <param name="Remediation">What to do.</param>
/// <param name="Evidence">The file read (SHA-256 names the vault object), or null for an absence (e.g. a missing log type).</param>
public sealed record Finding(
    string Id,
    string Rule,
    string Pattern,
    Severity Severity,
    string Title,
    string Detail,
    FindingLocation Location,
    IReadOnlyList<string> Criteria,
    string Rationale,
    string Remediation,
    EvidenceRef? Evidence);

/// <summary>The leak patterns of DESIGN.md §9.</summary>
public static class LeakPatterns
{
    /// <summary>Every pattern id.</summary>
    public static readonly IReadOnlyList<string> All =
        ["over-permissive-oauth", "insufficient-logging", "hardcoded-credential", "open-sharing", "guest-exposure", "privilege-escalation", "insecure-transfer"];
}

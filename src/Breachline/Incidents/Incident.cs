using Breachline.Common;
using NodaTime;

namespace Breachline.Incidents;

/// <summary>
/// The incident: what happened, when it was first detected, and when the organisation became aware that
/// personal data was affected — the start of GDPR's "aware" and most US "discovery" clocks.
/// </summary>
/// <param name="Id">Incident id, e.g. INC-2026-0307-1.</param>
/// <param name="Title">Short title.</param>
/// <param name="DetectedAt">First signal.</param>
/// <param name="AwareAt">Awareness that personal data was affected; null until established.</param>
/// <param name="TimeZone">IANA zone the organisation's clocks and business days run in.</param>
/// <param name="Org">The organisation, when an org export was named.</param>
/// <param name="OrgPath">The org export folder, when named.</param>
/// <param name="OpenedAt">When the incident was opened in Breachline.</param>
/// <param name="OpenedBy">Who opened it.</param>
public sealed record Incident(
    string Id,
    string Title,
    Instant DetectedAt,
    Instant? AwareAt,
    string TimeZone,
    OrgSummary? Org,
    string? OrgPath,
    Instant OpenedAt,
    string OpenedBy)
{
    /// <summary>The incident's zone.</summary>
    public DateTimeZone Zone => IncidentTime.Zone(TimeZone);

    /// <summary>Where clocks run from: awareness once known, detection until then.</summary>
    public Instant ClockStart => AwareAt ?? DetectedAt;
}

/// <summary>The organisation as the incident names it.</summary>
/// <param name="Name">Organisation name.</param>
/// <param name="OrgId">Salesforce org id.</param>
/// <param name="Kind">public-university, private-university or vendor.</param>
public sealed record OrgSummary(string Name, string? OrgId, string Kind);

using Breachline.Org;
using NodaTime;

namespace Breachline.Notification;

/// <summary>Everything the matrix is computed from.</summary>
/// <param name="IncidentId">Incident id.</param>
/// <param name="DetectedAt">First signal (FSA's clock, CERT-In's clock).</param>
/// <param name="AwareAt">Awareness / discovery that personal data was affected (most clocks).</param>
/// <param name="Zone">The organisation's zone: calendar and business days are counted there.</param>
/// <param name="Kind">Public university, private university or vendor.</param>
/// <param name="HomeJurisdiction">Where the organisation is established (US-IL), for establishment-based regimes.</param>
/// <param name="OrgName">Organisation name for drafts.</param>
/// <param name="Auditor">The SOC 2 service auditor, when known.</param>
/// <param name="AuditPeriod">The SOC 2 Type II period in force, when known.</param>
/// <param name="Exposure">Who was exposed, with what.</param>
/// <param name="Customers">Customer agreements (vendors).</param>
/// <param name="Facts">Counsel's facts.</param>
public sealed record NotificationInput(
    string IncidentId,
    Instant DetectedAt,
    Instant AwareAt,
    DateTimeZone Zone,
    InstitutionKind Kind,
    string? HomeJurisdiction,
    string OrgName,
    string? Auditor,
    (LocalDate Start, LocalDate End)? AuditPeriod,
    ExposureFacts Exposure,
    IReadOnlyList<CustomerContract> Customers,
    CounselFacts Facts);

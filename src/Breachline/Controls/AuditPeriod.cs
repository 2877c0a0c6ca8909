using System.Globalization;
using System.Text;
using Breachline.Common;
using Breachline.Forensics;
using Breachline.Incidents;
using Breachline.Org;
using NodaTime;

namespace Breachline.Controls;

/// <summary>Where the incident falls against the SOC 2 Type II audit period.</summary>
public enum PeriodPosition
{
    /// <summary>No audit period is declared in org.yaml.</summary>
    NoPeriod,

    /// <summary>The incident falls inside the period: controls were tested over it.</summary>
    Inside,

    /// <summary>The incident starts before the period and runs into it.</summary>
    Straddles,

    /// <summary>Before the period starts.</summary>
    Before,

    /// <summary>After the period ends (a subsequent event for the report, or the next period).</summary>
    After,
}

/// <summary>The incident against the Type II period, and the draft system-description disclosure (DC 4).</summary>
/// <param name="Start">Period start.</param>
/// <param name="End">Period end.</param>
/// <param name="Auditor">Service auditor.</param>
/// <param name="Position">Where the incident falls.</param>
/// <param name="IncidentStart">First malicious event (or detection).</param>
/// <param name="IncidentEnd">Last malicious event (or detection).</param>
/// <param name="DisclosureRequired">True when DC 4 asks for a disclosure: inside the period and a control failed.</param>
/// <param name="AffectedControls">Criteria whose operating effectiveness over the period is affected.</param>
/// <param name="Disclosure">The draft disclosure: nature, timing, extent, disposition.</param>
public sealed record AuditPeriodAssessment(
    DateOnly? Start,
    DateOnly? End,
    string? Auditor,
    PeriodPosition Position,
    DateTimeOffset? IncidentStart,
    DateTimeOffset? IncidentEnd,
    bool DisclosureRequired,
    IReadOnlyList<string> AffectedControls,
    SystemDescriptionDisclosure? Disclosure)
{
    /// <summary>Assesses the incident against the period.</summary>
    public static AuditPeriodAssessment Assess(AuditPeriodFacts? period, Incident? incident, HuntResult? hunt, IReadOnlyList<ControlGap> gaps, DateTimeZone zone)
    {
        DateTimeOffset? start = hunt?.Window?.Start ?? incident?.DetectedAt.InZone(zone).ToDateTimeOffset();
        DateTimeOffset? end = hunt?.Window?.End ?? incident?.DetectedAt.InZone(zone).ToDateTimeOffset();
        var deficient = gaps.Where(g => g.Status == ControlStatus.Deficient).Select(g => g.Id).ToList();
        if (period is null || start is null || end is null)
        {
            return new AuditPeriodAssessment(period?.Start, period?.End, period?.Auditor, PeriodPosition.NoPeriod, start, end, false, [], null);
        }

        // The period's days are the organisation's calendar days.
        var first = LocalDate.FromDateOnly(period.Start).AtStartOfDayInZone(zone).ToInstant();
        var afterLast = LocalDate.FromDateOnly(period.End).PlusDays(1).AtStartOfDayInZone(zone).ToInstant();
        var s = Instant.FromDateTimeOffset(start.Value);
        var e = Instant.FromDateTimeOffset(end.Value);
        var position = e < first ? PeriodPosition.Before
            : s >= afterLast ? PeriodPosition.After
            : s < first ? PeriodPosition.Straddles
            : PeriodPosition.Inside;
        var inPeriod = position is PeriodPosition.Inside or PeriodPosition.Straddles;
        var affected = inPeriod ? deficient : [];
        var required = inPeriod && deficient.Count > 0;
        var disclosure = inPeriod ? SystemDescriptionDisclosure.Draft(incident, hunt, gaps, start.Value, end.Value) : null;
        return new AuditPeriodAssessment(period.Start, period.End, period.Auditor, position, start, end, required, affected, disclosure);
    }
}

/// <summary>The DC 4 disclosure of a system incident: its nature, timing, extent and disposition (a DRAFT for management to edit).</summary>
public sealed record SystemDescriptionDisclosure(string Nature, string Timing, string Extent, string Disposition)
{
    /// <summary>Drafts the disclosure from the hunt and the gaps.</summary>
    public static SystemDescriptionDisclosure Draft(Incident? incident, HuntResult? hunt, IReadOnlyList<ControlGap> gaps, DateTimeOffset start, DateTimeOffset end)
    {
        var deficient = gaps.Where(g => g.Status == ControlStatus.Deficient).ToList();
        var apis = hunt?.Queries.Select(q => q.Api).Distinct(StringComparer.Ordinal).ToList() ?? [];
        var nature = new StringBuilder("Unauthorised access to student records in the CRM");
        if (hunt?.Suspects.ConnectedApps.Count > 0)
        {
            nature.Append(CultureInfo.InvariantCulture, $" through the connected app(s) {string.Join(", ", hunt.Suspects.ConnectedApps)}");
        }

        if (apis.Count > 0)
        {
            nature.Append(CultureInfo.InvariantCulture, $", using the {string.Join(", ", apis)} API(s)");
        }

        nature.Append(deficient.Count > 0
            ? $". It resulted from controls that did not operate effectively: {string.Join(", ", deficient.Select(g => g.Id))}."
            : ". No control failure has been established yet.");
        var timing = string.Create(CultureInfo.InvariantCulture, $"Unauthorised activity from {start:yyyy-MM-dd HH:mm zzz} to {end:yyyy-MM-dd HH:mm zzz}")
            + (incident is null ? "." : $"; detected {IncidentTime.Format(incident.DetectedAt, incident.Zone)}; aware {(incident.AwareAt is { } a ? IncidentTime.Format(a, incident.Zone) : "not yet established")}.");
        var rows = hunt?.RowsByObject ?? new Dictionary<string, long>();
        var extent = rows.Count == 0
            ? "The records affected are still being established."
            : string.Create(CultureInfo.InvariantCulture, $"{rows.Values.Sum()} records left the system ({string.Join(", ", rows.Select(r => $"{r.Key}: {r.Value}"))}); the individuals affected are counted by the scope stage.");
        var disposition = $"Containment and corrective actions are tracked in the plan of action and milestones ({gaps.Count(g => g.Status != ControlStatus.NoEvidenceOfFailure)} items); the service auditor is informed under the 24-hour protocol notice.";
        return new SystemDescriptionDisclosure(nature.ToString(), timing, extent, disposition);
    }
}

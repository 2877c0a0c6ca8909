using System.Globalization;
using System.Text;
using Breachline.Common;
using NodaTime;

namespace Breachline.Controls;

/// <summary>
/// The 24-hour notice to the SOC 2 service auditor, as a DRAFT for the SOC 2 owner to check and send: what
/// is known, what is not yet known, the criteria affected, and when the next update comes. Its deadline is
/// the protocol's <c>soc2-auditor-notice</c> on the incident clock.
/// </summary>
public static class AuditorNotice
{
    /// <summary>Writes the draft as Markdown.</summary>
    public static string Draft(ControlsResult result, string? organisation, GapMapping? mapping = null)
    {
        mapping ??= GapMapping.BuiltIn;
        var incident = result.Incident;
        var zone = incident?.Zone ?? DateTimeZone.Utc;
        string Show(Instant i) => IncidentTime.Format(i, zone);
        var hunt = result.Hunt;
        var period = result.Period;
        var sb = new StringBuilder();
        sb.Append("# DRAFT — not sent. Notice of a security incident to the SOC 2 service auditor\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"To: {period.Auditor ?? "the service auditor (name it in org.yaml auditPeriod.auditor)"}\n");
        sb.Append(CultureInfo.InvariantCulture, $"From: {organisation ?? "the organisation"}, SOC 2 owner\n");
        sb.Append(CultureInfo.InvariantCulture, $"Incident: {incident?.Id ?? "not yet opened"} — {incident?.Title ?? ""}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Written: {Show(result.AsOf)}\n");
        if (result.AuditorDeadline is { } deadline)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Notice due: {(deadline.Definition.Due is { } due ? Show(due) : "no fixed time")} ({deadline.Definition.DueText}; status {deadline.StatusAt(result.AsOf).ToString().ToLowerInvariant()})\n");
        }

        if (period.Start is { } ps && period.End is { } pe)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Audit period: {ps:yyyy-MM-dd} to {pe:yyyy-MM-dd} — the incident falls {PositionWords(period.Position)}.\n");
        }

        sb.Append("\n## What we know\n\n");
        if (incident is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- Detected {Show(incident.DetectedAt)}; aware that personal data was affected {(incident.AwareAt is { } a ? Show(a) : "not yet established")}.\n");
        }

        if (hunt?.Window is { } w)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- Unauthorised activity from {Show(Instant.FromDateTimeOffset(w.Start))} to {Show(Instant.FromDateTimeOffset(w.End))}: {hunt.Queries.Count} malicious queries by {hunt.Suspects.Users.Count} identities from {hunt.Suspects.Ips.Count} addresses");
            sb.Append(hunt.Suspects.ConnectedApps.Count > 0 ? $", through connected app(s) {string.Join(", ", hunt.Suspects.ConnectedApps)}.\n" : ".\n");
            if (hunt.RowsByObject.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- Records that left: {string.Join(", ", hunt.RowsByObject.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")))}.\n");
            }

            if (hunt.AntiForensics.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- The attacker removed traces {hunt.AntiForensics.Count} times (e.g. {hunt.AntiForensics[0].Detail}).\n");
            }
        }
        else
        {
            sb.Append("- The log hunt has not established unauthorised activity yet.\n");
        }

        foreach (var flow in result.DataFlows.Flows.Where(f => f.OnAttackPath))
        {
            sb.Append(CultureInfo.InvariantCulture, $"- The attack went through the integration boundary {flow.Name} ({flow.From} → {flow.To}).\n");
        }

        sb.Append("\n## What we do not know yet\n\n");
        sb.Append("- The number of individuals affected and their residence (scoping is under way; regulator-ready scope is due within 72 hours of awareness).\n");
        if (result.AttackPath.Findings.Count == 0)
        {
            sb.Append("- The cause: no configuration weakness has yet been tied to the attacker's identities.\n");
        }
        else
        {
            sb.Append("- Whether other integrations with the same weaknesses were also used (the hunt covers the exported logs only).\n");
        }

        if (result.Facts.Any(f => f.Id == "logs-missing"))
        {
            sb.Append("- Parts of the activity, because logs needed to see it are missing.\n");
        }

        sb.Append("- Whether containment is complete; the protocol commits to it within 48 hours.\n");
        sb.Append("\n## Trust Services Criteria affected\n\n");
        foreach (var gap in result.Deficient)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- **{gap.Id}** (deficient) {gap.Title}.\n");
        }

        foreach (var gap in result.AtRisk)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- {gap.Id} (at risk) {gap.Title}.\n");
        }

        if (period.DisclosureRequired)
        {
            sb.Append("\nThe incident falls inside the examination period and involves controls that did not operate effectively; management expects to disclose it in the system description (DC 4) and will share the draft.\n");
        }

        var next = result.AsOf + mapping.NextUpdateWithin;
        sb.Append(CultureInfo.InvariantCulture, $"\n## Next update\n\nBy {Show(next)}, or sooner if the scope or the criteria affected change.\n");
        return sb.ToString();
    }

    private static string PositionWords(PeriodPosition position) => position switch
    {
        PeriodPosition.Inside => "inside the period",
        PeriodPosition.Straddles => "partly inside the period",
        PeriodPosition.Before => "before the period",
        PeriodPosition.After => "after the period",
        _ => "outside any declared period",
    };
}

using System.Globalization;
using System.Text;
using Breachline.Common;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;

namespace Breachline.Notification;

/// <summary>One obligation as incident.json writes it (DESIGN.md §9, docs/schema/obligations.schema.json).</summary>
/// <param name="Id">Stable id (law:US-CA:individuals).</param>
/// <param name="Regime">Regime id.</param>
/// <param name="Notice">Notice id within the regime.</param>
/// <param name="Recipient">Recipient kind.</param>
/// <param name="RecipientName">Recipient.</param>
/// <param name="Triggered">true, false or "needs-decision".</param>
/// <param name="Why">The trace.</param>
/// <param name="Affected">Individuals concerned.</param>
/// <param name="Elements">Triggering elements.</param>
/// <param name="Due">Due time with the zone's offset, or null.</param>
/// <param name="DueText">Statute's words and how the due time was computed.</param>
/// <param name="Status">open or overdue as of the computation (triggered rows only).</param>
/// <param name="Citation">Citation.</param>
public sealed record ObligationDocument(
    string Id,
    string Regime,
    string Notice,
    string Recipient,
    string RecipientName,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(TriggeredJsonConverter))] Triggered Triggered,
    IReadOnlyList<string> Why,
    long Affected,
    IReadOnlyList<string> Elements,
    DateTimeOffset? Due,
    string DueText,
    string? Status,
    string Citation);

/// <summary>The matrix as `notify matrix --format json` prints it.</summary>
/// <param name="AsOf">When it was computed.</param>
/// <param name="Obligations">The rows.</param>
/// <param name="ContractsAtRisk">Contracts at risk.</param>
public sealed record MatrixDocument(DateTimeOffset AsOf, IReadOnlyList<ObligationDocument> Obligations, IReadOnlyList<ContractAtRiskDocument> ContractsAtRisk);

/// <summary>A contract at risk as JSON writes it.</summary>
/// <param name="Customer">Customer id.</param>
/// <param name="Name">Institution.</param>
/// <param name="Reason">Why.</param>
/// <param name="Date">Date at risk.</param>
public sealed record ContractAtRiskDocument(string Customer, string Name, string Reason, DateOnly Date);

/// <summary>Writes the matrix: incident.json rows, an iCalendar of deadlines, and notice drafts for counsel.</summary>
public static class NotificationOutputs
{
    /// <summary>The obligations member of incident.json.</summary>
    public static IReadOnlyList<ObligationDocument> ToDocuments(NotificationMatrix matrix, DateTimeZone zone, Instant asOf) =>
        [.. matrix.Obligations.Select(o => new ObligationDocument(
            o.Id, o.Regime, o.Notice, o.Recipient, o.RecipientName, o.Triggered, o.Why, o.Affected, o.Elements,
            o.Due is { } d ? IncidentTime.ToOffset(d, zone) : null,
            o.DueText,
            o.Triggered == Triggered.No ? null : o.Due is { } due && due <= asOf ? "overdue" : "open",
            o.Citation))];

    /// <summary>The whole matrix document.</summary>
    public static MatrixDocument ToDocument(NotificationMatrix matrix, DateTimeZone zone, Instant asOf) =>
        new(IncidentTime.ToOffset(asOf, zone), ToDocuments(matrix, zone, asOf),
            [.. matrix.ContractsAtRisk.Select(c => new ContractAtRiskDocument(c.Customer, c.Name, c.Reason, c.Date.ToDateOnly()))]);

    /// <summary>An iCalendar (RFC 5545) with one event per dated, triggered obligation, due at its deadline.</summary>
    public static string Calendar(NotificationMatrix matrix, string incidentId)
    {
        var calendar = new Ical.Net.Calendar();
        calendar.AddProperty("X-WR-CALNAME", $"Breachline {incidentId} notification deadlines");
        foreach (var o in matrix.Obligations.Where(o => o.Triggered != Triggered.No && o.Due is not null))
        {
            var due = o.Due!.Value.ToDateTimeUtc();
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{incidentId}/{o.Id}@breachline",
                Summary = $"{(o.Triggered == Triggered.NeedsDecision ? "[decide] " : "")}Notify {o.RecipientName} ({o.Regime})",
                Description = $"{o.DueText}\n{string.Join("\n", o.Why)}\n{o.Citation}",
                DtStart = new CalDateTime(due.AddMinutes(-30), "UTC"),
                DtEnd = new CalDateTime(due, "UTC"),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>
    /// Writes one draft per recipient of each triggered or undecided obligation (Markdown, marked DRAFT) and
    /// returns the files written. Individuals get one draft per jurisdiction; each names the content the
    /// law requires, then the filled body.
    /// </summary>
    public static IReadOnlyList<string> WriteDrafts(NotificationMatrix matrix, NotificationInput input, TemplateCatalog templates, ElementCatalog elements, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var contact = input.Facts.Get("contact") ?? "[contact point - set with: breachline notify set contact=...]";
        foreach (var o in matrix.Obligations.Where(o => o.Triggered != Triggered.No))
        {
            var template = templates.Get(o.Template);
            var labels = o.Elements.Select(t => elements.Elements.First(e => e.Token == t).Label).ToList();
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["org"] = input.OrgName,
                ["incidentId"] = input.IncidentId,
                ["awareAt"] = IncidentTime.Format(input.AwareAt, input.Zone),
                ["detectedAt"] = IncidentTime.Format(input.DetectedAt, input.Zone),
                ["regime"] = o.Regime,
                ["regimeName"] = o.Regime,
                ["recipientName"] = o.RecipientName,
                ["affected"] = o.Affected.ToString("N0", CultureInfo.InvariantCulture),
                ["elements"] = labels.Count == 0 ? "[data concerned - counsel to complete]" : string.Join(", ", labels),
                ["due"] = o.Due is { } d ? IncidentTime.Format(d, input.Zone) : "no fixed time",
                ["dueText"] = o.Due is { } dd ? $"{IncidentTime.Format(dd, input.Zone)} ({o.DueText})" : o.DueText,
                ["citation"] = o.Citation,
                ["why"] = string.Join("; ", o.Why),
                ["contact"] = contact,
                ["window"] = o.DueText,
            };
            var sb = new StringBuilder();
            sb.AppendLine("# DRAFT - FOR COUNSEL REVIEW - NOT SENT");
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {TemplateCatalog.Fill(template.Title, values)}");
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Obligation: `{o.Id}` ({(o.Triggered == Triggered.Yes ? "triggered" : "needs counsel's decision")})");
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Recipient: {o.RecipientName}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Due: {values["dueText"]}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Authority: {o.Citation}");
            sb.AppendLine();
            sb.AppendLine("### Content the law requires");
            foreach (var item in template.Requires)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- [ ] {TemplateCatalog.Fill(item, values)}");
            }

            sb.AppendLine();
            sb.AppendLine("### Why this notice");
            foreach (var line in o.Why)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
            }

            sb.AppendLine();
            sb.AppendLine("### Draft");
            sb.AppendLine();
            sb.AppendLine("```text");
            sb.Append(TemplateCatalog.Fill(template.Body, values));
            sb.AppendLine("```");
            var name = string.Concat(o.Id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + ".md";
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, sb.ToString());
            written.Add(path);
        }

        return written;
    }
}

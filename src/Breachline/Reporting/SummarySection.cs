using System.Globalization;
using System.Text.Json.Nodes;

namespace Breachline.Reporting;

/// <summary>
/// The executive summary: what happened, who is affected, what is due next, in five sentences and four
/// numbers. Every number is read from incident.json and carries the path it came from; a figure whose stage
/// has not run says so instead of showing a number.
/// </summary>
internal sealed class SummarySection : IReportSection
{
    public string Id => "summary";

    public string Title => "Executive summary";

    public bool AppliesTo(JsonObject document) => document["incident"] is not null;

    public void Render(JsonObject document, HtmlWriter html)
    {
        html.Raw("<div class=\"figures\">");
        foreach (var figure in Figures(document))
        {
            html.Figure(figure.Value, figure.Label, figure.Source);
        }

        html.Raw("</div>\n");
        foreach (var sentence in Sentences(document))
        {
            html.Paragraph(sentence);
        }
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        markdown.Table(["Figure", "Value", "Source in incident.json"], Figures(document).Select(f => (IReadOnlyList<string?>)[f.Label, f.Value, f.Source ?? "—"]));
        markdown.Paragraph(string.Join(" ", Sentences(document).Select(Text.Plain)));
    }

    /// <summary>The four numbers: individuals exposed, rows taken, obligations triggered, deadlines overdue.</summary>
    internal static IReadOnlyList<(string Value, string Label, string? Source)> Figures(JsonObject document)
    {
        var exposure = document["exposure"];
        var hunt = document["hunt"];
        var obligations = document["obligations"] as JsonArray;
        var deadlines = document["clock"]?["deadlines"] as JsonArray;
        return
        [
            exposure?["individuals"] is { } individuals
                ? (Number(individuals), "individuals exposed", "$.exposure.individuals")
                : ("—", "individuals exposed (not scoped yet)", null),
            hunt?["rowsByObject"] is JsonObject rows
                ? (Number(rows.Sum(r => r.Value!.GetValue<long>())), "rows taken", "sum($.hunt.rowsByObject)")
                : ("—", "rows taken (logs not hunted yet)", null),
            obligations is not null
                ? (Number(obligations.Count(o => o!["triggered"] is JsonValue v && v.TryGetValue<bool>(out var b) && b)), "obligations triggered", "count($.obligations[?(@.triggered==true)])")
                : ("—", "obligations (matrix not built yet)", null),
            deadlines is not null
                ? (ClockSection.Count(deadlines, "overdue"), "deadlines overdue", "count($.clock.deadlines[?(@.status=='overdue')])")
                : ("—", "deadlines overdue", null),
        ];
    }

    // Each sentence is a list of parts; the numbers and times in it carry the incident.json path they were read from.
    private static IEnumerable<List<Cell>> Sentences(JsonObject document)
    {
        var incident = document["incident"]!;
        Cell org = incident["org"]?["name"] is { } name ? Cell.Of(name) : "the organisation";
        yield return incident["awareAt"] is { } aware
            ? [Cell.Of(incident["title"]), ": first detected ", Cell.Of(incident["detectedAt"]), "; ", org, " became aware that personal data was affected at ", Cell.Of(aware), "."]
            : [Cell.Of(incident["title"]), ": first detected ", Cell.Of(incident["detectedAt"]), "; ", org, " has not yet established when it became aware that personal data was affected."];

        yield return document["findings"] is JsonArray { Count: > 0 } findings
            ? ["The scan names ", Cell.Derived(findings.Count, "count($.findings)"), " configuration and integration causes, the most frequent being ",
                findings.GroupBy(f => f!["pattern"]?.ToString()).OrderByDescending(g => g.Count()).First().Key, "."]
            : ["The cause in the org's configuration and integrations has not been scanned yet."];

        yield return document["hunt"]?["window"] is { } window && document["hunt"]?["rowsByObject"] is JsonObject rows
            ? ["Between ", Cell.Of(window["start"]), " and ", Cell.Of(window["end"]), " the attacker took ", Cell.Derived(rows.Sum(r => r.Value!.GetValue<long>()), "sum($.hunt.rowsByObject)"),
                " rows from ", Cell.Derived(rows.Count, "count($.hunt.rowsByObject)"), " objects."]
            : ["What was taken, by whom and when has not been established from the logs yet."];

        yield return document["exposure"] is { } exposure
            ? [Cell.Number(exposure["individuals"]), " individuals are exposed, residing in ", Cell.Derived((exposure["byJurisdiction"] as JsonObject)?.Count ?? 0, "count($.exposure.byJurisdiction)"), " jurisdictions."]
            : ["Who is affected has not been scoped yet."];

        var next = (document["clock"]?["deadlines"] as JsonArray)?.FirstOrDefault(d => d!["status"]?.ToString() is "overdue" or "open");
        yield return next is null
            ? ["No deadline is open."]
            : next["status"]!.ToString() == "overdue"
                ? ["Overdue now: ", Cell.Of(next["title"]), " (was due ", Cell.Of(next["due"]), ")."]
                : ["Next due: ", Cell.Of(next["title"]), " at ", Cell.Of(next["due"] ?? next["dueText"]), " (", Cell.Of(next["timeLeft"]), " left)."];
    }

    private static string Number(JsonNode node) => Number(node.GetValue<long>());

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

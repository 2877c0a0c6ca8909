using System.Globalization;
using System.Text.Json.Nodes;

namespace Breachline.Reporting;

/// <summary>Leak causes the scan found, grouped by pattern, severity first.</summary>
internal sealed class FindingsSection : IReportSection
{
    public string Id => "findings";

    public string Title => "Cause findings";

    public bool AppliesTo(JsonObject document) => document["findings"] is JsonArray;

    public void Render(JsonObject document, HtmlWriter html)
    {
        var findings = Sorted(document);
        html.Raw("<div class=\"figures\">").Figure(Text.N(findings.Count), "findings", "count($.findings)").Raw("</div>\n");
        if (Charts.Counts("Findings by pattern", [.. findings.GroupBy(f => f!["pattern"]!.ToString()).Select(g => (g.Key, (double)g.Count())).OrderByDescending(g => g.Item2)], "findings") is { } svg)
        {
            html.Chart("chart-findings", svg, "$.findings");
        }

        html.Table(["Severity", "Pattern", "Finding", "Where", "Criteria", "Evidence"], findings.Select(f => (IReadOnlyList<Cell>)
        [
            Cell.Of(f!["severity"]), Cell.Of(f["pattern"]), new Cell(html.Identities.InText($"{f["title"]} — {f["detail"]}"), Source: f.GetPath()),
            Cell.Of(f["location"], Text.Where(f["location"])) with { Evidence = f["evidence"] },
            Cell.Of(f["criteria"], string.Join(", ", (f["criteria"] as JsonArray ?? []).Select(c => c!.ToString()))),
            Cell.Of(f["evidence"], Text.Hash(f["evidence"])) with { Evidence = f["evidence"] },
        ]));
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown) =>
        markdown.Table(["Severity", "Pattern", "Finding", "Where", "Criteria"], Sorted(document).Select(f => (IReadOnlyList<string?>)
        [
            f!["severity"]?.ToString(), f["pattern"]?.ToString(), markdown.Identities.InText(f["title"]?.ToString()), Text.Where(f["location"]),
            string.Join(", ", (f["criteria"] as JsonArray ?? []).Select(c => c!.ToString())),
        ]));

    private static readonly string[] Order = ["critical", "high", "medium", "low", "info"];

    private static List<JsonNode?> Sorted(JsonObject document) =>
        [.. document["findings"]!.AsArray().OrderBy(f => Array.IndexOf(Order, f!["severity"]?.ToString())).ThenBy(f => f!["pattern"]?.ToString(), StringComparer.Ordinal)];
}

/// <summary>What was taken, by whom and when: window, suspects, queries, rows per object.</summary>
internal sealed class HuntSection : IReportSection
{
    public string Id => "hunt";

    public string Title => "What was taken (hunt)";

    public bool AppliesTo(JsonObject document) => document["hunt"] is JsonObject;

    public void Render(JsonObject document, HtmlWriter html)
    {
        var hunt = document["hunt"]!;
        var rows = hunt["rowsByObject"] as JsonObject ?? [];
        html.Raw("<div class=\"figures\">")
            .Figure(Text.N(rows.Sum(r => r.Value!.GetValue<long>())), "rows taken", "sum($.hunt.rowsByObject)")
            .Figure(Text.N((hunt["queries"] as JsonArray)?.Count ?? 0), "malicious queries", "count($.hunt.queries)")
            .Raw("</div>\n");
        html.Paragraph(Summary(hunt, html.Identities));
        if (Charts.Counts("Rows taken per object", [.. rows.Select(r => (r.Key, (double)r.Value!.GetValue<long>()))], "rows") is { } svg)
        {
            html.Chart("chart-rows", svg, "$.hunt.rowsByObject");
        }

        if (hunt["activity"] is { } activity && Charts.Activity(activity) is { } timeline)
        {
            html.Chart("chart-activity", timeline, "$.hunt.activity");
        }

        html.Table(["Time", "API", "Object", "Rows", "IP", "Query", "Evidence"], (hunt["queries"] as JsonArray ?? []).Select(q => (IReadOnlyList<Cell>)
        [
            Cell.Of(q!["time"]), Cell.Of(q["api"]), Cell.Of(q["object"]), Cell.Number(q["rows"]) with { Evidence = Text.FirstEvidence(q) }, Cell.Of(q["ip"]),
            Cell.Of(q["soql"], q["soql"]?.ToString() ?? "(not in the log)"),
            Text.FirstEvidence(q) is { } e ? Cell.Of(e, Text.Hash(e)) with { Evidence = e } : "",
        ]));
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        var hunt = document["hunt"]!;
        markdown.Paragraph(Text.Plain(Summary(hunt, markdown.Identities)));
        markdown.Table(["Time", "API", "Object", "Rows", "IP"], (hunt["queries"] as JsonArray ?? []).Select(q => (IReadOnlyList<string?>)
            [q!["time"]?.ToString(), q["api"]?.ToString(), q["object"]?.ToString(), Text.Rows(q["rows"]), q["ip"]?.ToString()]));
        if (hunt["activity"] is { } activity)
        {
            // The chart's data as a table: each malicious hour beside everything else read in that hour.
            var baseline = (activity["baseline"] as JsonArray ?? []).GroupBy(r => r!["hour"]!.ToString()).ToDictionary(g => g.Key, g => g.Sum(r => r!["rows"]!.GetValue<long>()), StringComparer.Ordinal);
            markdown.Heading(3, "Malicious activity over time against the baseline");
            markdown.Table(["Hour", "Object", "Malicious rows", "Baseline rows (all objects)"], (activity["malicious"] as JsonArray ?? []).Select(r => (IReadOnlyList<string?>)
                [r!["hour"]!.ToString(), r["object"]?.ToString(), Text.Rows(r["rows"]), Text.N(baseline.GetValueOrDefault(r["hour"]!.ToString()))]));
        }
    }

    private static List<Cell> Summary(JsonNode hunt, IdentityDisclosure identities)
    {
        var suspects = hunt["suspects"];
        Cell List(string key) => Cell.Of(suspects?[key], string.Join(", ", (suspects?[key] as JsonArray ?? []).Select(x => x!.ToString())));
        var users = Cell.Of(suspects?["usernames"], string.Join(", ", (suspects?["usernames"] as JsonArray ?? []).Select(u => identities.Identifier(u!.ToString()))));
        return
        [
            "Window ", Cell.Of(hunt["window"]?["start"]), " to ", Cell.Of(hunt["window"]?["end"]), ". Addresses: ", List("ips"), ". Apps: ", List("connectedApps"), ". ",
            $"Identities{(identities.Masked ? " (masked)" : "")}: ", users, ". Anti-forensics events: ",
            Cell.Derived((hunt["antiForensics"] as JsonArray)?.Count ?? 0, "count($.hunt.antiForensics)"), ".",
        ];
    }
}

/// <summary>Who is affected: individuals by jurisdiction and data element.</summary>
internal sealed class ExposureSection : IReportSection
{
    public string Id => "exposure";

    public string Title => "Exposure";

    public bool AppliesTo(JsonObject document) => document["exposure"] is JsonObject;

    public void Render(JsonObject document, HtmlWriter html)
    {
        var exposure = document["exposure"]!;
        var byJurisdiction = Top(exposure["byJurisdiction"]);
        html.Raw("<div class=\"figures\">")
            .Figure(Text.N(exposure["individuals"]!.GetValue<long>()), "individuals exposed", "$.exposure.individuals")
            .Figure(Text.N((exposure["byJurisdiction"] as JsonObject)?.Count ?? 0), "jurisdictions", "count($.exposure.byJurisdiction)")
            .Raw("</div>\n");
        if (Charts.Counts("Exposed individuals per jurisdiction (top 15)", [.. byJurisdiction.Take(15).Select(j => (j.Key, (double)j.Value))], "individuals") is { } svg)
        {
            html.Chart("chart-jurisdictions", svg, "$.exposure.byJurisdiction");
        }

        html.Raw("<h3>By data element</h3>").Table(["Element", "Individuals"], Top(exposure["byElement"]).Select(e => (IReadOnlyList<Cell>)[e.Key, Cell.Number(exposure["byElement"]![e.Key])]));
        html.Raw("<h3>By jurisdiction</h3>").Table(["Jurisdiction", "Individuals"], byJurisdiction.Select(e => (IReadOnlyList<Cell>)[e.Key, Cell.Number(exposure["byJurisdiction"]![e.Key])]));
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        var exposure = document["exposure"]!;
        markdown.Paragraph($"{Text.N(exposure["individuals"]!.GetValue<long>())} individuals exposed.");
        markdown.Table(["Element", "Individuals"], Top(exposure["byElement"]).Select(e => (IReadOnlyList<string?>)[e.Key, Text.N(e.Value)]));
        markdown.Table(["Jurisdiction", "Individuals"], Top(exposure["byJurisdiction"]).Select(e => (IReadOnlyList<string?>)[e.Key, Text.N(e.Value)]));
    }

    private static List<KeyValuePair<string, long>> Top(JsonNode? counts) =>
        [.. (counts as JsonObject ?? []).Select(p => new KeyValuePair<string, long>(p.Key, p.Value!.GetValue<long>())).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)];
}

/// <summary>The notification matrix: every obligation with recipient, deadline, reason and citation.</summary>
internal sealed class ObligationsSection : IReportSection
{
    public string Id => "obligations";

    public string Title => "Notification matrix";

    public bool AppliesTo(JsonObject document) => document["obligations"] is JsonArray;

    public void Render(JsonObject document, HtmlWriter html) =>
        html.Table(["Regime", "Recipient", "Triggered", "Affected", "Due", "Why", "Citation"], Rows(document).Select(o => (IReadOnlyList<Cell>)
        [
            Cell.Of(o!["regime"]), Cell.Of(o["recipientName"] ?? o["recipient"]), Cell.Of(o["triggered"]), Cell.Number(o["affected"]),
            Cell.Of(o["due"] ?? o["dueText"], cssClass: o["status"] is { } s ? $"status-{s}" : null),
            Cell.Of(o["why"], string.Join(" ", (o["why"] as JsonArray ?? []).Select(w => w!.ToString()))), Cell.Of(o["citation"]),
        ]));

    public void Markdown(JsonObject document, MarkdownWriter markdown) =>
        markdown.Table(["Regime", "Recipient", "Triggered", "Affected", "Due", "Citation"], Rows(document).Select(o => (IReadOnlyList<string?>)
        [
            o!["regime"]?.ToString(), o["recipientName"]?.ToString() ?? o["recipient"]?.ToString(), o["triggered"]?.ToString(), Text.Rows(o["affected"]),
            o["due"]?.ToString() ?? o["dueText"]?.ToString(), o["citation"]?.ToString(),
        ]));

    // Triggered first, then needs-decision, then not triggered; soonest due first within each.
    private static IEnumerable<JsonNode?> Rows(JsonObject document) =>
        document["obligations"]!.AsArray()
            .OrderBy(o => o!["triggered"]?.ToString() switch { "true" => 0, "needs-decision" => 1, _ => 2 })
            .ThenBy(o => o!["due"]?.ToString() ?? "~", StringComparer.Ordinal);
}

/// <summary>The containment plan and its journal status.</summary>
internal sealed class ContainmentSection : IReportSection
{
    public string Id => "containment";

    public string Title => "Containment";

    public bool AppliesTo(JsonObject document) => document["containment"] is JsonArray;

    public void Render(JsonObject document, HtmlWriter html) =>
        html.Table(["#", "Action", "Target", "Status", "Reason", "Reversal"], document["containment"]!.AsArray().Select(a => (IReadOnlyList<Cell>)
            [
                Cell.Number(a!["order"]), Cell.Of(a["action"]), Cell.Of(a["target"], html.Identities.InText(a["target"]?.ToString())), Cell.Of(a["status"]),
                Cell.Of(a["reason"], html.Identities.InText(a["reason"]?.ToString())), Cell.Of(a["reversal"]),
            ]));

    public void Markdown(JsonObject document, MarkdownWriter markdown) =>
        markdown.Table(["#", "Action", "Target", "Status"], document["containment"]!.AsArray().Select(a => (IReadOnlyList<string?>)
            [a!["order"]?.ToString(), a["action"]?.ToString(), markdown.Identities.InText(a["target"]?.ToString()), a["status"]?.ToString()]));
}

/// <summary>The evidence manifest with the signed tree head and how to verify it.</summary>
internal sealed class EvidenceSection : IReportSection
{
    public string Id => "evidence";

    public string Title => "Evidence manifest";

    public bool AppliesTo(JsonObject document) => document["evidence"] is JsonObject;

    public void Render(JsonObject document, HtmlWriter html)
    {
        var evidence = document["evidence"]!;
        html.Raw("<div class=\"figures\">").Figure(Text.N(evidence["treeSize"]!.GetValue<long>()), "custody entries", "$.evidence.treeSize")
            .Figure(Text.N((evidence["items"] as JsonArray)?.Count ?? 0), "evidence items", "count($.evidence.items)").Raw("</div>\n");
        html.Paragraph(["Signed tree head: root ", Cell.Of(evidence["rootHash"]), " over ", Cell.Number(evidence["treeSize"]), " entries, signed ", Cell.Of(evidence["signedAt"]), ". " +
            "Verify with 'breachline evidence verify', or offline from a bundle ('breachline evidence export', then 'evidence verify-bundle' or the procedure in docs/evidence.md)."]);
        html.Table(["Path", "Kind", "SHA-256", "Size", "Observed"], (evidence["items"] as JsonArray ?? []).Select(i => (IReadOnlyList<Cell>)
        [
            Cell.Of(i!["path"]), Cell.Of(i["kind"]), Cell.Of(i["sha256"]) with { Anchor = i["sha256"]?.ToString() }, Cell.Number(i["size"]),
            i["observedFrom"] is { } from ? new Cell($"{from} – {i["observedTo"]}", Source: i.GetPath()) : "",
        ]));
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        var evidence = document["evidence"]!;
        markdown.Paragraph($"Signed tree head: root {evidence["rootHash"]} over {evidence["treeSize"]} entries, signed {evidence["signedAt"]}.");
        markdown.Table(["Path", "Kind", "SHA-256"], (evidence["items"] as JsonArray ?? []).Select(i => (IReadOnlyList<string?>)[i!["path"]?.ToString(), i["kind"]?.ToString(), i["sha256"]?.ToString()]));
    }
}

/// <summary>Formatting shared by the stage sections.</summary>
internal static class Text
{
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The text of a paragraph whose parts carry sources (Markdown shows the text alone).</summary>
    public static string Plain(IEnumerable<Cell> parts) => string.Concat(parts.Select(p => p.Text));

    /// <summary>The first log line a query was read from.</summary>
    public static JsonNode? FirstEvidence(JsonNode? query) => (query?["evidence"] as JsonArray)?.FirstOrDefault();

    public static string Rows(JsonNode? node) => node is null ? "" : node.GetValue<long>() < 0 ? "unknown" : N(node.GetValue<long>());

    public static string Where(JsonNode? location) => location is null ? "" : location["line"] is { } line ? $"{location["path"]}:{line}" : location["path"]?.ToString() ?? "";

    public static string Hash(JsonNode? evidence) => evidence?["sha256"] is { } h ? $"sha256:{h.ToString()[..12]}{(evidence["line"] is { } l ? $" line {l}" : "")}" : "";
}

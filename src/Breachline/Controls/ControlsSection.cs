using System.Globalization;
using System.Text.Json.Nodes;
using Breachline.Reporting;

namespace Breachline.Controls;

/// <summary>The report's SOC 2 section: the criteria the incident failed or put at risk, with owner and due date.</summary>
public sealed class ControlsSection : IReportSection
{
    /// <inheritdoc />
    public string Id => "controls";

    /// <inheritdoc />
    public string Title => "SOC 2 controls";

    /// <inheritdoc />
    public bool AppliesTo(JsonObject document) => document["controls"] is JsonArray;

    /// <inheritdoc />
    public void Render(JsonObject document, HtmlWriter html)
    {
        var all = document["controls"]!.AsArray();
        var rows = Affected(all);
        html.Raw("<div class=\"figures\">")
            .Figure(Count(all, "deficient"), "criteria deficient", "count($.controls[?(@.status=='deficient')])")
            .Figure(Count(all, "at-risk"), "criteria at risk", "count($.controls[?(@.status=='at-risk')])")
            .Raw("</div>\n");
        html.Element("p", "The data-flow map (dataflow.svg), the auditor notice draft and the DC 4 disclosure draft are in the workspace's out/controls/ folder.");
        html.Table(
            ["Criterion", "Status", "Gap", "Remediation", "Owner", "Due", "Findings"],
            rows.Select(c => (IReadOnlyList<Cell>)
            [
                $"{c!["id"]} {c["title"]}",
                new Cell(c["status"]!.ToString(), c["status"]!.ToString() == "deficient" ? "status-overdue" : c["status"]!.ToString() == "at-risk" ? "status-open" : "status-done"),
                c["gap"]?.ToString(),
                c["remediation"]?.ToString(),
                c["owner"]?.ToString(),
                Cell.Of(c["due"], c["due"]?.ToString() ?? "—"),
                Cell.Derived(c["findings"]!.AsArray().Count, $"count({c["findings"]!.GetPath()})"),
            ]));
    }

    /// <inheritdoc />
    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        var all = document["controls"]!.AsArray();
        markdown.Paragraph($"{Count(all, "deficient")} criteria deficient, {Count(all, "at-risk")} at risk. The data-flow map (dataflow.svg, dataflow.mmd) and the notice drafts are in out/controls/.");
        markdown.Table(
            ["Criterion", "Status", "Gap", "Owner", "Due", "Findings"],
            Affected(all).Select(c => (IReadOnlyList<string?>)
            [
                $"{c!["id"]} {c["title"]}", c["status"]?.ToString(), c["gap"]?.ToString(), c["owner"]?.ToString(), c["due"]?.ToString() ?? "—",
                c["findings"]!.AsArray().Count.ToString(CultureInfo.InvariantCulture),
            ]));
    }

    private static List<JsonNode?> Affected(JsonArray all) =>
        [.. all.Where(c => c!["status"]!.ToString() != "no-evidence-of-failure" || c["inScope"]?.GetValue<bool>() == true)];

    private static string Count(JsonArray all, string status) =>
        all.Count(c => c!["status"]!.ToString() == status).ToString(CultureInfo.InvariantCulture);
}

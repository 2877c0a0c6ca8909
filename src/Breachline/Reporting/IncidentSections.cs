using System.Globalization;
using System.Text.Json.Nodes;

namespace Breachline.Reporting;

/// <summary>The incident clock: time since awareness and every deadline with its status.</summary>
internal sealed class ClockSection : IReportSection
{
    public string Id => "clock";

    public string Title => "Incident clock";

    public bool AppliesTo(JsonObject document) => document["clock"] is not null;

    public void Render(JsonObject document, HtmlWriter html)
    {
        var clock = document["clock"]!;
        var incident = document["incident"]!;
        var deadlines = clock["deadlines"]!.AsArray();
        html.Raw("<div class=\"figures\">")
            .Figure(clock["elapsed"]!.GetValue<string>(), $"since {clock["startsFrom"]} ({clock["start"]})", "$.clock.elapsed")
            .Figure(Count(deadlines, "overdue"), "deadlines overdue", "count($.clock.deadlines[?(@.status=='overdue')])")
            .Figure(Count(deadlines, "open"), "deadlines open", "count($.clock.deadlines[?(@.status=='open')])")
            .Raw("</div>\n");
        html.Paragraph(["Detected ", Cell.Of(incident["detectedAt"]), "; aware ", incident["awareAt"] is { } aware ? Cell.Of(aware) : "not yet established", ". Clock read as of ", Cell.Of(clock["asOf"]), "."]);
        if (Charts.DeadlineTimeline(clock) is { } svg)
        {
            html.Chart("chart-deadlines", svg, "$.clock.deadlines");
        }

        html.Table(
            ["Deadline", "Track", "Source", "Due", "Status", "Time left", "Basis"],
            deadlines.Select(d => (IReadOnlyList<Cell>)
            [
                Cell.Of(d!["title"]),
                Cell.Of(d["track"]),
                Cell.Of(d["source"]),
                Cell.Of(d["due"], d["due"]?.ToString() ?? "—"),
                Cell.Of(d["status"], cssClass: $"status-{d["status"]}"),
                Cell.Of(d["timeLeft"], d["timeLeft"]?.ToString() ?? ""),
                new Cell(Basis(d), Source: d.GetPath()),
            ]));
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        var clock = document["clock"]!;
        var deadlines = clock["deadlines"]!.AsArray();
        markdown.Paragraph($"{clock["elapsed"]} since {clock["startsFrom"]} ({clock["start"]}); {Count(deadlines, "overdue")} deadlines overdue, {Count(deadlines, "open")} open; as of {clock["asOf"]}.");
        var dated = deadlines.Where(d => d!["due"] is not null).ToList();
        if (dated.Count > 0)
        {
            // Mermaid's gantt has no instant type: milestones at the due minute in the incident's own offset.
            var gantt = "gantt\n    title Deadlines\n    dateFormat YYYY-MM-DDTHH:mm\n    axisFormat %m-%d %H:%M\n" +
                string.Concat(dated.Select(d => $"    {Mermaid(d!["title"]!.ToString())} ({d["status"]}) :milestone, {d["due"]!.ToString()[..16]}, 0m\n"));
            markdown.Fence("mermaid", gantt);
        }

        markdown.Table(
            ["Deadline", "Track", "Source", "Due", "Status", "Time left", "Basis"],
            deadlines.Select(d => (IReadOnlyList<string?>)
            [
                d!["title"]?.ToString(), d["track"]?.ToString(), d["source"]?.ToString(), d["due"]?.ToString() ?? "—",
                d["status"]?.ToString(), d["timeLeft"]?.ToString() ?? "", Basis(d),
            ]));
    }

    private static string Basis(JsonNode d) =>
        string.Join(" · ", new[] { d["dueText"]?.ToString(), d["citation"]?.ToString(), d["reason"]?.ToString() }.Where(s => !string.IsNullOrEmpty(s)));

    private static string Mermaid(string text) => new([.. text.Where(c => c is not (':' or '#' or ';'))]);

    internal static string Count(JsonArray deadlines, string status) =>
        deadlines.Count(d => d!["status"]!.ToString() == status).ToString(CultureInfo.InvariantCulture);
}

/// <summary>The two tracks with their progress and tasks.</summary>
internal sealed class TracksSection : IReportSection
{
    public string Id => "tracks";

    public string Title => "Response tracks";

    public bool AppliesTo(JsonObject document) => document["tracks"] is JsonArray { Count: > 0 };

    public void Render(JsonObject document, HtmlWriter html)
    {
        foreach (var track in document["tracks"]!.AsArray())
        {
            html.Raw("<h3>").Text(track!["title"]!.ToString()).Raw("</h3><p>")
                .Bar(track["done"]!, track["total"]!).Raw(" tasks done</p>\n");
            html.Table(
                ["Task", "Owner", "Due", "Status", "Depends on"],
                track["tasks"]!.AsArray().Select(t => (IReadOnlyList<Cell>)
                [
                    Cell.Of(t!["title"]),
                    Cell.Of(t["owner"], t["owner"]?.ToString() ?? ""),
                    Cell.Of(t["due"], t["due"]?.ToString() ?? ""),
                    Cell.Of(t["status"], State(t), $"status-{State(t)}"),
                    Cell.Of(t["dependsOn"], string.Join(", ", t["dependsOn"]!.AsArray().Select(x => x!.ToString()))),
                ]));
        }
    }

    public void Markdown(JsonObject document, MarkdownWriter markdown)
    {
        foreach (var track in document["tracks"]!.AsArray())
        {
            markdown.Heading(3, $"{track!["title"]} ({track["done"]}/{track["total"]} done)");
            markdown.Table(
                ["Task", "Owner", "Due", "Status", "Depends on"],
                track["tasks"]!.AsArray().Select(t => (IReadOnlyList<string?>)
                [
                    t!["title"]?.ToString(), t["owner"]?.ToString() ?? "", t["due"]?.ToString() ?? "", State(t),
                    string.Join(", ", t["dependsOn"]!.AsArray().Select(x => x!.ToString())),
                ]));
        }
    }

    private static string State(JsonNode? task) => task!["overdue"]!.GetValue<bool>() ? "overdue" : task["status"]!.ToString();
}

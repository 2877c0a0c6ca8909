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
            .Figure(clock["elapsed"]!.GetValue<string>(), $"since {clock["startsFrom"]} ({clock["start"]})")
            .Figure(Count(deadlines, "overdue"), "deadlines overdue")
            .Figure(Count(deadlines, "open"), "deadlines open")
            .Raw("</div>\n");
        html.Element("p", $"Detected {incident["detectedAt"]}; aware {incident["awareAt"]?.ToString() ?? "not yet established"}. Clock read as of {clock["asOf"]}.");
        html.Table(
            ["Deadline", "Track", "Source", "Due", "Status", "Time left", "Basis"],
            deadlines.Select(d => (IReadOnlyList<Cell>)
            [
                d!["title"]?.ToString(),
                d["track"]?.ToString(),
                d["source"]?.ToString(),
                d["due"]?.ToString() ?? "—",
                new Cell(d["status"]!.ToString(), $"status-{d["status"]}"),
                d["timeLeft"]?.ToString() ?? "",
                string.Join(" · ", new[] { d["dueText"]?.ToString(), d["citation"]?.ToString(), d["reason"]?.ToString() }.Where(s => !string.IsNullOrEmpty(s))),
            ]));
    }

    private static string Count(JsonArray deadlines, string status) =>
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
                .Bar(track["done"]!.GetValue<int>(), track["total"]!.GetValue<int>()).Raw(" tasks done</p>\n");
            html.Table(
                ["Task", "Owner", "Due", "Status", "Depends on"],
                track["tasks"]!.AsArray().Select(t => (IReadOnlyList<Cell>)
                [
                    t!["title"]?.ToString(),
                    t["owner"]?.ToString() ?? "",
                    t["due"]?.ToString() ?? "",
                    new Cell(t["overdue"]!.GetValue<bool>() ? "overdue" : t["status"]!.ToString(), t["overdue"]!.GetValue<bool>() ? "status-overdue" : $"status-{t["status"]}"),
                    string.Join(", ", t["dependsOn"]!.AsArray().Select(x => x!.ToString())),
                ]));
        }
    }
}

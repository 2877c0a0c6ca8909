using System.Text.Json.Nodes;
using ScottPlot;

namespace Breachline.Reporting;

/// <summary>Charts for the report, rendered with ScottPlot to inline SVG (no network, no external files).</summary>
public static class Charts
{
    private static readonly Dictionary<string, Color> StatusColours = new(StringComparer.Ordinal)
    {
        ["overdue"] = Color.FromHex("#b42318"),
        ["open"] = Color.FromHex("#b54708"),
        ["done"] = Color.FromHex("#067647"),
        ["waived"] = Color.FromHex("#98a2b3"),
    };

    /// <summary>
    /// Deadlines on a timeline from the clock's start (Gantt-like): one bar per deadline from the start to its
    /// due time, coloured by status, with a line at the time the clock was read. Deadlines without a due time
    /// are left out (the table lists them with the statute's words).
    /// </summary>
    public static string? DeadlineTimeline(JsonNode clock)
    {
        var start = DateTimeOffset.Parse(clock["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var asOf = DateTimeOffset.Parse(clock["asOf"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var deadlines = clock["deadlines"]!.AsArray()
            .Where(d => d!["due"] is not null)
            .Select(d => (Id: d!["id"]!.GetValue<string>(), Due: DateTimeOffset.Parse(d["due"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Status: d["status"]!.GetValue<string>()))
            .OrderBy(d => d.Due)
            .Take(40)
            .ToList();
        if (deadlines.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var bars = deadlines.Select((d, i) => new Bar
        {
            Position = deadlines.Count - i,
            ValueBase = 0,
            Value = (d.Due - start).TotalHours,
            FillColor = StatusColours.GetValueOrDefault(d.Status, Colors.Gray),
            Size = 0.6,
        }).ToList();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        var now = plot.Add.VerticalLine((asOf - start).TotalHours);
        now.Color = Color.FromHex("#1849a9");
        now.LinePattern = LinePattern.Dashed;
        now.LabelText = "as of";
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. bars.Select(b => b.Position)],
            [.. deadlines.Select(d => d.Id)]);
        plot.Axes.Bottom.Label.Text = "hours since " + (clock["startsFrom"]?.GetValue<string>() ?? "start");
        plot.Axes.Margins(left: 0, right: 0.05);
        plot.Title("Deadlines from the start of the clock");
        return Svg(plot, 900, 120 + (26 * deadlines.Count));
    }

    /// <summary>Horizontal bars of labelled counts (top jurisdictions, findings by pattern, rows by object).</summary>
    public static string? Counts(string title, IReadOnlyList<(string Label, double Value)> items, string axisLabel)
    {
        if (items.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var bars = items.Select((item, i) => new Bar { Position = items.Count - i, Value = item.Value, FillColor = Color.FromHex("#1849a9"), Size = 0.6 }).ToList();
        plot.Add.Bars(bars).Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. bars.Select(b => b.Position)], [.. items.Select(i => i.Label)]);
        plot.Axes.Bottom.Label.Text = axisLabel;
        plot.Axes.Margins(left: 0, right: 0.05);
        plot.Title(title);
        return Svg(plot, 900, 120 + (26 * items.Count));
    }

    private static string Svg(Plot plot, int width, int height)
    {
        var svg = plot.GetSvgXml(width, height);
        var at = svg.IndexOf("<svg", StringComparison.Ordinal);
        return at > 0 ? svg[at..] : svg;
    }
}

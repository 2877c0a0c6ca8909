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

    /// <summary>
    /// Malicious activity over time against the baseline: rows per hour, the baseline (every other read) as one
    /// grey line of its hourly total, the malicious queries as one series of points per object (the six objects
    /// that lost the most rows). Hours are drawn in the org's wall time; an hour the logs left out had no rows.
    /// </summary>
    public static string? Activity(JsonNode activity)
    {
        var malicious = Hourly(activity["malicious"]);
        var baseline = Hourly(activity["baseline"]);
        if (malicious.Count == 0)
        {
            return null;
        }

        var hours = malicious.Concat(baseline).Select(r => r.Hour).ToList();
        var (first, last) = (hours.Min(), hours.Max());
        var span = (int)Math.Round((last - first).TotalHours) + 1;
        var axis = Enumerable.Range(0, span).Select(i => first.AddHours(i)).ToList();
        var plot = new Plot();
        var totals = baseline.GroupBy(r => r.Hour).ToDictionary(g => g.Key, g => (double)g.Sum(r => r.Rows));
        var line = plot.Add.Scatter(axis.Select(h => h.DateTime.ToOADate()).ToArray(), axis.Select(h => totals.GetValueOrDefault(h)).ToArray());
        line.Color = Color.FromHex("#98a2b3");
        line.MarkerSize = 0;
        line.LegendText = "baseline (all other reads)";
        var palette = new ScottPlot.Palettes.Category10();
        var objects = malicious.GroupBy(r => r.Object).OrderByDescending(g => g.Sum(r => r.Rows)).ThenBy(g => g.Key, StringComparer.Ordinal).Take(6).ToList();
        for (var i = 0; i < objects.Count; i++)
        {
            var points = objects[i].OrderBy(r => r.Hour).ToList();
            var series = plot.Add.Scatter(points.Select(r => r.Hour.DateTime.ToOADate()).ToArray(), points.Select(r => (double)r.Rows).ToArray());
            series.LineWidth = 0;
            series.MarkerSize = 8;
            series.Color = palette.GetColor(i == 0 ? 3 : i);
            series.LegendText = $"malicious: {objects[i].Key}";
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.Label.Text = "hour (the org's wall time)";
        plot.Axes.Left.Label.Text = "rows per hour";
        plot.Axes.SetLimitsY(0, 1.15 * Math.Max(totals.Values.DefaultIfEmpty(0).Max(), malicious.Max(r => r.Rows)));
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title("Malicious activity over time against the baseline");
        return Svg(plot, 900, 420);
    }

    private static List<(DateTimeOffset Hour, string Object, long Rows)> Hourly(JsonNode? rows) =>
        [.. (rows as JsonArray ?? []).Select(r => (DateTimeOffset.Parse(r!["hour"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), r["object"]!.GetValue<string>(), r["rows"]!.GetValue<long>()))];

    private static string Svg(Plot plot, int width, int height)
    {
        var svg = plot.GetSvgXml(width, height);
        var at = svg.IndexOf("<svg", StringComparison.Ordinal);
        return at > 0 ? svg[at..] : svg;
    }
}

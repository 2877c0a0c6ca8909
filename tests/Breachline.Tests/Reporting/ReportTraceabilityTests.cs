using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Breachline.Tests.Reporting;

[Collection(DemoReportCollection.Name)]
public sealed partial class ReportTraceabilityTests(DemoReportFixture demo)
{
    private readonly JsonObject _json = JsonNode.Parse(File.ReadAllText(Path.Combine(demo.Workspace, "out", "incident.json")))!.AsObject();

    private readonly IDocument _html = new HtmlParser().ParseDocument(File.ReadAllText(demo.ReportPath));

    [Fact]
    public void Every_number_in_the_html_report_carries_its_incident_json_source_and_equals_the_value_there()
    {
        var numbers = _html.QuerySelectorAll("td, span.traced").Select(e => (Element: e, Text: e.TextContent.Trim()))
            .Concat(_html.QuerySelectorAll(".figure").Select(e => (Element: e, Text: e.QuerySelector("b")!.TextContent.Trim())))
            .Where(n => Number().IsMatch(n.Text))
            .ToList();

        Assert.True(numbers.Count > 100, $"the demo report should hold many numbers, found {numbers.Count}");
        foreach (var (element, text) in numbers)
        {
            var source = element.GetAttribute("data-source");
            Assert.True(source is not null, $"{text} has no source: {element.OuterHtml[..Math.Min(200, element.OuterHtml.Length)]}");
            Assert.True(IncidentJsonSource.Evaluate(_json, source) == text, $"{source}: report shows {text}, incident.json gives {IncidentJsonSource.Evaluate(_json, source)}");
        }
    }

    [Fact]
    public void Every_source_in_the_html_report_names_a_member_of_incident_json_and_every_chart_has_one()
    {
        var sourced = _html.QuerySelectorAll("[data-source]").ToList();

        Assert.NotEmpty(sourced);
        Assert.All(sourced, e => Assert.True(IncidentJsonSource.Exists(_json, e.GetAttribute("data-source")!), $"{e.GetAttribute("data-source")} names nothing"));
        var charts = _html.QuerySelectorAll("figure.chart").ToList();
        Assert.Equal(5, charts.Count);
        Assert.All(charts, c => Assert.NotNull(c.GetAttribute("data-source")));
    }

    [Fact]
    public void Rows_a_query_took_carry_the_hash_and_line_of_the_log_line_and_link_to_it_in_the_evidence_manifest()
    {
        var queries = _json["hunt"]!["queries"]!.AsArray();
        var cells = _html.QuerySelectorAll("td[data-source]").Where(e => QueryRows().IsMatch(e.GetAttribute("data-source")!)).ToList();

        Assert.Equal(queries.Count, cells.Count);
        foreach (var cell in cells)
        {
            var query = queries[int.Parse(QueryRows().Match(cell.GetAttribute("data-source")!).Groups[1].Value, CultureInfo.InvariantCulture)]!;
            var evidence = query["evidence"]![0]!;
            Assert.Equal(evidence["sha256"]!.GetValue<string>(), cell.GetAttribute("data-evidence-sha256"));
            Assert.Equal(evidence["line"]!.ToString(), cell.GetAttribute("data-evidence-line"));
            var target = cell.QuerySelector("a")!.GetAttribute("href")!;
            Assert.Equal(evidence["sha256"]!.GetValue<string>(), _html.GetElementById(target.TrimStart('#'))!.TextContent);
        }
    }

    [Fact]
    public void Every_evidence_link_in_the_html_report_leads_to_a_row_of_the_evidence_manifest()
    {
        var links = _html.QuerySelectorAll("a[href^='#evidence-']").ToList();

        Assert.NotEmpty(links);
        Assert.All(links, a => Assert.NotNull(_html.QuerySelector($"#evidence {a.GetAttribute("href")}")));
    }

    [Fact]
    public void The_four_figures_of_the_executive_summary_equal_incident_json_in_html_and_markdown()
    {
        var deadlines = _json["clock"]!["deadlines"]!.AsArray();
        var expected = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["individuals exposed"] = _json["exposure"]!["individuals"]!.GetValue<long>(),
            ["rows taken"] = _json["hunt"]!["rowsByObject"]!.AsObject().Sum(p => p.Value!.GetValue<long>()),
            ["obligations triggered"] = _json["obligations"]!.AsArray().Count(o => o!["triggered"]!.GetValueKind() == System.Text.Json.JsonValueKind.True),
            ["deadlines overdue"] = deadlines.Count(d => d!["status"]!.GetValue<string>() == "overdue"),
        };
        var inHtml = _html.QuerySelectorAll("#summary .figure").ToDictionary(
            f => f.TextContent[f.QuerySelector("b")!.TextContent.Length..].Trim(),
            f => long.Parse(f.QuerySelector("b")!.TextContent, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
        var inMarkdown = File.ReadAllLines(Path.ChangeExtension(demo.ReportPath, ".md"))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length == 5 && expected.ContainsKey(c[1]))
            .ToDictionary(c => c[1], c => long.Parse(c[2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture), StringComparer.Ordinal);

        Assert.Equal(expected, inHtml);
        Assert.Equal(expected, inMarkdown);
        Assert.True(expected.Values.All(v => v > 0) || expected["deadlines overdue"] == 0, "the demo has exposure, rows and triggered obligations");
    }

    [Fact]
    public void The_numbers_in_the_executive_summary_sentences_are_those_of_incident_json()
    {
        var traced = _html.QuerySelectorAll("#summary p span.traced").ToList();
        var rows = _json["hunt"]!["rowsByObject"]!.AsObject();

        Assert.Contains(traced, s => s.TextContent == rows.Sum(p => p.Value!.GetValue<long>()).ToString("N0", CultureInfo.InvariantCulture) && s.GetAttribute("data-source") == "sum($.hunt.rowsByObject)");
        Assert.Contains(traced, s => s.TextContent == _json["exposure"]!["individuals"]!.GetValue<long>().ToString("N0", CultureInfo.InvariantCulture) && s.GetAttribute("data-source") == "$.exposure.individuals");
        Assert.Contains(traced, s => s.TextContent == _json["incident"]!["awareAt"]!.GetValue<string>() && s.GetAttribute("data-source") == "$.incident.awareAt");
    }

    [GeneratedRegex(@"^(-?\d[\d,]*(\.\d+)?|unknown)$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^\$\.hunt\.queries\[(\d+)\]\.rows$")]
    private static partial Regex QueryRows();
}

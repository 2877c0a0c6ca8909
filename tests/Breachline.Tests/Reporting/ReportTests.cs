using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Reporting;

public sealed partial class ReportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Workspace => _dir.Combine("ws");

    private async Task RunMinimalAsync(string title = "Data leak")
    {
        var result = await CliRun.RunAsync("-w", Workspace, "run", Fixtures.Path("orgs", "minimal"), "--title", title,
            "--detected-at", "2026-03-07T09:12", "--aware-at", "2026-03-07T15:40", "--as-of", "2026-03-08T18:00");
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task Every_figure_in_the_executive_summary_equals_its_source_in_incident_json()
    {
        await RunMinimalAsync();
        var html = File.ReadAllText(Path.Combine(Workspace, "out", "report.html"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Workspace, "out", "incident.json")))!.AsObject();

        var figures = FigurePattern().Matches(html).Select(m => (Source: System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), Value: m.Groups[2].Value)).ToList();

        Assert.NotEmpty(figures);
        Assert.Contains(figures, f => f.Source.StartsWith("count($.clock.deadlines", StringComparison.Ordinal));
        foreach (var (source, value) in figures)
        {
            Assert.Equal(Evaluate(json, source), value);
        }
    }

    [Fact]
    public async Task The_report_says_which_stages_have_not_run_instead_of_showing_numbers()
    {
        await RunMinimalAsync();
        var html = File.ReadAllText(Path.Combine(Workspace, "out", "report.html"));

        Assert.Contains("individuals exposed (not scoped yet)", html, StringComparison.Ordinal);
        Assert.Contains("has not been scanned yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_html_report_is_self_contained_with_an_inline_deadline_chart_and_a_print_stylesheet()
    {
        await RunMinimalAsync();
        var html = File.ReadAllText(Path.Combine(Workspace, "out", "report.html"));

        Assert.Matches("<figure class=\"chart\" id=\"chart-deadlines\" data-source=\"[^\"]+\"><svg", html);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"https?://", html);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_print_stylesheet_repeats_table_headers_and_never_splits_a_row_across_pages()
    {
        await RunMinimalAsync();
        var html = File.ReadAllText(Path.Combine(Workspace, "out", "report.html"));
        var print = html[html.IndexOf("@media print", StringComparison.Ordinal)..];

        Assert.Contains("thead { display: table-header-group; }", print, StringComparison.Ordinal);
        Assert.Contains("tr, th, td { break-inside: avoid;", print, StringComparison.Ordinal);
        Assert.Contains("td { overflow-wrap: anywhere; }", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_from_the_incident_is_escaped_in_html_and_markdown()
    {
        await RunMinimalAsync("<script>alert(1)</script> | *bold*");
        var html = File.ReadAllText(Path.Combine(Workspace, "out", "report.html"));
        var markdown = File.ReadAllText(Path.Combine(Workspace, "out", "report.md"));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("\\<script\\>", markdown, StringComparison.Ordinal);
        Assert.Contains("\\*bold\\*", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_markdown_report_has_the_same_sections_and_a_mermaid_timeline()
    {
        await RunMinimalAsync();
        var markdown = File.ReadAllText(Path.Combine(Workspace, "out", "report.md"));

        Assert.Contains("## Executive summary", markdown, StringComparison.Ordinal);
        Assert.Contains("## Incident clock", markdown, StringComparison.Ordinal);
        Assert.Contains("## Response tracks", markdown, StringComparison.Ordinal);
        Assert.Contains("```mermaid\ngantt", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_command_reads_the_clock_again_as_of_the_time_asked()
    {
        await RunMinimalAsync();
        var outDir = _dir.Combine("for-counsel");

        var result = await CliRun.RunAsync("-w", Workspace, "report", "--format", "json", "--out", outDir, "--as-of", "2026-03-07T16:00");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["incident.json"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "incident.json")))!;
        Assert.Equal("2026-03-07T16:00:00-06:00", json["clock"]!["asOf"]!.GetValue<string>());
        SchemaValidation.AssertValid(json, "incident.schema.json");
    }

    [Fact]
    public async Task A_format_the_report_cannot_write_is_a_usage_error()
    {
        await RunMinimalAsync();

        var result = await CliRun.RunAsync("-w", Workspace, "report", "--format", "sarif");

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Status_refuses_a_format_it_does_not_print()
    {
        await RunMinimalAsync();

        var result = await CliRun.RunAsync("-w", Workspace, "status", "--format", "html");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("table or json", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Asserts every figure of an HTML report equals its source in the incident document.</summary>
    internal static void AssertFiguresMatch(string html, JsonObject json)
    {
        var figures = FigurePattern().Matches(html).Select(m => (Source: System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), Value: m.Groups[2].Value)).ToList();
        Assert.NotEmpty(figures);
        foreach (var (source, value) in figures)
        {
            Assert.True(Evaluate(json, source) == value, $"{source}: report shows {value}, incident.json gives {Evaluate(json, source)}");
        }
    }

    private static string Evaluate(JsonObject json, string source) => IncidentJsonSource.Evaluate(json, source);

    [GeneratedRegex("<div class=\"figure\" data-source=\"([^\"]+)\"[^>]*><b>([^<]*)</b>")]
    private static partial Regex FigurePattern();
}

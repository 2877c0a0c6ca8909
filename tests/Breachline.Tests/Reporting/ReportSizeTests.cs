using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Breachline.Reporting;

namespace Breachline.Tests.Reporting;

public sealed class ReportSizeTests
{
    private const int Queries = 100_000;

    [Fact]
    public void A_report_over_100000_malicious_queries_stays_under_3_MB_and_names_where_the_rest_is()
    {
        var document = Incident();

        var html = HtmlReport.Render(document, ReportSections.All());
        var markdown = MarkdownReport.Render(document, ReportSections.All());

        Assert.True(Encoding.UTF8.GetByteCount(html) < 3_000_000, $"report.html is {Encoding.UTF8.GetByteCount(html):N0} bytes");
        Assert.True(Encoding.UTF8.GetByteCount(markdown) < 3_000_000, $"report.md is {Encoding.UTF8.GetByteCount(markdown):N0} bytes");
        Assert.Contains("99,900 more in incident.json ($.hunt.queries)", html, StringComparison.Ordinal);
        Assert.Contains("99,900 more in incident.json ($.hunt.queries)", markdown, StringComparison.Ordinal);
        Assert.Contains("id=\"chart-activity\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cut_query_table_shows_the_queries_that_took_the_most_rows()
    {
        var document = Incident();

        var html = HtmlReport.Render(document, ReportSections.All());

        // Query i took i rows: the largest is the last one, the smallest listed is the 100th from the end.
        Assert.Contains($"data-source=\"$.hunt.queries[{Queries - 1}].rows\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-source=\"$.hunt.queries[{Queries - 100}].rows\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-source=\"$.hunt.queries[{Queries - 101}].rows\"", html, StringComparison.Ordinal);
    }

    // An incident whose hunt found 100,000 malicious queries over 40 days, each citing its log line.
    private static JsonObject Incident()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(-6));
        var queries = new JsonArray();
        var malicious = new JsonArray();
        var baseline = new JsonArray();
        for (var i = 0; i < Queries; i++)
        {
            queries.Add(new JsonObject
            {
                ["time"] = Time(start.AddSeconds(30 * i)),
                ["eventType"] = "API",
                ["api"] = "Bulk API 2.0",
                ["user"] = "0058n00000492aBAAQ",
                ["ip"] = "185.220.101.33",
                ["object"] = i % 2 == 0 ? "Contact" : "hed__Course_Enrollment__c",
                ["soql"] = $"SELECT Id, Name, Email FROM Contact WHERE Id > '{i:D15}'",
                ["rows"] = i,
                ["evidence"] = new JsonArray(new JsonObject { ["sha256"] = new string('a', 64), ["path"] = "logs/API.csv", ["line"] = i + 2 }),
            });
        }

        for (var hour = 0; hour < 40 * 24; hour++)
        {
            malicious.Add(new JsonObject { ["hour"] = Time(start.AddHours(hour)), ["object"] = "Contact", ["rows"] = 1000 + hour });
            baseline.Add(new JsonObject { ["hour"] = Time(start.AddHours(hour)), ["object"] = "Contact", ["rows"] = 500 + (hour % 24 * 10) });
        }

        // Read back from text, as the report reads incident.json.
        return JsonNode.Parse(new JsonObject
        {
            ["schema"] = "breachline/incident/v1",
            ["incident"] = new JsonObject { ["id"] = "INC-1", ["title"] = "Bulk export", ["detectedAt"] = Time(start), ["awareAt"] = Time(start), ["timeZone"] = "America/Chicago" },
            ["hunt"] = new JsonObject
            {
                ["window"] = new JsonObject { ["start"] = Time(start), ["end"] = Time(start.AddSeconds(30 * Queries)) },
                ["suspects"] = new JsonObject { ["ips"] = new JsonArray("185.220.101.33"), ["usernames"] = new JsonArray("campuschat.integration@lakeshore-state.edu") },
                ["queries"] = queries,
                ["rowsByObject"] = new JsonObject { ["Contact"] = 2_499_950_000L, ["hed__Course_Enrollment__c"] = 2_500_000_000L },
                ["activity"] = new JsonObject { ["malicious"] = malicious, ["baseline"] = baseline },
                ["antiForensics"] = new JsonArray(),
            },
            ["evidence"] = new JsonObject
            {
                ["treeSize"] = 3,
                ["rootHash"] = new string('b', 64),
                ["signedAt"] = Time(start),
                ["items"] = new JsonArray(new JsonObject { ["path"] = "logs/API.csv", ["kind"] = "event-log", ["sha256"] = new string('a', 64), ["size"] = 2_000_000_000L }),
            },
        }.ToJsonString())!.AsObject();
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

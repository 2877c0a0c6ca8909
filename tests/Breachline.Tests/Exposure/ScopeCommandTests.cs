using System.Text.Json.Nodes;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Exposure;

public sealed class ScopeCommandTests
{
    [Fact]
    public async Task Scope_prints_json_valid_against_the_exposure_schema_and_exits_1_when_people_are_exposed()
    {
        using var ws = new TempDir();

        var r = await CliRun.RunAsync("scope", Fixtures.Path("scope", "org-small"), "--queries", Fixtures.Path("scope", "queries.json"), "--workspace", ws.Path, "--format", "json");

        Assert.Equal(1, r.ExitCode);
        var doc = JsonNode.Parse(r.Out)!;
        SchemaValidation.AssertValid(doc, "exposure.schema.json");
        Assert.Equal(5, (int)doc["individuals"]!);
        Assert.Equal("out/scope-individuals.csv", (string?)doc["individualsList"]);
        Assert.True(File.Exists(Path.Combine(ws.Path, "out", "scope-individuals.csv")));
        Assert.DoesNotContain("Alvarez", File.ReadAllText(Path.Combine(ws.Path, "out", "scope-individuals.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_prints_a_table_for_people()
    {
        using var ws = new TempDir();

        var r = await CliRun.RunAsync("scope", Fixtures.Path("scope", "org-small"), "--queries", Fixtures.Path("scope", "queries.json"), "--workspace", ws.Path);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("5 individuals exposed", r.Out, StringComparison.Ordinal);
        Assert.Contains("CALENDAR_YEAR", r.Out, StringComparison.Ordinal);
        Assert.Contains("Hobby__c", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_queries_exit_3_naming_the_file()
    {
        using var ws = new TempDir();
        var bad = ws.Combine("hunt.json");
        File.WriteAllText(bad, "{ \"queries\": [ { \"time\": \"yesterday\" } ] }");

        var r = await CliRun.RunAsync("scope", Fixtures.Path("scope", "org-small"), "--queries", bad, "--workspace", ws.Path);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("hunt.json: queries[0].time: 'yesterday' is not an ISO 8601 time", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_queries_scope_says_what_it_needs()
    {
        using var ws = new TempDir();

        var r = await CliRun.RunAsync("scope", Fixtures.Path("scope", "org-small"), "--workspace", ws.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--queries", r.Error, StringComparison.Ordinal);
    }
}

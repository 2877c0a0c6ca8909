using System.Text.Json.Nodes;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Posture;

public sealed class ScanCommandTests
{
    private static readonly string Eda = Fixtures.Path("scan", "eda-metadata");

    [Fact]
    public async Task The_table_groups_findings_by_pattern_and_exits_1_when_findings_reach_fail_on()
    {
        var result = await CliRun.RunAsync("scan", Eda, "--fail-on", "high");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("open-sharing", result.Out, StringComparison.Ordinal);
        Assert.Contains("insufficient-logging", result.Out, StringComparison.Ordinal);
        Assert.True(result.Out.IndexOf("open-sharing", StringComparison.Ordinal) < result.Out.IndexOf("insufficient-logging", StringComparison.Ordinal), "the group with high findings comes before the medium one");
        Assert.Contains("finding(s) (", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Findings_below_fail_on_exit_0()
    {
        var result = await CliRun.RunAsync("scan", Eda, "--fail-on", "critical");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Json_output_lists_findings_with_location_criteria_and_evidence()
    {
        var result = await CliRun.RunAsync("--format", "json", "scan", Eda, "--fail-on", "none");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out)!;
        var finding = json["findings"]!.AsArray().First(f => f!["rule"]!.GetValue<string>() == "sharing-public-read-write-student-object")!;
        Assert.Equal("open-sharing", finding["pattern"]!.GetValue<string>());
        Assert.Equal("high", finding["severity"]!.GetValue<string>());
        Assert.StartsWith("force-app/main/default/objects/", finding["location"]!["path"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(finding["location"]!["line"]!.GetValue<int>() > 1);
        Assert.Equal(64, finding["evidence"]!["sha256"]!.GetValue<string>().Length);
        SchemaValidation.AssertValid(json["findings"], "findings.schema.json");
    }

    [Fact]
    public async Task Sarif_output_is_SARIF_2_1_0_with_rule_metadata_and_a_result_per_finding()
    {
        var json = await CliRun.RunAsync("--format", "json", "scan", Eda, "--fail-on", "none");
        var result = await CliRun.RunAsync("--format", "sarif", "scan", Eda, "--fail-on", "none");

        Assert.Equal(0, result.ExitCode);
        var sarif = JsonNode.Parse(result.Out)!;
        Assert.Equal("2.1.0", sarif["version"]!.GetValue<string>());
        Assert.Contains("sarif-schema-2.1.0.json", sarif["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        var run = sarif["runs"]!.AsArray().Single()!;
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.Equal("Breachline", run["tool"]!["driver"]!["name"]!.GetValue<string>());
        var results = run["results"]!.AsArray();
        Assert.Equal(JsonNode.Parse(json.Out)!["findings"]!.AsArray().Count, results.Count);
        foreach (var r in results)
        {
            var rule = rules[r!["ruleIndex"]!.GetValue<int>()]!;
            Assert.Equal(r["ruleId"]!.GetValue<string>(), rule["id"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(rule["shortDescription"]!["text"]!.GetValue<string>()));
            Assert.Contains(r["level"]!.GetValue<string>(), new[] { "error", "warning", "note" });
            Assert.False(string.IsNullOrEmpty(r["message"]!["text"]!.GetValue<string>()));
            var location = r["locations"]![0]!["physicalLocation"]!;
            Assert.Equal("ORGROOT", location["artifactLocation"]!["uriBaseId"]!.GetValue<string>());
            Assert.True(location["region"]!["startLine"]!.GetValue<int>() >= 1);
        }

        Assert.StartsWith("file:///", run["originalUriBaseIds"]!["ORGROOT"]!["uri"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_output_validates_against_the_SARIF_2_1_0_schema_and_names_the_files_it_could_not_read()
    {
        using var dir = new TempDir();
        var org = CopyOfEdaWithABadProfile(dir);

        var clean = await CliRun.RunAsync("--format", "sarif", "scan", Eda, "--fail-on", "none");
        var broken = await CliRun.RunAsync("--format", "sarif", "scan", org, "--fail-on", "none");

        AssertValidSarif(clean.Out);
        AssertValidSarif(broken.Out);

        // The schema does judge: a level SARIF does not define is refused.
        var mutated = JsonNode.Parse(broken.Out)!;
        mutated["runs"]![0]!["results"]![0]!["level"] = "fatal";
        Assert.False(SarifSchema.Evaluate(mutated).IsValid);
        var cleanRun = JsonNode.Parse(clean.Out)!["runs"]![0]!;
        Assert.True(cleanRun["invocations"]![0]!["executionSuccessful"]!.GetValue<bool>());
        var invocation = JsonNode.Parse(broken.Out)!["runs"]![0]!["invocations"]![0]!;
        Assert.False(invocation["executionSuccessful"]!.GetValue<bool>());
        var notification = Assert.Single(invocation["toolExecutionNotifications"]!.AsArray(), n => n!["level"]!.GetValue<string>() == "error")!;
        var location = notification["locations"]![0]!["physicalLocation"]!;
        Assert.Equal(("Bad.profile-meta.xml", 1), (location["artifactLocation"]!["uri"]!.GetValue<string>(), location["region"]!["startLine"]!.GetValue<int>()));
        Assert.StartsWith("is not well-formed XML: ", notification["message"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // The official schema (Fixtures/sarif, with its provenance). It is draft-04, which JsonSchema.Net does not
    // implement; it uses none of the keywords whose meaning changed by draft-07, so it is evaluated as draft-07.
    private static string CopyOfEdaWithABadProfile(TempDir dir)
    {
        var org = dir.Combine("eda");
        foreach (var file in Directory.EnumerateFiles(Eda, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(org, Path.GetRelativePath(Eda, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        File.WriteAllText(Path.Combine(org, "Bad.profile-meta.xml"), "<Profile><custom>");
        return org;
    }

    private static readonly Json.Schema.JsonSchema SarifSchema = Json.Schema.JsonSchema.FromText(
        File.ReadAllText(Fixtures.Path("sarif", "sarif-2.1.0-rtm.5.json"))
            .Replace("http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-07/schema#", StringComparison.Ordinal));

    private static void AssertValidSarif(string sarif)
    {
        var result = SarifSchema.Evaluate(JsonNode.Parse(sarif), new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task An_unreadable_metadata_file_is_named_on_stderr_and_exits_3_when_nothing_else_needs_action()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("metadata", "profiles"));
        File.WriteAllText(dir.Combine("metadata", "profiles", "Bad.profile-meta.xml"), "<Profile><custom>");

        var result = await CliRun.RunAsync("scan", dir.Path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("metadata/profiles/Bad.profile-meta.xml", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_metadata_file_exits_3_even_when_findings_reach_fail_on_and_the_findings_are_still_printed()
    {
        using var dir = new TempDir();
        var org = CopyOfEdaWithABadProfile(dir);

        var result = await CliRun.RunAsync("scan", org, "--fail-on", "high");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("open-sharing", result.Out, StringComparison.Ordinal);
        Assert.Contains("error: Bad.profile-meta.xml:1: is not well-formed XML: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_is_an_input_error()
    {
        var result = await CliRun.RunAsync("scan", "/no/such/org");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_fail_on_severity_is_a_usage_error()
    {
        var result = await CliRun.RunAsync("scan", Eda, "--fail-on", "catastrophic");

        Assert.Equal(2, result.ExitCode);
    }
}

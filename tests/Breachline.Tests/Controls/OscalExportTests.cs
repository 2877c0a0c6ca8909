using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Breachline.Controls;
using Breachline.Sample;
using Json.Schema;

namespace Breachline.Tests.Controls;

/// <summary>The OSCAL export against the official NIST OSCAL 1.1.3 JSON schemas (Fixtures/oscal, see its README).</summary>
public sealed partial class OscalExportTests(ScenarioOrgs orgs) : IClassFixture<ScenarioOrgs>, IDisposable
{
    private const string AssessmentResultsSchema = "oscal_assessment-results_schema.json";
    private const string PoamSchema = "oscal_poam_schema.json";
    private static readonly Lazy<JsonSchema> ArSchema = new(() => Load(AssessmentResultsSchema));
    private static readonly Lazy<JsonSchema> PoSchema = new(() => Load(PoamSchema));
    private readonly TempDir _dir = new();

    public static TheoryData<SampleScenario> Scenarios => [SampleScenario.TokenTheft, SampleScenario.GuestExposure, SampleScenario.PortalCredentials];

    public static TheoryData<string> BrokenAssessmentResults =>
    [
        "no import-ap", "uuid not a uuid", "version 4 style uuid with a bad variant", "finding state outside the enumeration",
        "observation without collected", "start without a time zone", "unknown member in a result", "hash without algorithm",
        "empty findings array",
    ];

    public static TheoryData<string> BrokenPoams => ["no poam-items", "poam item without description", "risk without status", "milestone without a date"];

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Assessment_results_and_poam_validate_against_the_official_oscal_schemas(SampleScenario scenario)
    {
        var files = OscalExport.Write(orgs.Get(scenario).Result, _dir.Combine(ScenarioNames.Name(scenario)));

        var ar = JsonNode.Parse(File.ReadAllText(files.AssessmentResults));
        var poam = JsonNode.Parse(File.ReadAllText(files.Poam));

        AssertValid(ar, ArSchema.Value, AssessmentResultsSchema);
        AssertValid(poam, PoSchema.Value, PoamSchema);
        Assert.Equal(OscalExport.OscalVersion, ar!["assessment-results"]!["metadata"]!["oscal-version"]!.GetValue<string>());
        var result = ar["assessment-results"]!["results"]![0]!;
        Assert.Contains(result["findings"]!.AsArray(), f => f!["target"]!["target-id"]!.GetValue<string>() == "cc6.1" && f["target"]!["status"]!["state"]!.GetValue<string>() == "not-satisfied");
        Assert.NotEmpty(poam!["plan-of-action-and-milestones"]!["poam-items"]!.AsArray());
    }

    [Fact]
    public void Every_uuid_is_an_rfc_4122_version_5_uuid_and_a_re_export_keeps_them()
    {
        var result = orgs.Get(SampleScenario.TokenTheft).Result;

        var first = OscalExport.AssessmentResults(result).ToJsonString();
        var second = OscalExport.AssessmentResults(result).ToJsonString();

        Assert.Equal(first, second);
        var uuids = UuidMember().Matches(first).Select(m => m.Groups[1].Value).ToList();
        Assert.True(uuids.Count > 10, $"only {uuids.Count} uuids");
        Assert.All(uuids, u => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", u));
        Assert.Equal(uuids.Count, uuids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Evidence_is_a_back_matter_resource_whose_sha_256_is_the_hash_of_the_file(SampleScenario scenario)
    {
        var run = orgs.Get(scenario);
        var ar = OscalExport.AssessmentResults(run.Result)["assessment-results"]!;
        var resources = ar["back-matter"]!["resources"]!.AsArray().ToDictionary(r => r!["uuid"]!.GetValue<string>(), r => r!);
        var evidence = ar["results"]![0]!["observations"]!.AsArray()
            .SelectMany(o => o!["relevant-evidence"]?.AsArray() ?? [])
            .Select(e => e!["href"]?.GetValue<string>())
            .OfType<string>()
            .ToList();

        Assert.NotEmpty(evidence);
        Assert.All(evidence, href =>
        {
            Assert.StartsWith("#", href, StringComparison.Ordinal);
            var resource = resources[href[1..]];
            var rlink = resource["rlinks"]![0]!;
            var hash = rlink["hashes"]![0]!;
            Assert.Equal("SHA-256", hash["algorithm"]!.GetValue<string>());
            var file = Path.Combine(run.Org.Root, Uri.UnescapeDataString(rlink["href"]!.GetValue<string>()));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), hash["value"]!.GetValue<string>());
        });
    }

    [Theory]
    [MemberData(nameof(BrokenAssessmentResults))]
    public void The_official_schema_rejects_assessment_results_that_break_the_model(string breakage)
    {
        var ar = OscalExport.AssessmentResults(orgs.Get(SampleScenario.TokenTheft).Result);
        Assert.True(Evaluate(ar, ArSchema.Value).IsValid, "the unbroken document must validate, or this test proves nothing");
        var root = ar["assessment-results"]!;
        var result = root["results"]![0]!;

        switch (breakage)
        {
            case "no import-ap":
                root.AsObject().Remove("import-ap");
                break;
            case "uuid not a uuid":
                root["uuid"] = "not-a-uuid";
                break;
            case "version 4 style uuid with a bad variant":
                result["uuid"] = "0f8fad5b-d9cb-469f-c165-70867728950e";
                break;
            case "finding state outside the enumeration":
                result["findings"]![0]!["target"]!["status"]!["state"] = "failed";
                break;
            case "observation without collected":
                result["observations"]![0]!.AsObject().Remove("collected");
                break;
            case "start without a time zone":
                result["start"] = "2026-03-17T09:41:00";
                break;
            case "unknown member in a result":
                result["severity"] = "high";
                break;
            case "hash without algorithm":
                root["back-matter"]!["resources"]!.AsArray().First(r => r!["rlinks"] is not null)!["rlinks"]![0]!["hashes"]![0]!.AsObject().Remove("algorithm");
                break;
            case "empty findings array":
                result["findings"] = new JsonArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "no such case");
        }

        Assert.False(Evaluate(ar, ArSchema.Value).IsValid, $"the schema accepted a document with {breakage}");
    }

    [Theory]
    [MemberData(nameof(BrokenPoams))]
    public void The_official_schema_rejects_a_poam_that_breaks_the_model(string breakage)
    {
        var poam = OscalExport.Poam(orgs.Get(SampleScenario.TokenTheft).Result);
        Assert.True(Evaluate(poam, PoSchema.Value).IsValid, "the unbroken document must validate, or this test proves nothing");
        var root = poam["plan-of-action-and-milestones"]!;

        switch (breakage)
        {
            case "no poam-items":
                root.AsObject().Remove("poam-items");
                break;
            case "poam item without description":
                root["poam-items"]![0]!.AsObject().Remove("description");
                break;
            case "risk without status":
                root["risks"]![0]!.AsObject().Remove("status");
                break;
            case "milestone without a date":
                root["risks"]!.AsArray().First(r => r!["remediations"] is not null)!["remediations"]![0]!["tasks"]![0]!["timing"]!["on-date"]!.AsObject().Remove("date");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "no such case");
        }

        Assert.False(Evaluate(poam, PoSchema.Value).IsValid, $"the schema accepted a POA&M with {breakage}");
    }

    [GeneratedRegex("\"uuid\":\"([^\"]+)\"")]
    private static partial Regex UuidMember();

    private static JsonSchema Load(string file) => JsonSchema.FromFile(Fixtures.Path("oscal", file));

    private static EvaluationResults Evaluate(JsonNode? document, JsonSchema schema) =>
        schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    private static void AssertValid(JsonNode? document, JsonSchema schema, string file)
    {
        var evaluation = Evaluate(document, schema);
        var errors = (evaluation.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Take(20);
        Assert.True(evaluation.IsValid, $"{file}: " + string.Join(Environment.NewLine, errors));
    }
}

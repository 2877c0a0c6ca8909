using System.Text.Json.Nodes;
using Breachline.Controls;
using Breachline.Sample;
using Json.Schema;

namespace Breachline.Tests.Controls;

public sealed class OscalExportTests(ScenarioOrgs orgs) : IClassFixture<ScenarioOrgs>, IDisposable
{
    private const string AssessmentResultsSchema = "breachline-oscal-1.0.4-assessment-results-subset.schema.json";
    private const string PoamSchema = "breachline-oscal-1.0.4-poam-subset.schema.json";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(SampleScenario.TokenTheft)]
    [InlineData(SampleScenario.PortalCredentials)]
    public void Assessment_results_and_poam_validate_against_the_oscal_schemas(SampleScenario scenario)
    {
        var files = OscalExport.Write(orgs.Get(scenario).Result, _dir.Combine("oscal"));

        var ar = JsonNode.Parse(File.ReadAllText(files.AssessmentResults));
        var poam = JsonNode.Parse(File.ReadAllText(files.Poam));

        AssertValid(ar, AssessmentResultsSchema);
        AssertValid(poam, PoamSchema);
        var result = ar!["assessment-results"]!["results"]![0]!;
        Assert.Contains(result["findings"]!.AsArray(), f => f!["target"]!["target-id"]!.GetValue<string>() == "cc6.1" && f["target"]!["status"]!["state"]!.GetValue<string>() == "not-satisfied");
        Assert.NotEmpty(poam!["plan-of-action-and-milestones"]!["poam-items"]!.AsArray());
    }

    [Fact]
    public void A_re_export_keeps_every_uuid()
    {
        var result = orgs.Get(SampleScenario.TokenTheft).Result;

        var first = OscalExport.AssessmentResults(result).ToJsonString();
        var second = OscalExport.AssessmentResults(result).ToJsonString();

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_schema_rejects_a_document_that_breaks_the_model()
    {
        var ar = OscalExport.AssessmentResults(orgs.Get(SampleScenario.TokenTheft).Result);
        ar["assessment-results"]!.AsObject().Remove("import-ap");
        ar["assessment-results"]!["uuid"] = "not-a-uuid";

        var evaluation = Schema(AssessmentResultsSchema).Evaluate(ar, new EvaluationOptions { RequireFormatValidation = true });

        Assert.False(evaluation.IsValid);
    }

    private static JsonSchema Schema(string file) => JsonSchema.FromFile(Fixtures.Path("oscal", file));

    private static void AssertValid(JsonNode? document, string file)
    {
        var evaluation = Schema(file).Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        var errors = (evaluation.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .Take(20);
        Assert.True(evaluation.IsValid, $"{file}: " + string.Join(Environment.NewLine, errors));
    }
}

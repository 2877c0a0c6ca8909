using System.Text.Json.Nodes;
using Json.Schema;

namespace Breachline.Tests;

/// <summary>Validates documents against the JSON Schemas in docs/schema (copied next to the tests).</summary>
public static class SchemaValidation
{
    private static readonly Lazy<EvaluationOptions> Options = new(() =>
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "schemas"), "*.schema.json"))
        {
            options.SchemaRegistry.Register(JsonSchema.FromFile(file));
        }

        return options;
    });

    /// <summary>Asserts that <paramref name="document"/> is valid against the named schema, listing every error otherwise.</summary>
    public static void AssertValid(JsonNode? document, string schemaFile)
    {
        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "schemas", schemaFile));
        var result = schema.Evaluate(document, Options.Value);
        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToList();
        Assert.True(result.IsValid, $"{schemaFile}: " + string.Join(Environment.NewLine, errors));
    }
}

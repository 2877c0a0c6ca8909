using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Breachline.Tests.Reporting;

/// <summary>
/// Evaluates the sources the report gives its numbers: a normalized JSONPath into incident.json
/// (<c>$.exposure.byJurisdiction.US-IL</c>, <c>$.hunt.queries[3].rows</c>, <c>$['a b']</c>), or count(PATH),
/// count(PATH[?(@.key==value)]) and sum(PATH) over it. Independent of the engine, so a wrong path fails.
/// </summary>
internal static partial class IncidentJsonSource
{
    /// <summary>The value the source names, formatted as the report formats counts.</summary>
    public static string Evaluate(JsonObject json, string source)
    {
        var match = CountWhere().Match(source);
        if (match.Success)
        {
            var array = Resolve(json, match.Groups[1].Value)!.AsArray();
            var expected = match.Groups[3].Value.Trim('\'');
            return N(array.Count(item => item![match.Groups[2].Value]?.ToString().Equals(expected, StringComparison.OrdinalIgnoreCase) == true));
        }

        if (source.StartsWith("count(", StringComparison.Ordinal))
        {
            var counted = Resolve(json, source[6..^1]) ?? throw new InvalidOperationException($"{source} names nothing");
            return N(counted is JsonArray array ? array.Count : counted.AsObject().Count);
        }

        if (source.StartsWith("sum(", StringComparison.Ordinal))
        {
            return N(Resolve(json, source[4..^1])!.AsObject().Sum(p => p.Value!.GetValue<long>()));
        }

        var node = Resolve(json, source) ?? throw new InvalidOperationException($"{source} names nothing in incident.json");
        return node.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? node.GetValue<long>() < 0 ? "unknown" : N(node.GetValue<long>())
            : node.ToString();
    }

    /// <summary>True when the path (inside count()/sum() too) names a member that exists.</summary>
    public static bool Exists(JsonObject json, string source)
    {
        var path = source;
        if (path.StartsWith("count(", StringComparison.Ordinal) || path.StartsWith("sum(", StringComparison.Ordinal))
        {
            path = path[(path.IndexOf('(', StringComparison.Ordinal) + 1)..^1];
            var filter = path.IndexOf("[?(", StringComparison.Ordinal);
            path = filter < 0 ? path : path[..filter];
        }

        return Resolve(json, path) is not null;
    }

    /// <summary>Follows a normalized JSONPath (.name, ['name'], [index]) from the root.</summary>
    public static JsonNode? Resolve(JsonObject json, string path)
    {
        Assert.StartsWith("$", path, StringComparison.Ordinal);
        JsonNode? node = json;
        foreach (Match step in Step().Matches(path[1..]))
        {
            if (node is null)
            {
                return null;
            }

            node = step.Groups["index"].Success
                ? node is JsonArray array && int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture) is var i && i < array.Count ? array[i] : null
                : node is JsonObject obj ? obj[step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value] : null;
        }

        return node;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Step();

    [GeneratedRegex(@"^count\((\$[^\[]+)\[\?\(@\.(\w+)==([^)]+)\)\]\)$")]
    private static partial Regex CountWhere();
}

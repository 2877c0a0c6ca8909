using System.Globalization;
using System.Text.Json.Nodes;

namespace Breachline.Posture;

/// <summary>
/// Scan findings as SARIF 2.1.0 (OASIS), the format code-scanning tools import: one run, the rules that fired
/// as <c>tool.driver.rules</c> with their rationale, remediation, pattern and criteria, one result per finding
/// with its file, line and column relative to the scanned export, and the files that could not be read (or were
/// read in part) as the invocation's notifications.
/// </summary>
public static class SarifReport
{
    /// <summary>The SARIF schema URI written in <c>$schema</c>.</summary>
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    /// <summary>Builds the SARIF log for <paramref name="result"/> of scanning <paramref name="root"/>.</summary>
    public static JsonObject Create(ScanResult result, string root, string toolVersion)
    {
        var rules = new JsonArray();
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var finding in result.Findings)
        {
            if (ruleIndex.ContainsKey(finding.Rule))
            {
                continue;
            }

            ruleIndex[finding.Rule] = rules.Count;
            rules.Add(new JsonObject
            {
                ["id"] = finding.Rule,
                ["name"] = ToName(finding.Rule),
                ["shortDescription"] = new JsonObject { ["text"] = finding.Title },
                ["fullDescription"] = new JsonObject { ["text"] = finding.Rationale },
                ["help"] = new JsonObject { ["text"] = finding.Remediation, ["markdown"] = $"**Remediation.** {finding.Remediation}\n\n**SOC 2 criteria:** {string.Join(", ", finding.Criteria)}" },
                ["defaultConfiguration"] = new JsonObject { ["level"] = Level(finding.Severity) },
                ["properties"] = new JsonObject
                {
                    ["pattern"] = finding.Pattern,
                    ["criteria"] = new JsonArray([.. finding.Criteria.Select(c => (JsonNode)c)]),
                    ["tags"] = new JsonArray([(JsonNode)"security", finding.Pattern, .. finding.Criteria.Select(c => (JsonNode)c)]),
                    ["security-severity"] = SecuritySeverity(finding.Severity),
                },
            });
        }

        var results = new JsonArray();
        foreach (var finding in result.Findings)
        {
            var physical = new JsonObject
            {
                ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(finding.Location.Path).Replace("%2F", "/", StringComparison.Ordinal), ["uriBaseId"] = "ORGROOT" },
            };
            if (finding.Location.Line is { } line)
            {
                var region = new JsonObject { ["startLine"] = line };
                if (finding.Location.Column is { } column)
                {
                    region["startColumn"] = column;
                }

                physical["region"] = region;
            }

            var sarifResult = new JsonObject
            {
                ["ruleId"] = finding.Rule,
                ["ruleIndex"] = ruleIndex[finding.Rule],
                ["level"] = Level(finding.Severity),
                ["message"] = new JsonObject { ["text"] = finding.Detail },
                ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical }),
                ["partialFingerprints"] = new JsonObject { ["breachlineFindingId/v1"] = finding.Id },
                ["properties"] = new JsonObject
                {
                    ["severity"] = finding.Severity.Name(),
                    ["pattern"] = finding.Pattern,
                    ["criteria"] = new JsonArray([.. finding.Criteria.Select(c => (JsonNode)c)]),
                },
            };
            if (finding.Evidence is { } evidence)
            {
                sarifResult["properties"]!["evidenceSha256"] = evidence.Sha256;
            }

            results.Add(sarifResult);
        }

        // Files that could not be read (errors) or were read in part (notes) travel with the results: a
        // code-scanning tool that imports only the SARIF must still learn that the scan was incomplete.
        var notifications = new JsonArray();
        foreach (var (problem, level) in result.Problems.Select(p => (p, "error")).Concat(result.Notes.Select(n => (n, "note"))))
        {
            var physical = new JsonObject
            {
                ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(problem.File).Replace("%2F", "/", StringComparison.Ordinal), ["uriBaseId"] = "ORGROOT" },
            };
            if (problem.Line is { } problemLine)
            {
                physical["region"] = new JsonObject { ["startLine"] = problemLine };
            }

            notifications.Add(new JsonObject
            {
                ["level"] = level,
                ["message"] = new JsonObject { ["text"] = problem.Message },
                ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical }),
            });
        }

        var rootUri = new Uri(Path.GetFullPath(root).TrimEnd('/', '\\') + Path.DirectorySeparatorChar).AbsoluteUri;
        return new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "Breachline",
                        ["semanticVersion"] = toolVersion,
                        ["informationUri"] = "https://breachline.local/docs/scan",
                        ["rules"] = rules,
                    },
                },
                ["invocations"] = new JsonArray(new JsonObject
                {
                    ["executionSuccessful"] = result.Problems.Count == 0,
                    ["toolExecutionNotifications"] = notifications,
                }),
                ["originalUriBaseIds"] = new JsonObject { ["ORGROOT"] = new JsonObject { ["uri"] = rootUri } },
                ["results"] = results,
                ["columnKind"] = "utf16CodeUnits",
            }),
        };
    }

    private static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    // GitHub code scanning reads this property (0.1–10) to rank security results.
    private static string SecuritySeverity(Severity severity) => (severity switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        Severity.Low => 3.0,
        _ => 1.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);

    private static string ToName(string rule) =>
        string.Concat(rule.Split('-', '/').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}

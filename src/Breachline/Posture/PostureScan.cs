using System.Security.Cryptography;
using System.Text;
using Breachline.Common;
using Breachline.Posture.Secrets;
using Breachline.Salesforce;

namespace Breachline.Posture;

/// <summary>Counts that tell the reader how much was looked at.</summary>
/// <param name="MetadataFiles">Metadata files read.</param>
/// <param name="SecretFiles">Files scanned for secrets.</param>
/// <param name="SecretCharacters">Characters scanned for secrets.</param>
/// <param name="SuppressedSecrets">Matches not reported because they are placeholders, references or fixtures.</param>
/// <param name="RulesEvaluated">Posture rules run.</param>
public sealed record ScanSummary(int MetadataFiles, int SecretFiles, long SecretCharacters, int SuppressedSecrets, int RulesEvaluated);

/// <summary>The leak-cause scan of one org export.</summary>
/// <param name="Findings">Findings, most severe first.</param>
/// <param name="Problems">Files that could not be read (malformed XML, a DTD, unreadable CSV); the scan went on without them.</param>
/// <param name="Notes">Files read partly or skipped on purpose (binary files, bytes that are not UTF-8, files too large for the line-based checks).</param>
/// <param name="Suppressed">Secret matches that are not findings, and why.</param>
/// <param name="Summary">Counts.</param>
public sealed record ScanResult(IReadOnlyList<Finding> Findings, IReadOnlyList<InputProblem> Problems, IReadOnlyList<InputProblem> Notes, IReadOnlyList<SuppressedSecret> Suppressed, ScanSummary Summary)
{
    /// <summary>True when some finding is at least <paramref name="severity"/>.</summary>
    public bool HasAtLeast(Severity severity) => Findings.Any(f => f.Severity >= severity);
}

/// <summary>
/// Scans an org export (DESIGN.md §9 layout) for the leak causes: reads metadata/, integrations/, records/
/// and logs/ and evaluates every posture rule. A folder that is itself Salesforce metadata (SFDX or mdapi,
/// with no export layout around it) is scanned as metadata.
/// </summary>
public static class PostureScan
{
    private static readonly string[] ExportParts = ["metadata", "integrations", "records", "logs", "gateway"];

    /// <summary>Scans the export at <paramref name="root"/> with the shipped rules.</summary>
    /// <exception cref="InputException">The folder does not exist.</exception>
    public static ScanResult Run(string root, IReadOnlyList<PostureRule>? rules = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(root))
        {
            throw new InputException(root, null, "org export folder does not exist");
        }

        rules ??= PostureRules.BuiltIn;
        var full = Path.GetFullPath(root);
        var isExport = ExportParts.Any(p => Directory.Exists(Path.Combine(full, p))) || File.Exists(Path.Combine(full, "org.yaml"));
        var metadataDir = isExport ? Path.Combine(full, "metadata") : full;
        var metadata = Directory.Exists(metadataDir) ? OrgMetadata.Load(metadataDir, full) : OrgMetadata.Empty;
        var inputs = new ScanInputs(full, metadata);

        var findings = new List<Finding>();
        foreach (var rule in rules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rule.Check == "event-monitoring-coverage" && !inputs.HasLogs)
            {
                continue;
            }

            foreach (var hit in PostureChecks.Catalogue[rule.Check].Run(rule, inputs))
            {
                var ruleId = hit.RuleSuffix is null ? rule.Id : $"{rule.Id}/{hit.RuleSuffix}";
                findings.Add(new Finding(
                    FindingId(ruleId, hit),
                    ruleId,
                    rule.Pattern,
                    hit.Severity ?? rule.Severity,
                    rule.Title,
                    hit.Detail,
                    hit.Location,
                    rule.Criteria,
                    rule.Rationale,
                    rule.Remediation,
                    hit.Evidence));
            }
        }

        var problems = new List<InputProblem>();
        problems.AddRange(metadata.Problems.Select(p => new InputProblem(p.Path, p.Line, p.Message)));
        problems.AddRange(inputs.Problems);
        var secretScans = inputs.SecretScans.Values.ToList();
        var notes = secretScans.SelectMany(s => s.Notes).OrderBy(n => n.Path, StringComparer.Ordinal).ToList();
        problems.AddRange(notes.Where(n => n.Message.StartsWith("cannot be read", StringComparison.Ordinal)).Select(n => new InputProblem(n.Path, null, n.Message)));

        var ordered = findings
            .DistinctBy(f => f.Id)
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Pattern, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line ?? 0)
            .ThenBy(f => f.Location.Column ?? 0)
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ToList();
        return new ScanResult(
            ordered,
            problems,
            [.. notes.Where(n => !n.Message.StartsWith("cannot be read", StringComparison.Ordinal)).Select(n => new InputProblem(n.Path, null, n.Message))
                .Concat(inputs.Notes)
                .OrderBy(n => n.File, StringComparer.Ordinal)],
            [.. secretScans.SelectMany(s => s.Suppressed)],
            new ScanSummary(metadata.FilesRead, secretScans.Sum(s => s.FilesScanned), secretScans.Sum(s => s.CharactersScanned), secretScans.Sum(s => s.Suppressed.Count), rules.Count));
    }

    private static string FindingId(string rule, CheckHit hit)
    {
        var key = $"{rule}|{hit.Location.Path}|{hit.Location.Line}|{hit.Location.Column}|{hit.Detail}";
        return "F-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
    }
}

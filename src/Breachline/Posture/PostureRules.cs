using System.Globalization;
using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Posture;

/// <summary>One rule family file (<c>data/rules/&lt;family&gt;.yaml</c>) as written.</summary>
public sealed class RuleFile : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Family name; must match the file name (oauth, sharing, privilege, logging, transfer, secrets).</summary>
    public string Family { get; set; } = "";

    /// <summary>The rules.</summary>
    public List<RuleEntry> Rules { get; set; } = [];
}

/// <summary>One posture rule as written in its data file.</summary>
public sealed class RuleEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Stable id, e.g. <c>oauth-full-scope</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Leak pattern (DESIGN.md §9).</summary>
    public string Pattern { get; set; } = "";

    /// <summary>critical, high, medium, low, info.</summary>
    public string Severity { get; set; } = "";

    /// <summary>Short statement of the problem.</summary>
    public string Title { get; set; } = "";

    /// <summary>Why it lets data leak.</summary>
    public string Rationale { get; set; } = "";

    /// <summary>What to change.</summary>
    public string Remediation { get; set; } = "";

    /// <summary>SOC 2 Trust Services Criteria, e.g. CC6.1.</summary>
    public List<string> Criteria { get; set; } = [];

    /// <summary>The built-in check that evaluates the rule.</summary>
    public string Check { get; set; } = "";

    /// <summary>The check's parameters; list values may name a shared list as <c>@name</c>.</summary>
    public Dictionary<string, List<string>> With { get; set; } = [];

    /// <summary>Where the behaviour the rule relies on is documented.</summary>
    public string Reference { get; set; } = "";

    /// <summary>When the rule was last checked against that reference.</summary>
    public string CheckedOn { get; set; } = "";
}

/// <summary>Named lists shared by rule files (<c>data/rules/lists.yaml</c>).</summary>
public sealed class RuleListFile : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>When the lists were last reviewed.</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>The lists by name.</summary>
    public Dictionary<string, List<string>> Lists { get; set; } = [];
}

/// <summary>A validated rule, with its parameters resolved.</summary>
public sealed record PostureRule(
    string Id,
    string Family,
    string Pattern,
    Severity Severity,
    string Title,
    string Rationale,
    string Remediation,
    IReadOnlyList<string> Criteria,
    string Check,
    IReadOnlyDictionary<string, IReadOnlyList<string>> With,
    string Reference)
{
    /// <summary>A parameter's values, or an empty list.</summary>
    public IReadOnlyList<string> Param(string name) => With.TryGetValue(name, out var v) ? v : [];

    /// <summary>A parameter's single value, or the default.</summary>
    public string? One(string name, string? fallback = null) => With.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : fallback;
}

/// <summary>The shipped posture rules, loaded from <c>data/rules/*.yaml</c> and validated at load.</summary>
public static class PostureRules
{
    private const string ListsName = "data/rules/lists.yaml";
    private static readonly Regex CriterionPattern = new(@"^(?:CC[1-9]\.[0-9]|A1\.[1-3]|C1\.[12]|PI1\.[1-5]|P[1-8]\.[0-9])$", RegexOptions.CultureInvariant);
    private static readonly Lazy<IReadOnlyList<PostureRule>> BuiltInRules = new(LoadBuiltIn);

    /// <summary>The shipped rules (loaded once).</summary>
    public static IReadOnlyList<PostureRule> BuiltIn => BuiltInRules.Value;

    /// <summary>Validates parsed rule files against the check catalogue and the shared lists.</summary>
    /// <exception cref="InputException">Every problem, naming file, line, rule and field.</exception>
    public static IReadOnlyList<PostureRule> Create(IEnumerable<(string FileName, RuleFile File)> files, RuleListFile lists)
    {
        var rules = new List<PostureRule>();
        var problems = new List<InputProblem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fileName, file) in files)
        {
            var errors = new DataFileErrors(fileName);
            var family = Path.GetFileNameWithoutExtension(fileName);
            if (file.Family != family)
            {
                errors.Add(file.Line, null, "family", $"'{file.Family}' does not match the file name '{family}'");
            }

            foreach (var entry in file.Rules)
            {
                if (Validate(entry, family, lists, errors, ids) is { } rule)
                {
                    rules.Add(rule);
                }
            }

            try
            {
                errors.ThrowIfAny();
            }
            catch (InputException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        return rules;
    }

    private static IReadOnlyList<PostureRule> LoadBuiltIn()
    {
        var lists = DataFile.LoadEmbedded<RuleListFile>(ListsName);
        var files = DataFile.ListEmbedded("data/rules/")
            .Where(n => n != ListsName)
            .Select(n => (n, DataFile.LoadEmbedded<RuleFile>(n)));
        return Create(files, lists);
    }

    private static PostureRule? Validate(RuleEntry entry, string family, RuleListFile lists, DataFileErrors errors, HashSet<string> ids)
    {
        var name = string.IsNullOrEmpty(entry.Id) ? $"rule at line {entry.Line}" : entry.Id;
        var ok = true;
        void Fail(string field, string message)
        {
            errors.Add(entry.Line, name, field, message);
            ok = false;
        }

        if (!Regex.IsMatch(entry.Id, "^[a-z0-9]+(-[a-z0-9]+)*$"))
        {
            Fail("id", "is required: lower-case words joined by '-'");
        }
        else if (!ids.Add(entry.Id))
        {
            Fail("id", "is used twice");
        }

        if (!LeakPatterns.All.Contains(entry.Pattern))
        {
            Fail("pattern", $"'{entry.Pattern}' is not one of {string.Join(", ", LeakPatterns.All)}");
        }

        if (!SeverityNames.TryParse(entry.Severity, out var severity))
        {
            Fail("severity", $"'{entry.Severity}' is not one of {SeverityNames.List}");
        }

        foreach (var (field, value) in new[] { ("title", entry.Title), ("rationale", entry.Rationale), ("remediation", entry.Remediation), ("reference", entry.Reference) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail(field, "is required");
            }
        }

        if (entry.Criteria.Count == 0)
        {
            Fail("criteria", "at least one SOC 2 criterion (e.g. CC6.1) is required");
        }

        foreach (var criterion in entry.Criteria.Where(c => !CriterionPattern.IsMatch(c)))
        {
            Fail("criteria", $"'{criterion}' is not a Trust Services Criteria id such as CC6.1, C1.1 or P6.3");
        }

        if (!DateOnly.TryParseExact(entry.CheckedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            Fail("checkedOn", $"'{entry.CheckedOn}' is not a date (yyyy-MM-dd)");
        }

        var resolved = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!PostureChecks.Catalogue.TryGetValue(entry.Check, out var check))
        {
            Fail("check", $"'{entry.Check}' is not a known check; known: {string.Join(", ", PostureChecks.Catalogue.Keys.Order(StringComparer.Ordinal))}");
        }
        else
        {
            foreach (var required in check.Required.Where(r => !entry.With.ContainsKey(r)))
            {
                Fail($"with.{required}", $"is required by check '{entry.Check}'");
            }

            foreach (var (key, values) in entry.With)
            {
                if (!check.Required.Contains(key) && !check.Optional.Contains(key))
                {
                    Fail($"with.{key}", $"is not a parameter of check '{entry.Check}' (it takes {string.Join(", ", check.Required.Concat(check.Optional))})");
                    continue;
                }

                var expanded = new List<string>();
                foreach (var value in values)
                {
                    if (value.StartsWith('@'))
                    {
                        if (lists.Lists.TryGetValue(value[1..], out var list))
                        {
                            expanded.AddRange(list);
                        }
                        else
                        {
                            Fail($"with.{key}", $"names the list '{value}', which lists.yaml does not define");
                        }
                    }
                    else
                    {
                        expanded.Add(value);
                    }
                }

                resolved[key] = expanded;
            }

            if (ok && check.Validate?.Invoke(resolved) is { } problem)
            {
                Fail("with", problem);
            }
        }

        return ok
            ? new PostureRule(entry.Id, family, entry.Pattern, severity, entry.Title.Trim(), entry.Rationale.Trim(), entry.Remediation.Trim(), entry.Criteria, entry.Check, resolved, entry.Reference)
            : null;
    }
}

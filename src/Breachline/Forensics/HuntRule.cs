using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// One behaviour hunt, as shipped in <c>Data/hunts/*.yaml</c>: which detector runs, with which parameters,
/// how much a hit weighs, why it matters and which ATT&amp;CK technique it maps to. The detectors are code;
/// what they look for (thresholds, objects, patterns, actions) is data.
/// </summary>
public sealed class HuntRule : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Stable id, kebab-case, equal to the file name.</summary>
    public string Id { get; set; } = "";

    /// <summary>One line for people.</summary>
    public string Title { get; set; } = "";

    /// <summary>The detector that evaluates this hunt (see <see cref="HuntRules.Detectors"/>).</summary>
    public string Detector { get; set; } = "";

    /// <summary>Weight of one hit, 1–100; an identity whose hits reach the suspect threshold is a suspect.</summary>
    public int Score { get; set; }

    /// <summary>Why the behaviour indicates theft, and where the knowledge comes from.</summary>
    public string Rationale { get; set; } = "";

    /// <summary>MITRE ATT&amp;CK technique id (T1234 or T1234.001), where one fits.</summary>
    public string? Attack { get; set; }

    /// <summary>The technique's name.</summary>
    public string? AttackName { get; set; }

    /// <summary>Date the rationale and technique mapping were last checked.</summary>
    public DateOnly CheckedOn { get; set; }

    /// <summary>Detector parameters.</summary>
    public HuntParameters Parameters { get; set; } = new();
}

/// <summary>Parameters a detector may take; each detector names the ones it reads and the loader refuses others.</summary>
public sealed class HuntParameters
{
    /// <summary>Days at the start of the logs that form the baseline.</summary>
    public int? BaselineDays { get; set; }

    /// <summary>How many times the baseline a value must reach.</summary>
    public double? Multiplier { get; set; }

    /// <summary>Rows that are always too many for one identity in one day.</summary>
    public long? MinRows { get; set; }

    /// <summary>Minutes between two events.</summary>
    public int? Minutes { get; set; }

    /// <summary>Hours a sequence may span.</summary>
    public int? Hours { get; set; }

    /// <summary>How many distinct steps a sequence needs.</summary>
    public int? MinSteps { get; set; }

    /// <summary>Object API names or prefixes ending in '*' (hed__*).</summary>
    public List<string>? Objects { get; set; }

    /// <summary>Regular expressions (.NET syntax, case-insensitive).</summary>
    public List<string>? Patterns { get; set; }

    /// <summary>SetupAuditTrail actions.</summary>
    public List<string>? Actions { get; set; }

    /// <summary>SetupAuditTrail sections.</summary>
    public List<string>? Sections { get; set; }

    /// <summary>User-agent prefixes (case-insensitive).</summary>
    public List<string>? UserAgents { get; set; }

    /// <summary>Hours either side of the incident window to look at.</summary>
    public int? MarginHours { get; set; }
}

/// <summary>The shipped behaviour hunts, loaded and validated once.</summary>
public static class HuntRules
{
    /// <summary>Each detector and the parameters it reads (required ones first, then optional after '?').</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Required, string[] Optional)> Detectors =
        new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
        {
            ["new-login-origin"] = (["baselineDays"], []),
            ["recon-sequence"] = (["patterns", "minSteps", "hours"], []),
            ["bulk-without-history"] = (["baselineDays"], []),
            ["bulk-job-deleted"] = (["minutes"], []),
            ["rows-above-baseline"] = (["baselineDays", "multiplier", "minRows"], []),
            ["report-export-of-objects"] = (["objects"], ["minRows"]),
            ["soql-pattern"] = (["patterns"], []),
            ["guest-read-of-objects"] = (["objects"], []),
            ["setup-change-in-window"] = (["actions", "marginHours"], ["sections"]),
            ["user-agent"] = (["userAgents"], []),
        };

    private static readonly Regex IdPattern = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);
    private static readonly Regex AttackPattern = new(@"^T\d{4}(\.\d{3})?$", RegexOptions.CultureInvariant);
    private static readonly Lazy<IReadOnlyList<HuntRule>> BuiltIn = new(LoadBuiltIn);

    /// <summary>The shipped hunts.</summary>
    public static IReadOnlyList<HuntRule> All => BuiltIn.Value;

    /// <summary>Loads one hunt file from YAML text and validates it.</summary>
    /// <exception cref="InputException">The file is malformed; every problem names file, line, entry and field.</exception>
    public static HuntRule Parse(string text, string fileName)
    {
        var rule = DataFile.Parse<HuntRule>(text, fileName);
        var errors = new DataFileErrors(fileName);
        Validate(rule, fileName, errors);
        errors.ThrowIfAny();
        return rule;
    }

    private static IReadOnlyList<HuntRule> LoadBuiltIn()
    {
        var rules = new List<HuntRule>();
        foreach (var name in DataFile.ListEmbedded("data/hunts/"))
        {
            using var stream = typeof(HuntRules).Assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            rules.Add(Parse(reader.ReadToEnd(), name));
        }

        return rules;
    }

    private static void Validate(HuntRule rule, string fileName, DataFileErrors errors)
    {
        var entry = string.IsNullOrEmpty(rule.Id) ? null : rule.Id;
        if (!IdPattern.IsMatch(rule.Id))
        {
            errors.Add(rule.Line, entry, "id", "is required, kebab-case");
        }
        else if (!Path.GetFileNameWithoutExtension(fileName).Equals(rule.Id, StringComparison.Ordinal))
        {
            errors.Add(rule.Line, entry, "id", $"'{rule.Id}' must equal the file name");
        }

        if (string.IsNullOrWhiteSpace(rule.Title))
        {
            errors.Add(rule.Line, entry, "title", "is required");
        }

        if (string.IsNullOrWhiteSpace(rule.Rationale))
        {
            errors.Add(rule.Line, entry, "rationale", "is required: say why the behaviour indicates theft");
        }

        if (rule.Score is < 1 or > 100)
        {
            errors.Add(rule.Line, entry, "score", "must be 1-100");
        }

        if (rule.Attack is { } attack && !AttackPattern.IsMatch(attack))
        {
            errors.Add(rule.Line, entry, "attack", $"'{attack}' is not an ATT&CK technique id such as T1530 or T1078.004");
        }

        if (rule.CheckedOn == default)
        {
            errors.Add(rule.Line, entry, "checkedOn", "is required (the date the rationale was checked)");
        }

        if (!Detectors.TryGetValue(rule.Detector, out var detector))
        {
            errors.Add(rule.Line, entry, "detector", $"'{rule.Detector}' is not one of {string.Join(", ", Detectors.Keys)}");
            return;
        }

        var given = Given(rule.Parameters);
        foreach (var name in detector.Required.Where(n => !given.Contains(n)))
        {
            errors.Add(rule.Line, entry, $"parameters.{name}", $"is required by detector {rule.Detector}");
        }

        foreach (var name in given.Where(n => !detector.Required.Contains(n) && !detector.Optional.Contains(n)))
        {
            errors.Add(rule.Line, entry, $"parameters.{name}", $"is not read by detector {rule.Detector}");
        }

        foreach (var pattern in rule.Parameters.Patterns ?? [])
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                errors.Add(rule.Line, entry, "parameters.patterns", $"'{pattern}' is not a valid regular expression: {e.Message}");
            }
        }
    }

    private static HashSet<string> Given(HuntParameters p)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                set.Add(name);
            }
        }

        Add("baselineDays", p.BaselineDays);
        Add("multiplier", p.Multiplier);
        Add("minRows", p.MinRows);
        Add("minutes", p.Minutes);
        Add("hours", p.Hours);
        Add("minSteps", p.MinSteps);
        Add("objects", p.Objects);
        Add("patterns", p.Patterns);
        Add("actions", p.Actions);
        Add("sections", p.Sections);
        Add("userAgents", p.UserAgents);
        Add("marginHours", p.MarginHours);
        return set;
    }
}

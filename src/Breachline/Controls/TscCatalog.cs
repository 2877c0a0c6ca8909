using System.Text.RegularExpressions;
using Breachline.Common;
using NodaTime;
using NodaTime.Text;

namespace Breachline.Controls;

/// <summary>One Trust Services Criterion: its identifier and a short title in Breachline's own words.</summary>
/// <param name="Id">Identifier, e.g. <c>CC6.1</c>.</param>
/// <param name="Group">Its group, e.g. <c>CC6</c>.</param>
/// <param name="GroupTitle">The group's title.</param>
/// <param name="Title">Short title (own words; the AICPA text is copyrighted).</param>
public sealed record Criterion(string Id, string Group, string GroupTitle, string Title);

/// <summary>The SOC 2 Trust Services Criteria catalog (2017, points of focus revised 2022), loaded from data.</summary>
/// <param name="Criteria">Every criterion in catalog order.</param>
/// <param name="Source">Where the identifiers come from.</param>
/// <param name="CheckedOn">When the catalog was last checked.</param>
public sealed record TscCatalog(IReadOnlyList<Criterion> Criteria, string Source, DateOnly CheckedOn)
{
    /// <summary>Logical name of the shipped catalog.</summary>
    public const string EmbeddedName = "data/tsc/criteria.yaml";

    private static readonly Regex IdPattern = new(@"^(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9]$", RegexOptions.CultureInvariant);
    private static readonly Lazy<TscCatalog> Shipped = new(() => Validate(DataFile.LoadEmbedded<CatalogFile>(EmbeddedName), EmbeddedName));

    /// <summary>The shipped catalog.</summary>
    public static TscCatalog BuiltIn => Shipped.Value;

    /// <summary>The criterion with this id, or null.</summary>
    public Criterion? Find(string id) => Criteria.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Loads and validates a catalog file.</summary>
    /// <exception cref="InputException">Malformed YAML, or entries that break the schema, each named by file, line, entry and field.</exception>
    public static TscCatalog Load(string path) => Validate(DataFile.LoadFile<CatalogFile>(path), path);

    private static TscCatalog Validate(CatalogFile file, string name)
    {
        var errors = new DataFileErrors(name);
        if (string.IsNullOrWhiteSpace(file.Source))
        {
            errors.Add(file.Line, null, "source", "is required: say where the identifiers come from");
        }

        if (file.CheckedOn is null)
        {
            errors.Add(file.Line, null, "checkedOn", "is required: the date the catalog was last checked");
        }

        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in file.Groups)
        {
            if (string.IsNullOrWhiteSpace(group.Id) || string.IsNullOrWhiteSpace(group.Title))
            {
                errors.Add(group.Line, group.Id ?? "group", string.IsNullOrWhiteSpace(group.Id) ? "id" : "title", "is required");
            }
            else if (!groups.TryAdd(group.Id, group.Title))
            {
                errors.Add(group.Line, group.Id, "id", "appears twice");
            }
        }

        var criteria = new List<Criterion>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in file.Criteria)
        {
            var label = string.IsNullOrWhiteSpace(entry.Id) ? $"criteria[{file.Criteria.IndexOf(entry)}]" : entry.Id;
            if (string.IsNullOrWhiteSpace(entry.Id))
            {
                errors.Add(entry.Line, label, "id", "is required");
                continue;
            }

            if (!IdPattern.IsMatch(entry.Id))
            {
                errors.Add(entry.Line, label, "id", $"'{entry.Id}' is not a Trust Services Criteria id such as CC6.1, A1.2, C1.1, PI1.3 or P6.3");
                continue;
            }

            if (!seen.Add(entry.Id))
            {
                errors.Add(entry.Line, label, "id", "appears twice");
            }

            if (string.IsNullOrWhiteSpace(entry.Title))
            {
                errors.Add(entry.Line, label, "title", "is required");
            }
            else if (entry.Title.Length > 140)
            {
                errors.Add(entry.Line, label, "title", "is longer than 140 characters: keep titles short and in our own words");
            }

            var group = entry.Id[..entry.Id.IndexOf('.', StringComparison.Ordinal)];
            if (!groups.TryGetValue(group, out var groupTitle))
            {
                errors.Add(entry.Line, label, "id", $"its group {group} is not listed under groups");
                continue;
            }

            criteria.Add(new Criterion(entry.Id, group, groupTitle, entry.Title ?? ""));
        }

        if (criteria.Count == 0 && file.Criteria.Count == 0)
        {
            errors.Add(file.Line, null, "criteria", "is empty");
        }

        errors.ThrowIfAny();
        return new TscCatalog(criteria, file.Source!, file.CheckedOn!.Value);
    }

    private sealed class CatalogFile : ISourceLine
    {
        public int Line { get; set; }

        public string? Source { get; set; }

        public DateOnly? CheckedOn { get; set; }

        public List<GroupEntry> Groups { get; set; } = [];

        public List<CriterionEntry> Criteria { get; set; } = [];
    }

    private sealed class GroupEntry : ISourceLine
    {
        public int Line { get; set; }

        public string? Id { get; set; }

        public string? Title { get; set; }
    }

    private sealed class CriterionEntry : ISourceLine
    {
        public int Line { get; set; }

        public string? Id { get; set; }

        public string? Title { get; set; }
    }
}

/// <summary>Plain words for one criterion: who owns its fixes, the gap, the remediation.</summary>
public sealed record CriterionGuidance(string Id, string Owner, string Gap, string Remediation);

/// <summary>An incident fact that shows a control failed (or is at risk), and the criteria it bears on.</summary>
public sealed record FactRule(string Id, ControlStatus Status, IReadOnlyList<string> Criteria, string Owner, string Gap, string Remediation);

/// <summary>The gap mapping (data/tsc/mapping.yaml): guidance per criterion, fact rules, milestone offsets.</summary>
public sealed record GapMapping(
    IReadOnlyDictionary<string, CriterionGuidance> Guidance,
    IReadOnlyDictionary<string, FactRule> Facts,
    IReadOnlyList<string> InScope,
    Duration DeficientDue,
    Duration AtRiskDue,
    Duration DetectionLatency,
    Duration NextUpdateWithin,
    string Source,
    DateOnly CheckedOn)
{
    /// <summary>Logical name of the shipped mapping.</summary>
    public const string EmbeddedName = "data/tsc/mapping.yaml";

    /// <summary>Fact ids the engine knows how to establish.</summary>
    public static readonly IReadOnlyList<string> KnownFacts =
    [
        "no-alert-fired", "logs-missing", "anti-forensics", "token-not-revoked-in-time", "containment-late", "auditor-notified-late",
        "auditor-notice-pending", "unlogged-boundary-on-attack-path", "setup-change-by-suspect", "boundary-no-logging", "boundary-broad-scope",
        "boundary-plaintext",
    ];

    private static readonly Lazy<GapMapping> Shipped = new(() => Validate(DataFile.LoadEmbedded<MappingFile>(EmbeddedName), EmbeddedName, TscCatalog.BuiltIn));

    /// <summary>The shipped mapping.</summary>
    public static GapMapping BuiltIn => Shipped.Value;

    /// <summary>Loads and validates a mapping file against a catalog.</summary>
    /// <exception cref="InputException">Problems named by file, line, entry and field.</exception>
    public static GapMapping Load(string path, TscCatalog catalog) => Validate(DataFile.LoadFile<MappingFile>(path), path, catalog);

    /// <summary>The guidance for a criterion; a generic one when the mapping has none.</summary>
    public CriterionGuidance GuidanceFor(Criterion criterion) =>
        Guidance.TryGetValue(criterion.Id, out var g)
            ? g
            : new CriterionGuidance(criterion.Id, "soc2-owner", $"Evidence shows the control for '{criterion.Title}' did not work as designed.", "Fix the causes listed and retest the control.");

    private static GapMapping Validate(MappingFile file, string name, TscCatalog catalog)
    {
        var errors = new DataFileErrors(name);
        if (string.IsNullOrWhiteSpace(file.Source))
        {
            errors.Add(file.Line, null, "source", "is required");
        }

        if (file.CheckedOn is null)
        {
            errors.Add(file.Line, null, "checkedOn", "is required");
        }

        Duration ParseDuration(string? text, int line, string? entry, string field)
        {
            var parsed = text is null ? null : PeriodPattern.NormalizingIso.Parse(text);
            if (parsed is null || !parsed.Success)
            {
                errors.Add(line, entry, field, $"'{text}' is not an ISO 8601 duration such as P30D or PT24H");
                return Duration.Zero;
            }

            var period = parsed.Value;
            return Duration.FromDays((period.Years * 365) + (period.Months * 30) + (period.Weeks * 7) + period.Days)
                + Duration.FromHours(period.Hours) + Duration.FromMinutes(period.Minutes) + Duration.FromSeconds(period.Seconds);
        }

        var deficient = ParseDuration(file.DueWithin?.Deficient, file.DueWithin?.Line ?? file.Line, "dueWithin", "deficient");
        var atRisk = ParseDuration(file.DueWithin?.AtRisk, file.DueWithin?.Line ?? file.Line, "dueWithin", "atRisk");
        var latency = ParseDuration(file.DetectionLatency, file.Line, null, "detectionLatency");
        var nextUpdate = ParseDuration(file.NextUpdateWithin, file.Line, null, "nextUpdateWithin");

        void CheckCriterion(string id, int line, string entry, string field)
        {
            if (catalog.Find(id) is null)
            {
                errors.Add(line, entry, field, $"'{id}' is not a criterion of the catalog");
            }
        }

        foreach (var id in file.InScope)
        {
            CheckCriterion(id, file.Line, "inScope", "criteria");
        }

        var guidance = new Dictionary<string, CriterionGuidance>(StringComparer.Ordinal);
        foreach (var g in file.Criteria)
        {
            var label = g.Id ?? "criteria";
            if (g.Id is null)
            {
                errors.Add(g.Line, label, "id", "is required");
                continue;
            }

            CheckCriterion(g.Id, g.Line, label, "id");
            foreach (var (field, value) in new[] { ("owner", g.Owner), ("gap", g.Gap), ("remediation", g.Remediation) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(g.Line, label, field, "is required");
                }
            }

            if (!guidance.TryAdd(g.Id, new CriterionGuidance(g.Id, g.Owner ?? "", g.Gap ?? "", g.Remediation ?? "")))
            {
                errors.Add(g.Line, label, "id", "appears twice");
            }
        }

        var facts = new Dictionary<string, FactRule>(StringComparer.Ordinal);
        foreach (var f in file.Facts)
        {
            var label = f.Id ?? "facts";
            if (f.Id is null || !KnownFacts.Contains(f.Id))
            {
                errors.Add(f.Line, label, "id", $"'{f.Id}' is not a fact Breachline establishes; known: {string.Join(", ", KnownFacts)}");
                continue;
            }

            ControlStatus? status = f.Status switch
            {
                "deficient" => ControlStatus.Deficient,
                "at-risk" => ControlStatus.AtRisk,
                _ => null,
            };
            if (status is null)
            {
                errors.Add(f.Line, label, "status", $"'{f.Status}' is not deficient or at-risk");
            }

            if (f.Criteria.Count == 0)
            {
                errors.Add(f.Line, label, "criteria", "needs at least one criterion");
            }

            foreach (var c in f.Criteria)
            {
                CheckCriterion(c, f.Line, label, "criteria");
            }

            foreach (var (field, value) in new[] { ("owner", f.Owner), ("gap", f.Gap), ("remediation", f.Remediation) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(f.Line, label, field, "is required");
                }
            }

            if (!facts.TryAdd(f.Id, new FactRule(f.Id, status ?? ControlStatus.AtRisk, f.Criteria, f.Owner ?? "", f.Gap ?? "", f.Remediation ?? "")))
            {
                errors.Add(f.Line, label, "id", "appears twice");
            }
        }

        errors.ThrowIfAny();
        return new GapMapping(guidance, facts, file.InScope, deficient, atRisk, latency, nextUpdate, file.Source!, file.CheckedOn!.Value);
    }

    private sealed class MappingFile : ISourceLine
    {
        public int Line { get; set; }

        public string? Source { get; set; }

        public DateOnly? CheckedOn { get; set; }

        public DueWithinEntry? DueWithin { get; set; }

        public List<string> InScope { get; set; } = [];

        public string? DetectionLatency { get; set; }

        public string? NextUpdateWithin { get; set; }

        public List<GuidanceEntry> Criteria { get; set; } = [];

        public List<FactEntry> Facts { get; set; } = [];
    }

    private sealed class DueWithinEntry : ISourceLine
    {
        public int Line { get; set; }

        public string? Deficient { get; set; }

        public string? AtRisk { get; set; }
    }

    private sealed class GuidanceEntry : ISourceLine
    {
        public int Line { get; set; }

        public string? Id { get; set; }

        public string? Owner { get; set; }

        public string? Gap { get; set; }

        public string? Remediation { get; set; }
    }

    private sealed class FactEntry : ISourceLine
    {
        public int Line { get; set; }

        public string? Id { get; set; }

        public string? Status { get; set; }

        public List<string> Criteria { get; set; } = [];

        public string? Owner { get; set; }

        public string? Gap { get; set; }

        public string? Remediation { get; set; }
    }
}

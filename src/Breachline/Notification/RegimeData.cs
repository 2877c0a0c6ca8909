using System.Globalization;
using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Notification;

/// <summary>One regime file (data/regimes/*.yaml).</summary>
public sealed class RegimeFile
{
    /// <summary>The regimes of the file.</summary>
    public List<RegimeEntry> Regimes { get; set; } = [];
}

/// <summary>A notification regime: a statute, regulation, industry rule or assurance duty.</summary>
public sealed class RegimeEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Regime id (DESIGN.md §9): US-CA, EU-GDPR, US-GLBA, …</summary>
    public string Id { get; set; } = "";

    /// <summary>Short name.</summary>
    public string Name { get; set; } = "";

    /// <summary>us-state, international, federal or industry.</summary>
    public string Family { get; set; } = "";

    /// <summary>Whose residents it protects: ISO 3166-2 / 3166-1 ids, EU, or * for everyone.</summary>
    public List<string> Jurisdictions { get; set; } = [];

    /// <summary>The legal citation.</summary>
    public string Citation { get; set; } = "";

    /// <summary>Date the recorded version took effect (yyyy-MM-dd), or "unverified".</summary>
    public string Effective { get; set; } = "";

    /// <summary>Date the entry was last checked (yyyy-MM-dd).</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>Where the facts come from.</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>high, medium or low.</summary>
    public string Confidence { get; set; } = "";

    /// <summary>What was verified and what remains open.</summary>
    public string? Verification { get; set; }

    /// <summary>residents (applies when its residents are affected) or establishment (only where the organisation is established).</summary>
    public string Reach { get; set; } = "residents";

    /// <summary>Institution kinds it binds (default all).</summary>
    public List<string>? Entities { get; set; }

    /// <summary>Which data elements make a notifiable breach.</summary>
    public TriggerSpec? Trigger { get; set; }

    /// <summary>Encryption safe harbour.</summary>
    public EncryptionSpec? Encryption { get; set; }

    /// <summary>Risk-of-harm exception.</summary>
    public HarmSpec? Harm { get; set; }

    /// <summary>The notices the regime requires.</summary>
    public List<NoticeSpec> Notices { get; set; } = [];

    /// <summary>Substitute notice conditions.</summary>
    public SubstituteSpec? SubstituteNotice { get; set; }

    /// <summary>How public entities (state agencies, public universities) are treated.</summary>
    public string? PublicEntityNote { get; set; }

    /// <summary>Record-keeping duty for breaches, notified or not.</summary>
    public string? RecordKeeping { get; set; }
}

/// <summary>Which elements trigger notice.</summary>
public sealed class TriggerSpec
{
    /// <summary>Elements that count only together with the person's name.</summary>
    public List<string> WithName { get; set; } = [];

    /// <summary>Elements that count alone.</summary>
    public List<string> Standalone { get; set; } = [];

    /// <summary>Elements the statute accepts instead of a name (DC: phone or address).</summary>
    public List<string> NameAlternatives { get; set; } = [];

    /// <summary>Any personal data counts (GDPR and its peers).</summary>
    public bool AnyPersonalData { get; set; }

    /// <summary>Conditional standalone rules in the statute's terms.</summary>
    public string? StandaloneNote { get; set; }
}

/// <summary>Encryption safe harbour.</summary>
public sealed class EncryptionSpec
{
    /// <summary>Encrypted data is outside the duty.</summary>
    public bool SafeHarbour { get; set; }

    /// <summary>lost (the statute says the harbour is lost with the key) or silent (treated conservatively as lost).</summary>
    public string KeyClause { get; set; } = "silent";
}

/// <summary>Risk-of-harm exception.</summary>
public sealed class HarmSpec
{
    /// <summary>The statute lets the entity skip notice after finding no likelihood of harm.</summary>
    public bool Exception { get; set; }

    /// <summary>The standard in the statute's terms.</summary>
    public string? Standard { get; set; }

    /// <summary>Documentation duty for the determination.</summary>
    public DocumentationSpec? Documentation { get; set; }
}

/// <summary>Documentation duty of a no-harm determination.</summary>
public sealed class DocumentationSpec
{
    /// <summary>The determination must be in writing.</summary>
    public bool Required { get; set; }

    /// <summary>Years to keep it.</summary>
    public int? RetentionYears { get; set; }

    /// <summary>Whether and how a regulator must be told of the determination.</summary>
    public string? RegulatorNotice { get; set; }
}

/// <summary>One notice a regime requires.</summary>
public sealed class NoticeSpec : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Id within the regime: individuals, regulator, cra, data-owner, …</summary>
    public string Id { get; set; } = "";

    /// <summary>individuals, regulator, cra, data-owner, media, auditor or internal.</summary>
    public string Recipient { get; set; } = "";

    /// <summary>Who exactly.</summary>
    public string Name { get; set; } = "";

    /// <summary>owner (default: the data owner / controller), processor (a vendor holding others' data) or any.</summary>
    public string Role { get; set; } = "owner";

    /// <summary>Institution kinds the notice binds (default all).</summary>
    public List<string>? Entities { get; set; }

    /// <summary>Smallest number of affected residents that triggers the notice.</summary>
    public int Threshold { get; set; } = 1;

    /// <summary>The threshold in the statute's words.</summary>
    public string? ThresholdText { get; set; }

    /// <summary>none, harm-exception, risk, high-risk, any-of, or fact:NAME[+NAME].</summary>
    public string Condition { get; set; } = "none";

    /// <summary>When it is due.</summary>
    public DeadlineSpec Deadline { get; set; } = new();

    /// <summary>Template id of the draft (data/notify/templates.yaml).</summary>
    public string Content { get; set; } = "";

    /// <summary>A trigger of its own (public-entity statutes with their own element lists).</summary>
    public TriggerSpec? Trigger { get; set; }

    /// <summary>A citation of its own, when the notice rests on another section.</summary>
    public string? Citation { get; set; }

    /// <summary>The recipient is the lead supervisory authority (GDPR one-stop-shop).</summary>
    public bool LeadAuthority { get; set; }

    /// <summary>Encrypted data without its key is exempt from this notice even where the regime has no general harbour (GDPR Art. 34(3)(a)).</summary>
    public bool EncryptionExempts { get; set; }

    /// <summary>The triggering elements must include one of these categories.</summary>
    public List<string>? RequireCategories { get; set; }

    /// <summary>What the category requirement stands for, in the law's terms.</summary>
    public string? RequireNote { get; set; }

    /// <summary>any-of: triggered at this count.</summary>
    public int? OrCount { get; set; }

    /// <summary>any-of: triggered when these categories are exposed.</summary>
    public List<string>? OrCategories { get; set; }

    /// <summary>any-of: triggered when this counsel fact is true.</summary>
    public string? OrFact { get; set; }

    /// <summary>any-of: triggered at this risk level (risk or high).</summary>
    public string? OrRisk { get; set; }

    /// <summary>Deadline amount when the incident was malicious (APPI: 60 days instead of 30).</summary>
    public int? MaliciousAmount { get; set; }

    /// <summary>The notice is recommended, not mandatory.</summary>
    public bool Voluntary { get; set; }

    /// <summary>The threshold counts residents of each jurisdiction separately (HIPAA media notice).</summary>
    public bool PerJurisdiction { get; set; }
}

/// <summary>A deadline as the law sets it.</summary>
public sealed class DeadlineSpec
{
    /// <summary>The statute's words.</summary>
    public string? Text { get; set; }

    /// <summary>Starting event: discovery, awareness, determination, detection, individual-notice, materiality-determination.</summary>
    public string From { get; set; } = "discovery";

    /// <summary>Amount, when the law sets a number.</summary>
    public int? Amount { get; set; }

    /// <summary>hours, calendar-days, business-days or end-of-day.</summary>
    public string? Unit { get; set; }

    /// <summary>Holiday calendar for business days (data/notify/holidays.yaml), default US.</summary>
    public string? Calendar { get; set; }
}

/// <summary>Substitute notice conditions.</summary>
public sealed class SubstituteSpec
{
    /// <summary>Cost of notice above which substitute notice is allowed.</summary>
    public long? CostUsd { get; set; }

    /// <summary>Affected count above which substitute notice is allowed.</summary>
    public long? Count { get; set; }

    /// <summary>The conditions and method in the statute's terms.</summary>
    public string? Text { get; set; }
}

/// <summary>Every regime the matrix knows, validated.</summary>
public sealed partial class RegimeCatalog
{
    /// <summary>Known recipients.</summary>
    public static readonly IReadOnlySet<string> Recipients = new HashSet<string>(StringComparer.Ordinal) { "individuals", "regulator", "cra", "data-owner", "media", "auditor", "internal" };

    /// <summary>Known deadline starting events.</summary>
    public static readonly IReadOnlySet<string> StartEvents = new HashSet<string>(StringComparer.Ordinal) { "discovery", "awareness", "determination", "detection", "individual-notice", "materiality-determination" };

    /// <summary>Known deadline units.</summary>
    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal) { "hours", "calendar-days", "business-days", "end-of-day" };

    /// <summary>Institution kinds.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "public-university", "private-university", "vendor" };

    private static readonly string[] ShippedFiles = ["data/regimes/us-states.yaml", "data/regimes/federal.yaml", "data/regimes/international.yaml"];

    private RegimeCatalog(IReadOnlyList<(RegimeEntry Regime, string File)> regimes, ElementCatalog elements, HolidayCalendars calendars, TemplateCatalog templates)
    {
        Regimes = [.. regimes.Select(r => r.Regime)];
        FileOf = regimes.ToDictionary(r => r.Regime.Id, r => r.File, StringComparer.Ordinal);
        Elements = elements;
        Calendars = calendars;
        Templates = templates;
    }

    /// <summary>The regimes, in file order.</summary>
    public IReadOnlyList<RegimeEntry> Regimes { get; }

    /// <summary>The file each regime came from.</summary>
    public IReadOnlyDictionary<string, string> FileOf { get; }

    /// <summary>The element tokens.</summary>
    public ElementCatalog Elements { get; }

    /// <summary>Holiday calendars for business days.</summary>
    public HolidayCalendars Calendars { get; }

    /// <summary>Draft templates.</summary>
    public TemplateCatalog Templates { get; }

    /// <summary>The shipped regimes, loaded once.</summary>
    public static RegimeCatalog Shipped => LazyShipped.Value;

    private static readonly Lazy<RegimeCatalog> LazyShipped = new(() => FromTexts(ShippedFiles.Select(f => (f, ReadEmbedded(f)))));

    /// <summary>Loads regime files from disk (a counsel's own set), validated like the shipped ones.</summary>
    /// <exception cref="InputException">A file is unreadable or an entry invalid; every problem is named with file, entry and field.</exception>
    public static RegimeCatalog LoadFiles(IEnumerable<string> paths) =>
        FromTexts(paths.Select(p =>
        {
            try
            {
                return (p, File.ReadAllText(p));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException(p, null, $"cannot read: {e.Message}", inner: e);
            }
        }));

    /// <summary>Parses and validates regime files given as (name, YAML text).</summary>
    /// <exception cref="InputException">Every problem of every file.</exception>
    public static RegimeCatalog FromTexts(IEnumerable<(string Name, string Text)> files)
    {
        var elements = ElementCatalog.Default;
        var calendars = HolidayCalendars.Shipped;
        var templates = TemplateCatalog.Shipped;
        var problems = new List<InputProblem>();
        var all = new List<(RegimeEntry, string)>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in files)
        {
            RegimeFile file;
            try
            {
                file = DataFile.Parse<RegimeFile>(text, name);
            }
            catch (InputException e)
            {
                problems.AddRange(e.Problems);
                continue;
            }

            var errors = new DataFileErrors(name);
            foreach (var regime in file.Regimes)
            {
                Validate(regime, errors, elements, calendars, templates);
                if (!string.IsNullOrEmpty(regime.Id) && !ids.TryAdd(regime.Id, name))
                {
                    errors.Add(regime.Line, regime.Id, "id", $"is also defined in {ids[regime.Id]}");
                }

                all.Add((regime, name));
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

        return new RegimeCatalog(all, elements, calendars, templates);
    }

    /// <summary>A regime by id, or null.</summary>
    public RegimeEntry? Find(string id) => Regimes.FirstOrDefault(r => r.Id == id);

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(RegimeCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"built-in data file {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^([A-Z]{2}(-[A-Z0-9]{1,3})?|\*)$")]
    private static partial Regex JurisdictionPattern();

    [GeneratedRegex(@"^[A-Z]{2}(-[A-Z0-9]+)+$|^PCI$|^SOC2$")]
    private static partial Regex RegimeIdPattern();

    private static bool IsDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static void Validate(RegimeEntry r, DataFileErrors errors, ElementCatalog elements, HolidayCalendars calendars, TemplateCatalog templates)
    {
        var id = string.IsNullOrWhiteSpace(r.Id) ? $"regime at line {r.Line}" : r.Id;
        void Err(string field, string message) => errors.Add(r.Line, id, field, message);
        if (!RegimeIdPattern().IsMatch(r.Id))
        {
            Err("id", $"'{r.Id}' is not a regime id such as US-CA, EU-GDPR or PCI");
        }

        if (string.IsNullOrWhiteSpace(r.Name))
        {
            Err("name", "is required");
        }

        if (r.Family is not ("us-state" or "international" or "federal" or "industry"))
        {
            Err("family", $"'{r.Family}' is not one of us-state, international, federal, industry");
        }

        if (r.Jurisdictions.Count == 0)
        {
            Err("jurisdictions", "is required");
        }

        foreach (var j in r.Jurisdictions.Where(j => !JurisdictionPattern().IsMatch(j)))
        {
            Err("jurisdictions", $"'{j}' is not an ISO 3166 id (US-CA, DE, CA-ON), EU or *");
        }

        if (string.IsNullOrWhiteSpace(r.Citation))
        {
            Err("citation", "is required: every legal rule carries its citation");
        }

        if (string.IsNullOrWhiteSpace(r.CheckedOn))
        {
            Err("checkedOn", "is required: the date the entry was last checked");
        }
        else if (!IsDate(r.CheckedOn))
        {
            Err("checkedOn", $"'{r.CheckedOn}' is not a date (yyyy-MM-dd)");
        }

        if (string.IsNullOrWhiteSpace(r.Effective))
        {
            Err("effective", "is required: the in-force date of the recorded version, or 'unverified'");
        }
        else if (r.Effective != "unverified" && !IsDate(r.Effective))
        {
            Err("effective", $"'{r.Effective}' is not a date (yyyy-MM-dd) or 'unverified'");
        }

        if (r.Sources.Count == 0 || r.Sources.Any(string.IsNullOrWhiteSpace))
        {
            Err("sources", "is required: at least one source");
        }

        if (r.Confidence is not ("high" or "medium" or "low"))
        {
            Err("confidence", $"'{r.Confidence}' is not one of high, medium, low");
        }

        if (r.Reach is not ("residents" or "establishment"))
        {
            Err("reach", $"'{r.Reach}' is not one of residents, establishment");
        }

        ValidateKinds(r.Entities, "entities", Err);
        if (r.Trigger is null)
        {
            Err("trigger", "is required");
        }
        else
        {
            ValidateTrigger(r.Trigger, "trigger", elements, Err);
        }

        if (r.Encryption is { } enc && enc.KeyClause is not ("lost" or "silent"))
        {
            Err("encryption.keyClause", $"'{enc.KeyClause}' is not one of lost, silent");
        }

        if (r.Harm?.Documentation?.RetentionYears is < 0)
        {
            Err("harm.documentation.retentionYears", "must not be negative");
        }

        if (r.Notices.Count == 0)
        {
            Err("notices", "is required: at least one notice");
        }

        var noticeIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in r.Notices)
        {
            var f = $"notices[{n.Id}]";
            if (string.IsNullOrWhiteSpace(n.Id) || !noticeIds.Add(n.Id))
            {
                Err(f + ".id", "is missing or repeated");
            }

            if (!Recipients.Contains(n.Recipient))
            {
                Err(f + ".recipient", $"'{n.Recipient}' is not one of {string.Join(", ", Recipients)}");
            }

            if (string.IsNullOrWhiteSpace(n.Name))
            {
                Err(f + ".name", "is required");
            }

            if (n.Role is not ("owner" or "processor" or "any"))
            {
                Err(f + ".role", $"'{n.Role}' is not one of owner, processor, any");
            }

            ValidateKinds(n.Entities, f + ".entities", Err);
            if (n.Threshold < 1)
            {
                Err(f + ".threshold", $"{n.Threshold} must be at least 1");
            }

            if (!ValidCondition(n.Condition))
            {
                Err(f + ".condition", $"'{n.Condition}' is not none, harm-exception, risk, high-risk, any-of or fact:NAME[+NAME]");
            }

            if (n.Condition == "any-of" && n.OrCount is null && n.OrCategories is null && n.OrFact is null && n.OrRisk is null)
            {
                Err(f + ".condition", "any-of needs orCount, orCategories, orFact or orRisk");
            }

            if (n.OrRisk is { } orRisk && orRisk is not ("risk" or "high"))
            {
                Err(f + ".orRisk", $"'{orRisk}' is not one of risk, high");
            }

            foreach (var c in (n.RequireCategories ?? []).Concat(n.OrCategories ?? []).Where(c => !elements.Categories.Contains(c)))
            {
                Err(f + ".categories", $"unknown element category '{c}'");
            }

            if (n.Trigger is { } t)
            {
                ValidateTrigger(t, f + ".trigger", elements, Err);
            }

            var d = n.Deadline;
            if (d.Amount is < 0)
            {
                Err(f + ".deadline.amount", $"{d.Amount} is a negative deadline");
            }

            if (n.MaliciousAmount is < 0)
            {
                Err(f + ".maliciousAmount", $"{n.MaliciousAmount} is a negative deadline");
            }

            if (d.Amount is not null && d.Unit is null)
            {
                Err(f + ".deadline.unit", "is required with an amount");
            }

            if (d.Unit is { } unit && !Units.Contains(unit))
            {
                Err(f + ".deadline.unit", $"'{unit}' is not one of {string.Join(", ", Units)}");
            }

            if (d.Unit is not null && d.Amount is null)
            {
                Err(f + ".deadline.amount", "is required with a unit");
            }

            if (!StartEvents.Contains(d.From))
            {
                Err(f + ".deadline.from", $"'{d.From}' is not one of {string.Join(", ", StartEvents)}");
            }

            if (d.Amount is null && string.IsNullOrWhiteSpace(d.Text))
            {
                Err(f + ".deadline", "needs an amount and unit, or the statute's words in text");
            }

            if (d.Calendar is { } cal && calendars.Find(cal) is null)
            {
                Err(f + ".deadline.calendar", $"unknown holiday calendar '{cal}'");
            }

            if (!templates.Contains(n.Content))
            {
                Err(f + ".content", $"unknown draft template '{n.Content}'");
            }
        }
    }

    private static void ValidateKinds(List<string>? kinds, string field, Action<string, string> err)
    {
        foreach (var k in (kinds ?? []).Where(k => !Kinds.Contains(k)))
        {
            err(field, $"'{k}' is not one of public-university, private-university, vendor");
        }
    }

    private static void ValidateTrigger(TriggerSpec t, string field, ElementCatalog elements, Action<string, string> err)
    {
        foreach (var (list, name) in new[] { (t.WithName, "withName"), (t.Standalone, "standalone"), (t.NameAlternatives, "nameAlternatives") })
        {
            foreach (var token in list.Where(token => !elements.Contains(token)))
            {
                err($"{field}.{name}", $"unknown element token '{token}' (see data/elements.yaml)");
            }
        }

        if (!t.AnyPersonalData && t.WithName.Count == 0 && t.Standalone.Count == 0)
        {
            err(field, "names no element and is not anyPersonalData");
        }
    }

    private static bool ValidCondition(string c) =>
        c is "none" or "harm-exception" or "risk" or "high-risk" or "any-of"
        || (c.StartsWith("fact:", StringComparison.Ordinal) && c[5..].Split('+').All(f => CounselFacts.IsKnown(f)));
}

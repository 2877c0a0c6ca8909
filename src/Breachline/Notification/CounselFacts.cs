using System.Globalization;
using Breachline.Common;
using NodaTime;

namespace Breachline.Notification;

/// <summary>The kind of value a counsel fact takes.</summary>
public enum FactKind
{
    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>One of a fixed list.</summary>
    Choice,

    /// <summary>An ISO 8601 instant.</summary>
    Instant,

    /// <summary>Free text.</summary>
    Text,
}

/// <summary>A fact counsel may set with <c>breachline notify set FACT=VALUE</c>.</summary>
/// <param name="Name">Fact name.</param>
/// <param name="Kind">Value kind.</param>
/// <param name="Description">What it means.</param>
/// <param name="Choices">Allowed values for <see cref="FactKind.Choice"/>.</param>
/// <param name="Scoped">May be set for one regime as NAME.REGIME (e.g. no-harm.US-FL).</param>
public sealed record FactDefinition(string Name, FactKind Kind, string Description, IReadOnlyList<string>? Choices = null, bool Scoped = false);

/// <summary>
/// Per-incident facts that only counsel can establish (risk-of-harm determinations, roles, delays). The
/// engine reads a scoped value (NAME.REGIME) before the global one; an unset fact that a rule needs makes the
/// obligation "needs-decision", never a guess.
/// </summary>
public sealed class CounselFacts
{
    /// <summary>Every fact the engine reads.</summary>
    public static readonly IReadOnlyList<FactDefinition> Definitions =
    [
        new("risk-level", FactKind.Choice, "Counsel's risk assessment: none, low, risk (likely risk to rights and freedoms) or high (high risk / serious or significant harm)", ["none", "low", "risk", "high"], Scoped: true),
        new("no-harm", FactKind.Boolean, "Counsel determined there is no reasonable likelihood of harm (US no-harm exceptions)", Scoped: true),
        new("no-harm-documented", FactKind.Boolean, "The no-harm determination is documented in writing", Scoped: true),
        new("applies", FactKind.Boolean, "Whether a regime applies at all (set per regime: applies.CN-PIPL=false)", Scoped: true),
        new("law-enforcement-delay-until", FactKind.Instant, "Law enforcement asked to delay individual notice until this time"),
        new("vendor-role", FactKind.Choice, "A vendor acting as processor (default) or controller of the data", ["processor", "controller"]),
        new("lead-sa", FactKind.Text, "GDPR lead supervisory authority (EU member state code) when the controller has an EU main establishment"),
        new("title-iv", FactKind.Boolean, "The institution participates in Title IV federal student aid (FSA report)"),
        new("hipaa-covered-entity", FactKind.Boolean, "The organisation is a HIPAA covered entity or business associate for the data"),
        new("dfs-regulated", FactKind.Boolean, "The organisation is regulated by the New York DFS"),
        new("nis2-entity", FactKind.Boolean, "The organisation is an essential or important entity under an NIS2 transposition"),
        new("india-systems", FactKind.Boolean, "The organisation runs systems in India within CERT-In's directions"),
        new("sec-registrant", FactKind.Boolean, "The organisation (vendor) is an SEC registrant"),
        new("material", FactKind.Boolean, "The incident was determined to be material (SEC Form 8-K Item 1.05)"),
        new("material-at", FactKind.Instant, "When the materiality determination was made"),
        new("malicious-attack", FactKind.Boolean, "The incident was caused with an unauthorised purpose (cyberattack, insider theft)"),
        new("determined-at", FactKind.Instant, "When the organisation determined that a notifiable breach occurred"),
        new("individual-notice-at", FactKind.Instant, "When notice to individuals was given"),
        new("contact", FactKind.Text, "Contact point printed in drafts (DPO, privacy office, phone)"),
    ];

    private static readonly Dictionary<string, FactDefinition> ByName = Definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    private readonly Dictionary<string, string> _values;

    /// <summary>Facts from stored name=value pairs.</summary>
    public CounselFacts(IReadOnlyDictionary<string, string> values) =>
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);

    /// <summary>No facts set.</summary>
    public static CounselFacts None { get; } = new(new Dictionary<string, string>());

    /// <summary>Every value set, by key (NAME or NAME.REGIME).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>True when <paramref name="name"/> is a fact the engine knows.</summary>
    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>A copy with one value set (already validated).</summary>
    public CounselFacts With(string key, string value) => new(new Dictionary<string, string>(_values) { [key] = value });

    /// <summary>The value for a regime: NAME.REGIME first, then NAME.</summary>
    public string? Get(string name, string? regime = null) =>
        regime is not null && _values.TryGetValue($"{name}.{regime}", out var scoped) ? scoped
        : _values.GetValueOrDefault(name);

    /// <summary>A boolean fact, or null when unset.</summary>
    public bool? Bool(string name, string? regime = null) => Get(name, regime) is { } v ? v == "true" : null;

    /// <summary>An instant fact, or null when unset.</summary>
    public Instant? InstantOf(string name) =>
        Get(name) is { } v ? IncidentTime.ParseInstant(v, null, name) : null;

    /// <summary>
    /// Parses and validates FACT=VALUE. Instants without offset are read in <paramref name="zone"/> and stored
    /// with their offset, so the stored value is exact.
    /// </summary>
    /// <exception cref="UsageException">Unknown fact, bad value or scope.</exception>
    public static (string Key, string Value) Parse(string assignment, DateTimeZone zone, RegimeCatalog regimes)
    {
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new UsageException($"'{assignment}' is not FACT=VALUE; facts: {string.Join(", ", Definitions.Select(d => d.Name))}");
        }

        var key = assignment[..eq].Trim();
        var value = assignment[(eq + 1)..].Trim();
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? key : key[..dot];
        if (!ByName.TryGetValue(name, out var def))
        {
            throw new UsageException($"unknown fact '{name}'; facts: {string.Join(", ", Definitions.Select(d => d.Name))}");
        }

        if (dot >= 0)
        {
            var regime = key[(dot + 1)..];
            if (!def.Scoped)
            {
                throw new UsageException($"fact '{name}' applies to the whole incident and cannot be set for one regime");
            }

            if (regimes.Find(regime) is null)
            {
                throw new UsageException($"unknown regime '{regime}' in '{key}'");
            }
        }
        else if (name == "applies")
        {
            throw new UsageException("'applies' is set per regime, e.g. applies.CN-PIPL=false");
        }

        switch (def.Kind)
        {
            case FactKind.Boolean when value is not ("true" or "false"):
                throw new UsageException($"{key} takes true or false, not '{value}'");
            case FactKind.Choice when !def.Choices!.Contains(value):
                throw new UsageException($"{key} takes one of {string.Join(", ", def.Choices!)}, not '{value}'");
            case FactKind.Instant:
                value = IncidentTime.Format(IncidentTime.ParseInstant(value, zone, key), zone);
                break;
            case FactKind.Text when value.Length == 0:
                throw new UsageException($"{key} needs a value");
            default:
                break;
        }

        if (name == "lead-sa")
        {
            value = value.ToUpper(CultureInfo.InvariantCulture);
        }

        return (key, value);
    }
}

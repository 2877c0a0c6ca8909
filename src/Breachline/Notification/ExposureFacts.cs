using System.Text.Json;
using System.Text.Json.Serialization;
using Breachline.Common;

namespace Breachline.Notification;

/// <summary>Individuals of one jurisdiction who share exactly one set of exposed data elements.</summary>
/// <param name="Jurisdiction">Residence: ISO 3166-2 (US-IL, CA-ON) or ISO 3166-1 (DE, CN).</param>
/// <param name="Elements">The element tokens exposed for each of them (data/elements.yaml), name included when exposed.</param>
/// <param name="Count">How many individuals.</param>
public sealed record ExposureGroup(string Jurisdiction, IReadOnlyList<string> Elements, long Count);

/// <summary>Whether an element left encrypted, and whether its key left too.</summary>
/// <param name="Encrypted">Stored and exported encrypted.</param>
/// <param name="KeyExposed">The key or credential to decrypt it was also acquired (or reasonably believed to be).</param>
public sealed record ElementProtection(bool Encrypted, bool KeyExposed);

/// <summary>
/// What the notification matrix needs from the exposure stage (the input contract of <c>notify</c>):
/// individuals grouped by residence and by the exact set of elements exposed — exact, so "name plus
/// element" rules and thresholds count people, not field hits — plus per-element encryption status and,
/// for vendors, individuals per customer. The scope stage stores it with <c>context.Set(exposureFacts)</c>.
/// </summary>
/// <param name="Groups">Individuals by jurisdiction and element set.</param>
/// <param name="Protection">Encryption per element; an element absent here was exposed in clear.</param>
/// <param name="ByCustomer">Vendors: individuals per customer id of customers.yaml; null when not split.</param>
/// <param name="JurisdictionTotals">Distinct individuals per jurisdiction, when the groups overlap (built from per-element totals).</param>
public sealed record ExposureFacts(
    IReadOnlyList<ExposureGroup> Groups,
    IReadOnlyDictionary<string, ElementProtection> Protection,
    IReadOnlyDictionary<string, long>? ByCustomer = null,
    IReadOnlyDictionary<string, long>? JurisdictionTotals = null)
{
    /// <summary>Schema id of the JSON file form.</summary>
    public const string SchemaId = "breachline/exposure-facts/v1";

    /// <summary>Individuals in all groups (distinct when built from individuals).</summary>
    [JsonIgnore]
    public long Individuals => JurisdictionTotals?.Values.Sum() ?? Groups.Sum(g => g.Count);

    /// <summary>
    /// Builds facts from per-jurisdiction × per-element counts (the incident.json exposure member). Such counts
    /// do not say which elements one person shares, so each (jurisdiction, element) count becomes a group with
    /// the name added when names were exposed there, and <see cref="JurisdictionTotals"/> caps the people
    /// counted per jurisdiction. The result errs towards notifying.
    /// </summary>
    public static ExposureFacts FromCounts(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> byJurisdictionAndElement, IReadOnlyDictionary<string, long>? byJurisdiction, IReadOnlyDictionary<string, ElementProtection>? protection = null)
    {
        var groups = new List<ExposureGroup>();
        foreach (var (jurisdiction, elements) in byJurisdictionAndElement)
        {
            var hasName = elements.TryGetValue("name", out var names) && names > 0;
            foreach (var (element, count) in elements.Where(e => e.Key != "name" && e.Value > 0))
            {
                groups.Add(new ExposureGroup(jurisdiction, hasName ? ["name", element] : [element], count));
            }
        }

        var totals = byJurisdiction ?? byJurisdictionAndElement.ToDictionary(p => p.Key, p => p.Value.Values.DefaultIfEmpty(0).Max());
        return new ExposureFacts(groups, protection ?? new Dictionary<string, ElementProtection>(), null, totals);
    }

    /// <summary>
    /// Reads a JSON file: either this record's own form (<c>"schema": "breachline/exposure-facts/v1"</c>, groups,
    /// protection, byCustomer) or an incident.json / its exposure member (byJurisdiction, byJurisdictionAndElement).
    /// </summary>
    /// <exception cref="InputException">Unreadable, malformed, or naming unknown element tokens.</exception>
    public static ExposureFacts Load(string path, ElementCatalog elements)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InputException(path, null, $"cannot read exposure facts: {e.Message}", inner: e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            ExposureFacts facts;
            try
            {
                if (root.TryGetProperty("schema", out var schema) && schema.GetString() == SchemaId)
                {
                    facts = root.Deserialize<ExposureFacts>(BreachlineJson.Options)
                        ?? throw new InputException(path, null, "empty exposure facts");
                }
                else
                {
                    var exposure = root.TryGetProperty("exposure", out var member) ? member : root;
                    if (!exposure.TryGetProperty("byJurisdictionAndElement", out var pairs))
                    {
                        throw new InputException(path, null, $"neither {SchemaId} nor an incident.json exposure member (byJurisdictionAndElement)", "exposure");
                    }

                    var byPair = pairs.Deserialize<Dictionary<string, Dictionary<string, long>>>(BreachlineJson.Options)!
                        .ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, long>)p.Value);
                    var byJurisdiction = exposure.TryGetProperty("byJurisdiction", out var bj)
                        ? bj.Deserialize<Dictionary<string, long>>(BreachlineJson.Options)
                        : null;
                    facts = FromCounts(byPair, byJurisdiction);
                }
            }
            catch (JsonException e)
            {
                throw new InputException(path, null, $"malformed exposure facts: {e.Message}", inner: e);
            }

            var problems = facts.Groups.SelectMany(g => g.Elements).Concat(facts.Protection.Keys)
                .Where(t => !elements.Contains(t)).Distinct()
                .Select(t => new InputProblem(path, null, $"unknown element token '{t}' (see data/elements.yaml)", "elements")).ToList();
            problems.AddRange(facts.Groups.Where(g => g.Count < 0).Select(g => new InputProblem(path, null, $"negative count for {g.Jurisdiction}", "count")));
            if (problems.Count > 0)
            {
                throw new InputException(problems);
            }

            return facts;
        }
    }
}

/// <summary>
/// Aggregates individuals one by one into <see cref="ExposureFacts"/> groups: scope adds each person's
/// residence and exposed elements; a million people collapse into a few hundred groups.
/// </summary>
/// <param name="elements">The element catalog.</param>
public sealed class ExposureFactsBuilder(ElementCatalog elements)
{
    private readonly Dictionary<(string, ulong), long> _groups = [];
    private readonly Dictionary<string, ElementProtection> _protection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byCustomer = new(StringComparer.Ordinal);

    /// <summary>Adds one individual.</summary>
    public void Add(string jurisdiction, ulong elementSet, string? customer = null)
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_groups, (jurisdiction, elementSet), out _);
        count++;
        if (customer is not null)
        {
            ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byCustomer, customer, out _);
            c++;
        }
    }

    /// <summary>Adds one individual by element tokens.</summary>
    public void Add(string jurisdiction, IEnumerable<string> tokens, string? customer = null) => Add(jurisdiction, elements.Set(tokens), customer);

    /// <summary>Records an element's encryption status.</summary>
    public void Protect(string token, ElementProtection protection)
    {
        elements.Bit(token);
        _protection[token] = protection;
    }

    /// <summary>The facts.</summary>
    public ExposureFacts Build() =>
        new([.. _groups.Select(g => new ExposureGroup(g.Key.Item1, elements.Tokens(g.Key.Item2), g.Value))],
            new Dictionary<string, ElementProtection>(_protection),
            _byCustomer.Count > 0 ? new Dictionary<string, long>(_byCustomer) : null);
}

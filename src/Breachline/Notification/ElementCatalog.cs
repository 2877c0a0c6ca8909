using Breachline.Common;

namespace Breachline.Notification;

/// <summary>
/// The project's one list of data-element tokens (data/elements.yaml): what scope classifies fields into and
/// what every regime names. Each token has a bit so an individual's elements are a 64-bit set.
/// </summary>
public sealed class ElementCatalog
{
    private readonly Dictionary<string, int> _index;

    private ElementCatalog(IReadOnlyList<ElementEntry> elements)
    {
        Elements = elements;
        _index = elements.Select((e, i) => (e.Token, i)).ToDictionary(p => p.Token, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The elements in file order.</summary>
    public IReadOnlyList<ElementEntry> Elements { get; }

    /// <summary>The shipped catalog.</summary>
    public static ElementCatalog Default { get; } = Load(DataFile.LoadEmbedded<ElementFile>("data/elements.yaml"), "data/elements.yaml");

    /// <summary>True when <paramref name="token"/> is a known element.</summary>
    public bool Contains(string token) => _index.ContainsKey(token);

    /// <summary>The bit of a token.</summary>
    /// <exception cref="ArgumentException">Unknown token.</exception>
    public ulong Bit(string token) =>
        _index.TryGetValue(token, out var i) ? 1UL << i : throw new ArgumentException($"'{token}' is not a data-element token of data/elements.yaml", nameof(token));

    /// <summary>The set of the given tokens.</summary>
    public ulong Set(IEnumerable<string> tokens) => tokens.Aggregate(0UL, (set, t) => set | Bit(t));

    /// <summary>The tokens of a set, in catalog order.</summary>
    public IReadOnlyList<string> Tokens(ulong set)
    {
        var list = new List<string>();
        for (var i = 0; i < Elements.Count; i++)
        {
            if ((set & (1UL << i)) != 0)
            {
                list.Add(Elements[i].Token);
            }
        }

        return list;
    }

    /// <summary>Every token carrying one of the categories.</summary>
    public ulong InCategories(IEnumerable<string> categories)
    {
        var wanted = categories.ToHashSet(StringComparer.Ordinal);
        return Elements.Where(e => e.Categories.Any(wanted.Contains)).Aggregate(0UL, (set, e) => set | Bit(e.Token));
    }

    /// <summary>The categories used by the catalog.</summary>
    public IReadOnlySet<string> Categories => Elements.SelectMany(e => e.Categories).ToHashSet(StringComparer.Ordinal);

    internal static ElementCatalog Load(ElementFile file, string name)
    {
        var errors = new DataFileErrors(name);
        if (file.Elements.Count > 64)
        {
            errors.Add(0, null, "elements", "more than 64 tokens; element sets are 64-bit");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in file.Elements)
        {
            if (string.IsNullOrWhiteSpace(e.Token) || !e.Token.All(c => c is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9')))
            {
                errors.Add(e.Line, e.Token, "token", "must be lower_snake_case");
            }

            if (!seen.Add(e.Token))
            {
                errors.Add(e.Line, e.Token, "token", "appears twice");
            }

            if (e.Categories.Count == 0)
            {
                errors.Add(e.Line, e.Token, "categories", "is required");
            }
        }

        errors.ThrowIfAny();
        return new ElementCatalog(file.Elements);
    }
}

/// <summary>data/elements.yaml.</summary>
public sealed class ElementFile
{
    /// <summary>When the list was last reviewed.</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>The tokens.</summary>
    public List<ElementEntry> Elements { get; set; } = [];
}

/// <summary>One data-element token.</summary>
public sealed class ElementEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Token, e.g. ssn.</summary>
    public string Token { get; set; } = "";

    /// <summary>Plain-words label for notices.</summary>
    public string Label { get; set; } = "";

    /// <summary>identity, financial, credential, health, biometric, special, contact, education, name.</summary>
    public List<string> Categories { get; set; } = [];
}

using System.Globalization;
using System.Text;
using Breachline.Common;

namespace Breachline.Exposure;

/// <summary>
/// Turns the state/province and country of a mailing address into a jurisdiction identifier (DESIGN.md §9):
/// <c>US-IL</c>, <c>US-PR</c>, <c>CA-ON</c>, <c>DE</c>. Names, ISO codes (alpha-2, alpha-3) and common
/// spellings are accepted; what cannot be placed is <see cref="Unknown"/>, and a US or Canadian address
/// whose state cannot be placed keeps the country alone.
/// </summary>
public sealed class Residence
{
    /// <summary>The jurisdiction of an address that names no recognisable place.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] Territories = ["PR", "GU", "VI", "AS", "MP", "UM"];
    private readonly Dictionary<string, string> _countries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _subdivisions = new(StringComparer.Ordinal);

    private Residence(RegionFile file, string name)
    {
        var errors = new DataFileErrors(name);
        void Put(Dictionary<string, string> map, string key, string code, int line)
        {
            if (map.TryGetValue(key, out var existing) && existing != code)
            {
                errors.Add(line, code, "names", $"'{key}' already names {existing}");
            }

            map[key] = code;
        }

        foreach (var c in file.Countries)
        {
            if (c.Code.Length != 2 || c.Alpha3.Length != 3)
            {
                errors.Add(c.Line, c.Code, "code", "needs a 2-letter code and a 3-letter alpha3");
                continue;
            }

            Put(_countries, c.Code, c.Code, c.Line);
            Put(_countries, c.Alpha3, c.Code, c.Line);
            foreach (var n in c.Names)
            {
                Put(_countries, Key(n), c.Code, c.Line);
            }
        }

        foreach (var s in file.Subdivisions)
        {
            if (s.Code.Length < 4 || s.Code[2] != '-')
            {
                errors.Add(s.Line, s.Code, "code", "is not an ISO 3166-2 code such as US-IL");
                continue;
            }

            Put(_subdivisions, s.Code, s.Code, s.Line);
            foreach (var n in s.Names)
            {
                Put(_subdivisions, s.Code[..3] + Key(n), s.Code, s.Line);
            }
        }

        foreach (var a in file.Aliases)
        {
            var target = a.Code.Length == 2 ? _countries : _subdivisions;
            foreach (var n in a.Names)
            {
                Put(target, a.Code.Length == 2 ? Key(n) : a.Code[..3] + Key(n), a.Code, a.Line);
            }
        }

        errors.ThrowIfAny();
    }

    /// <summary>The shipped region list.</summary>
    public static Residence Shipped { get; } = new(DataFile.LoadEmbedded<RegionFile>("data/classification/regions.yaml"), "data/classification/regions.yaml");

    /// <summary>The jurisdiction of an address.</summary>
    /// <param name="state">State or province, as a name or code (MailingState / MailingStateCode).</param>
    /// <param name="country">Country, as a name or code (MailingCountry / MailingCountryCode).</param>
    public string Resolve(string? state, string? country)
    {
        var countryCode = CountryOf(country);
        if (countryCode is null && !string.IsNullOrWhiteSpace(country))
        {
            return Unknown;
        }

        if (countryCode is not null && Territories.Contains(countryCode))
        {
            return "US-" + countryCode;
        }

        if (countryCode is null)
        {
            // No country: US exports often leave it empty; a US state or Canadian province places the address.
            return string.IsNullOrWhiteSpace(state)
                ? Unknown
                : SubdivisionOf("US", state) ?? SubdivisionOf("CA", state) ?? Unknown;
        }

        if (countryCode is "US" or "CA")
        {
            return string.IsNullOrWhiteSpace(state) ? countryCode : SubdivisionOf(countryCode, state) ?? countryCode;
        }

        return countryCode;
    }

    private string? CountryOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        if (t.Length is 2 or 3 && t.All(char.IsAsciiLetter) && _countries.TryGetValue(t.ToUpperInvariant(), out var byCode))
        {
            return byCode;
        }

        return _countries.GetValueOrDefault(Key(t));
    }

    private string? SubdivisionOf(string country, string text)
    {
        var t = text.Trim();
        if (t.Length is 2 or 3 && _subdivisions.TryGetValue($"{country}-{t.ToUpperInvariant()}", out var byCode))
        {
            return byCode;
        }

        if (t.Length > 3 && t[2] == '-' && _subdivisions.TryGetValue(t.ToUpperInvariant(), out var full) && full.StartsWith(country, StringComparison.Ordinal))
        {
            return full;
        }

        return _subdivisions.GetValueOrDefault($"{country}-" + Key(t));
    }

    // Names compare without case, accents, punctuation or spacing: "Québec", "QUEBEC" and "Quebec." are one key.
    private static string Key(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (char.IsLetterOrDigit(ch) && CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(char.ToLowerInvariant(ch));
            }
        }

        return sb.ToString();
    }
}

/// <summary>data/classification/regions.yaml.</summary>
public sealed class RegionFile
{
    /// <summary>When the list was last checked.</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>Where the codes come from.</summary>
    public string Source { get; set; } = "";

    /// <summary>ISO 3166-1 countries.</summary>
    public List<RegionEntry> Countries { get; set; } = [];

    /// <summary>ISO 3166-2 subdivisions of the US and Canada.</summary>
    public List<RegionEntry> Subdivisions { get; set; } = [];

    /// <summary>Other spellings of countries or subdivisions.</summary>
    public List<RegionEntry> Aliases { get; set; } = [];
}

/// <summary>One country, subdivision or alias set.</summary>
public sealed class RegionEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>ISO code (alpha-2, or ISO 3166-2 for subdivisions).</summary>
    public string Code { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-3 (countries only).</summary>
    public string Alpha3 { get; set; } = "";

    /// <summary>Names and spellings.</summary>
    public List<string> Names { get; set; } = [];
}

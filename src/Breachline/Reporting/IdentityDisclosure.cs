using System.Text.RegularExpressions;

namespace Breachline.Reporting;

/// <summary>
/// How a report shows personal identifiers (usernames, e-mail addresses): masked by default, enough to tell
/// them apart but not to contact anyone; in clear only when the reader asked with <c>--unmasked</c>, and then
/// the rendering is recorded in the custody log as an access.
/// </summary>
public sealed partial class IdentityDisclosure
{
    private IdentityDisclosure(bool masked) => Masked = masked;

    /// <summary>Identifiers masked (the default of every report).</summary>
    public static IdentityDisclosure Masking { get; } = new(masked: true);

    /// <summary>Identifiers in clear (only on an explicit request).</summary>
    public static IdentityDisclosure InClear { get; } = new(masked: false);

    /// <summary>True when identifiers are masked.</summary>
    public bool Masked { get; }

    /// <summary>One identifier (a username, an e-mail address), masked unless shown in clear.</summary>
    public string Identifier(string value) => Masked ? Mask(value) : value;

    /// <summary>A free text in which every e-mail shaped identifier is masked unless shown in clear; the rest stays readable.</summary>
    public string InText(string? text) => text is null ? "" : Masked ? Email().Replace(text, m => Mask(m.Value)) : text;

    private static string Mask(string value) => value.Length <= 4 ? "****" : $"{value[..4]}…({value.Length})";

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();
}

namespace Breachline.Forensics;

/// <summary>Salesforce record ids: 15-character case-sensitive ids and their 18-character case-safe form.</summary>
public static class SalesforceId
{
    private const string Suffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>
    /// The 18-character form: a 15-character id gains its checksum suffix (one character per 5-character
    /// chunk, encoding which characters are upper case); an 18-character id keeps its first 15 and gets the
    /// canonical suffix. Anything else is returned unchanged (trimmed).
    /// </summary>
    public static string Normalize(string id)
    {
        var text = id.Trim();
        if (text.Length is not (15 or 18) || !IsAlphanumeric(text.AsSpan(0, 15)))
        {
            return text;
        }

        Span<char> result = stackalloc char[18];
        text.AsSpan(0, 15).CopyTo(result);
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = text[(chunk * 5) + i];
                if (c is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            result[15 + chunk] = Suffix[bits];
        }

        return text.Length == 18 && result.SequenceEqual(text) ? text : new string(result);
    }

    /// <summary>True when two ids (15 or 18 characters) name the same record.</summary>
    public static bool SameRecord(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    private static bool IsAlphanumeric(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

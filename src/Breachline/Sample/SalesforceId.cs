namespace Breachline.Sample;

/// <summary>
/// Salesforce record ids: 3-character key prefix, 2-character instance, a reserved 0, 9 base-62 digits
/// (15 characters, case-sensitive), and the 18-character form whose 3-character suffix encodes which of
/// the 15 characters are upper case, so the id survives case-insensitive tools.
/// </summary>
public static class SalesforceId
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>Makes a 15-character id from its prefix, instance and sequence number.</summary>
    public static string Make15(string prefix, string instance, long sequence)
    {
        Span<char> id = stackalloc char[15];
        prefix.AsSpan().CopyTo(id);
        instance.AsSpan().CopyTo(id[3..]);
        id[5] = '0';
        var n = sequence;
        for (var i = 14; i >= 6; i--)
        {
            id[i] = Base62[(int)(n % 62)];
            n /= 62;
        }

        return new string(id);
    }

    /// <summary>The 18-character form of a 15-character id (the checksum suffix of the Salesforce API).</summary>
    public static string To18(string id15)
    {
        if (id15.Length != 15)
        {
            throw new ArgumentException($"'{id15}' is not a 15-character id", nameof(id15));
        }

        Span<char> suffix = stackalloc char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                var c = id15[(chunk * 5) + i];
                if (c is >= 'A' and <= 'Z')
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = SuffixAlphabet[bits];
        }

        return string.Concat(id15, suffix);
    }

    /// <summary>True when <paramref name="id18"/> is an 18-character id whose suffix matches its first 15 characters.</summary>
    public static bool IsValid18(string id18) => id18.Length == 18 && To18(id18[..15]) == id18;
}

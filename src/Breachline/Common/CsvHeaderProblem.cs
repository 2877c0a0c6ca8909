namespace Breachline.Common;

/// <summary>
/// Words for a CSV header Sep refuses: Sep throws <see cref="ArgumentException"/> when a header names a column
/// twice. Every reader here finds columns by name, so such a file is ambiguous and is skipped with this message.
/// </summary>
internal static class CsvHeaderProblem
{
    /// <summary>Sep's message without the header row it quotes, which may be very long.</summary>
    public static string Describe(ArgumentException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" in header row", StringComparison.Ordinal);
        var what = cut > 0 ? message[..cut] : message;
        if (what.Length > 160)
        {
            what = string.Concat(what.AsSpan(0, 160), "…");
        }

        return $"the header names a column more than once ({what}); the file is skipped";
    }
}

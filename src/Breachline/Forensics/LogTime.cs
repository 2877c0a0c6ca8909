using System.Globalization;
using System.Runtime.CompilerServices;
using NodaTime;
using NodaTime.Text;

namespace Breachline.Forensics;

/// <summary>The time formats Salesforce logs use.</summary>
public static class LogTime
{
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    private static readonly OffsetDateTimePattern[] OffsetPatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        // RTEM and SOQL results write the offset without a colon: 2025-08-09T10:15:00.000+0000.
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HHmm>"),
    ];

    // Runs for every row: fully optimized from its first call instead of tiering up (docs/hunt.md, Speed).
    /// <summary>
    /// Parses an ELF <c>TIMESTAMP</c>: GMT <c>yyyyMMddHHmmss</c> followed by an optional dot and 0–3 fraction
    /// digits (real files carry <c>20211019050707.13</c> and <c>20220803011210</c> as well as <c>.885</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseElf(ReadOnlySpan<char> text, out Instant instant)
    {
        instant = default;
        if (text.Length < 14 || text.Length > 18 || (text.Length > 14 && text[14] != '.'))
        {
            return false;
        }

        if (!Digits(text[..14]) || (text.Length > 15 && !Digits(text[15..])))
        {
            return false;
        }

        var year = Number(text, 0, 4);
        var month = Number(text, 4, 2);
        var day = Number(text, 6, 2);
        var hour = Number(text, 8, 2);
        var minute = Number(text, 10, 2);
        var second = Number(text, 12, 2);
        if (year < 1970 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var millis = 0;
        if (text.Length > 15)
        {
            var fraction = text[15..];
            millis = Number(fraction, 0, fraction.Length) * (fraction.Length switch { 1 => 100, 2 => 10, _ => 1 });
        }

        instant = Instant.FromUtc(year, month, day, hour, minute, second).PlusTicks(millis * NodaConstants.TicksPerMillisecond);
        return true;
    }

    /// <summary>
    /// Parses an ISO 8601 time (<c>TIMESTAMP_DERIVED</c>, RTEM <c>EventDate</c>, SetupAuditTrail
    /// <c>CreatedDate</c>, gateway logs): with Z or an offset, or without one (read as UTC, which is what
    /// Salesforce and gateways write), or as epoch seconds/milliseconds.
    /// </summary>
    public static bool TryParseIso(string text, out Instant instant)
    {
        var trimmed = text.Trim();
        foreach (var pattern in OffsetPatterns)
        {
            var result = pattern.Parse(trimmed);
            if (result.Success)
            {
                instant = result.Value.ToInstant();
                return true;
            }
        }

        var local = LocalDateTimePattern.ExtendedIso.Parse(trimmed);
        if (local.Success)
        {
            instant = local.Value.InUtc().ToInstant();
            return true;
        }

        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            // NodaTime's instants end in the year 9999; a larger number is no time (found by fuzzing: it threw).
            if (trimmed.Length > 11 && epoch > MaxUnixMilliseconds)
            {
                instant = default;
                return false;
            }

            // 11+ digits cannot be seconds before the year 5138: read them as milliseconds.
            instant = trimmed.Length > 11 ? Instant.FromUnixTimeMilliseconds(epoch) : Instant.FromUnixTimeSeconds(epoch);
            return true;
        }

        if (TryParseElf(trimmed, out instant))
        {
            return true;
        }

        instant = default;
        return false;
    }

    private static bool Digits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<char> text, int start, int length)
    {
        var value = 0;
        for (var i = start; i < start + length; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }
}

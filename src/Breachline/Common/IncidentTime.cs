using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Breachline.Common;

/// <summary>
/// Reads and writes the instants users type and reports show. Written times always carry their offset
/// in the incident's zone, so counsel reads local time and a machine reads an exact instant.
/// </summary>
public static class IncidentTime
{
    private static readonly OffsetDateTimePattern[] OffsetPatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.ExtendedIso,
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd"),
    ];

    private static readonly OffsetDateTimePattern OutputPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    /// <summary>
    /// Parses an ISO 8601 instant. With an offset or Z it is exact; without one it is read as local time
    /// in <paramref name="zone"/> (a time skipped by a DST change moves forward, an ambiguous one takes the
    /// earlier instant, as a responder reading a wall clock would mean).
    /// </summary>
    /// <exception cref="FormatException">The text is no time Breachline can read; the message says what is accepted.</exception>
    public static Instant ParseInstant(string text, DateTimeZone? zone, string what)
    {
        var trimmed = text.Trim();
        foreach (var pattern in OffsetPatterns)
        {
            var result = pattern.Parse(trimmed);
            if (result.Success)
            {
                return result.Value.ToInstant();
            }
        }

        foreach (var pattern in LocalPatterns)
        {
            var result = pattern.Parse(trimmed);
            if (result.Success)
            {
                if (zone is null)
                {
                    throw new FormatException($"{what} '{text}' has no offset and no time zone is known; write it as 2026-03-08T10:00:00-06:00 or with Z for UTC");
                }

                return result.Value.InZoneLeniently(zone).ToInstant();
            }
        }

        throw new FormatException($"{what} '{text}' is not an ISO 8601 time such as 2026-03-08T10:00:00-06:00, 2026-03-08T16:00Z or (in the incident's zone) 2026-03-08T10:00");
    }

    /// <summary>Resolves an IANA zone id such as America/Chicago.</summary>
    /// <exception cref="FormatException">The id is unknown.</exception>
    public static DateTimeZone Zone(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
        ?? throw new FormatException($"time zone '{id}' is not an IANA zone id such as America/Chicago or Europe/Berlin");

    /// <summary>ISO 8601 text with the zone's offset at that instant, e.g. 2026-03-08T11:00:00-05:00.</summary>
    public static string Format(Instant instant, DateTimeZone zone) =>
        OutputPattern.Format(instant.InZone(zone).ToOffsetDateTime());

    /// <summary>The instant as a <see cref="DateTimeOffset"/> carrying the zone's offset, for JSON documents.</summary>
    public static DateTimeOffset ToOffset(Instant instant, DateTimeZone zone) =>
        instant.InZone(zone).ToDateTimeOffset();

    /// <summary>A span such as "2d 03h 15m" or "-4h 05m" for people reading a clock.</summary>
    public static string Span(Duration duration)
    {
        var negative = duration < Duration.Zero;
        var d = negative ? -duration : duration;
        var days = (int)d.TotalDays;
        var text = days > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{days}d {d.Hours:00}h {d.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{d.Hours}h {d.Minutes:00}m");
        return negative ? "-" + text : text;
    }
}

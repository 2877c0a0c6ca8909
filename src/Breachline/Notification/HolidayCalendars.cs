using Breachline.Common;
using NodaTime;

namespace Breachline.Notification;

/// <summary>
/// Public-holiday calendars for deadlines counted in business days (data/notify/holidays.yaml). NodaTime
/// does the date arithmetic; the rules (fixed dates with observance, nth weekdays, Easter offsets) are data.
/// </summary>
public sealed class HolidayCalendars
{
    private readonly Dictionary<string, HolidayCalendarEntry> _calendars;
    private readonly Dictionary<(string, int), HashSet<LocalDate>> _years = [];
    private readonly Lock _lock = new();

    private HolidayCalendars(IEnumerable<HolidayCalendarEntry> calendars) =>
        _calendars = calendars.ToDictionary(c => c.Id, StringComparer.Ordinal);

    /// <summary>The shipped calendars.</summary>
    public static HolidayCalendars Shipped { get; } = Load(DataFile.LoadEmbedded<HolidayFile>("data/notify/holidays.yaml"), "data/notify/holidays.yaml");

    /// <summary>A calendar by id, or null.</summary>
    public HolidayCalendarEntry? Find(string id) => _calendars.GetValueOrDefault(id);

    /// <summary>True when <paramref name="date"/> is a public holiday of the calendar.</summary>
    public bool IsHoliday(string calendar, LocalDate date)
    {
        lock (_lock)
        {
            if (!_years.TryGetValue((calendar, date.Year), out var days))
            {
                days = [.. _calendars[calendar].Holidays.Select(h => Observed(h, date.Year))];
                _years[(calendar, date.Year)] = days;
            }

            return days.Contains(date);
        }
    }

    /// <summary>True for Saturdays, Sundays and the calendar's holidays.</summary>
    public bool IsBusinessDay(string calendar, LocalDate date) =>
        date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !IsHoliday(calendar, date);

    /// <summary>The date <paramref name="days"/> business days after <paramref name="start"/> (the start day itself never counts).</summary>
    public LocalDate AddBusinessDays(string calendar, LocalDate start, int days)
    {
        var date = start;
        var counted = 0;
        while (counted < days)
        {
            date = date.PlusDays(1);
            if (IsBusinessDay(calendar, date))
            {
                counted++;
            }
        }

        return date;
    }

    /// <summary>The holiday's observed date in a year.</summary>
    public static LocalDate Observed(HolidayRule rule, int year)
    {
        var date = rule.Kind switch
        {
            "fixed" => new LocalDate(year, rule.Month, rule.Day),
            "nth-weekday" => NthWeekday(year, rule.Month, ParseWeekday(rule.Weekday!), rule.Nth),
            "easter" => Easter(year).PlusDays(rule.Offset),
            _ => throw new InvalidOperationException($"unvalidated holiday kind '{rule.Kind}'"),
        };
        return rule.Observed switch
        {
            "nearest-weekday" => date.DayOfWeek switch
            {
                IsoDayOfWeek.Saturday => date.PlusDays(-1),
                IsoDayOfWeek.Sunday => date.PlusDays(1),
                _ => date,
            },
            "next-monday" => date.DayOfWeek == IsoDayOfWeek.Monday ? date : date.With(DateAdjusters.Next(IsoDayOfWeek.Monday)),
            _ => date,
        };
    }

    /// <summary>Western (Gregorian) Easter Sunday: the anonymous Gregorian computus (Meeus/Jones/Butcher).</summary>
    public static LocalDate Easter(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }

    private static LocalDate NthWeekday(int year, int month, IsoDayOfWeek weekday, int nth)
    {
        if (nth < 0)
        {
            var last = new LocalDate(year, month, 1).PlusMonths(1).PlusDays(-1);
            return last.DayOfWeek == weekday ? last : last.With(DateAdjusters.Previous(weekday));
        }

        var first = new LocalDate(year, month, 1);
        var firstMatch = first.DayOfWeek == weekday ? first : first.With(DateAdjusters.Next(weekday));
        return firstMatch.PlusWeeks(nth - 1);
    }

    private static IsoDayOfWeek ParseWeekday(string text) =>
        Enum.TryParse<IsoDayOfWeek>(text, ignoreCase: true, out var day) && day != IsoDayOfWeek.None
            ? day
            : throw new FormatException($"'{text}' is not a weekday");

    internal static HolidayCalendars Load(HolidayFile file, string name)
    {
        var errors = new DataFileErrors(name);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cal in file.Calendars)
        {
            if (string.IsNullOrWhiteSpace(cal.Id))
            {
                errors.Add(cal.Line, null, "id", "is required");
            }
            else if (!ids.Add(cal.Id))
            {
                errors.Add(cal.Line, cal.Id, "id", "is used twice");
            }

            if (string.IsNullOrWhiteSpace(cal.Citation))
            {
                errors.Add(cal.Line, cal.Id, "citation", "is required");
            }

            if (!DateOnly.TryParseExact(cal.CheckedOn, "yyyy-MM-dd", out _))
            {
                errors.Add(cal.Line, cal.Id, "checkedOn", "is required (yyyy-MM-dd)");
            }

            foreach (var h in cal.Holidays)
            {
                var entry = $"{cal.Id}.{h.Name}";
                switch (h.Kind)
                {
                    case "fixed" when h.Month is < 1 or > 12 || h.Day is < 1 or > 31:
                        errors.Add(h.Line, entry, "month/day", "is not a date");
                        break;
                    case "nth-weekday" when h.Weekday is null || !Enum.TryParse<IsoDayOfWeek>(h.Weekday, true, out _) || h.Nth is 0 or < -1 or > 5:
                        errors.Add(h.Line, entry, "weekday/nth", "needs a weekday and nth 1..5 or -1");
                        break;
                    case "fixed" or "nth-weekday" or "easter":
                        break;
                    default:
                        errors.Add(h.Line, entry, "kind", $"'{h.Kind}' is not one of fixed, nth-weekday, easter");
                        break;
                }

                if (h.Observed is not ("none" or "nearest-weekday" or "next-monday"))
                {
                    errors.Add(h.Line, entry, "observed", $"'{h.Observed}' is not one of none, nearest-weekday, next-monday");
                }
            }
        }

        errors.ThrowIfAny();
        return new HolidayCalendars(file.Calendars);
    }
}

/// <summary>data/notify/holidays.yaml.</summary>
public sealed class HolidayFile
{
    /// <summary>The calendars.</summary>
    public List<HolidayCalendarEntry> Calendars { get; set; } = [];
}

/// <summary>One jurisdiction's holidays.</summary>
public sealed class HolidayCalendarEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Calendar id (US, BR, CO).</summary>
    public string Id { get; set; } = "";

    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The law that sets the holidays.</summary>
    public string Citation { get; set; } = "";

    /// <summary>Date last checked.</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>The rules.</summary>
    public List<HolidayRule> Holidays { get; set; } = [];
}

/// <summary>One holiday rule.</summary>
public sealed class HolidayRule : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Name.</summary>
    public string Name { get; set; } = "";

    /// <summary>fixed, nth-weekday or easter.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Month (fixed, nth-weekday).</summary>
    public int Month { get; set; }

    /// <summary>Day (fixed).</summary>
    public int Day { get; set; }

    /// <summary>Weekday (nth-weekday).</summary>
    public string? Weekday { get; set; }

    /// <summary>1..5, or -1 for the last (nth-weekday).</summary>
    public int Nth { get; set; }

    /// <summary>Days from Easter Sunday (easter).</summary>
    public int Offset { get; set; }

    /// <summary>none, nearest-weekday or next-monday.</summary>
    public string Observed { get; set; } = "none";
}

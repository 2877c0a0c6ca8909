using NodaTime;

namespace Breachline.Exposure.Soql;

/// <summary>
/// SOQL's relative date literals resolved to a half-open range of local dates [Start, End) in the zone of the
/// identity that ran the query, as of the query's own time (not the time Breachline runs). Weeks start on
/// Sunday (en_US locale); quarters and years are calendar ones (a fiscal year setting is not in the export).
/// </summary>
public static class DateLiterals
{
    /// <summary>Every literal name Breachline resolves.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "TODAY", "YESTERDAY", "TOMORROW", "LAST_WEEK", "THIS_WEEK", "NEXT_WEEK", "LAST_MONTH", "THIS_MONTH", "NEXT_MONTH",
        "LAST_90_DAYS", "NEXT_90_DAYS", "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO", "LAST_N_WEEKS", "NEXT_N_WEEKS", "N_WEEKS_AGO",
        "LAST_N_MONTHS", "NEXT_N_MONTHS", "N_MONTHS_AGO", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER", "LAST_N_QUARTERS",
        "NEXT_N_QUARTERS", "N_QUARTERS_AGO", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR", "LAST_N_YEARS", "NEXT_N_YEARS", "N_YEARS_AGO",
    };

    /// <summary>The range [Start, End) a literal names, for a query run on <paramref name="today"/>.</summary>
    public static (LocalDate Start, LocalDate End) Range(DateLiteralValue literal, LocalDate today)
    {
        var n = literal.N ?? 0;
        var week = today.PlusDays(-((int)today.DayOfWeek % 7));
        var month = new LocalDate(today.Year, today.Month, 1);
        var quarter = new LocalDate(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        var year = new LocalDate(today.Year, 1, 1);
        return literal.Name switch
        {
            "TODAY" => (today, today.PlusDays(1)),
            "YESTERDAY" => (today.PlusDays(-1), today),
            "TOMORROW" => (today.PlusDays(1), today.PlusDays(2)),
            "THIS_WEEK" => (week, week.PlusDays(7)),
            "LAST_WEEK" => (week.PlusDays(-7), week),
            "NEXT_WEEK" => (week.PlusDays(7), week.PlusDays(14)),
            "THIS_MONTH" => (month, month.PlusMonths(1)),
            "LAST_MONTH" => (month.PlusMonths(-1), month),
            "NEXT_MONTH" => (month.PlusMonths(1), month.PlusMonths(2)),
            // "Starts 00:00:00 of the current day and continues for the past n days": today is included.
            "LAST_90_DAYS" => (today.PlusDays(-90), today.PlusDays(1)),
            "LAST_N_DAYS" => (today.PlusDays(-n), today.PlusDays(1)),
            // "Starts 00:00:00 of the next day and continues for the next n days".
            "NEXT_90_DAYS" => (today.PlusDays(1), today.PlusDays(91)),
            "NEXT_N_DAYS" => (today.PlusDays(1), today.PlusDays(1 + n)),
            "N_DAYS_AGO" => (today.PlusDays(-n), today.PlusDays(-n + 1)),
            "LAST_N_WEEKS" => (week.PlusDays(-7 * n), week),
            "NEXT_N_WEEKS" => (week.PlusDays(7), week.PlusDays(7 * (n + 1))),
            "N_WEEKS_AGO" => (week.PlusDays(-7 * n), week.PlusDays(-7 * (n - 1))),
            "LAST_N_MONTHS" => (month.PlusMonths(-n), month),
            "NEXT_N_MONTHS" => (month.PlusMonths(1), month.PlusMonths(1 + n)),
            "N_MONTHS_AGO" => (month.PlusMonths(-n), month.PlusMonths(-n + 1)),
            "THIS_QUARTER" => (quarter, quarter.PlusMonths(3)),
            "LAST_QUARTER" => (quarter.PlusMonths(-3), quarter),
            "NEXT_QUARTER" => (quarter.PlusMonths(3), quarter.PlusMonths(6)),
            "LAST_N_QUARTERS" => (quarter.PlusMonths(-3 * n), quarter),
            "NEXT_N_QUARTERS" => (quarter.PlusMonths(3), quarter.PlusMonths(3 * (n + 1))),
            "N_QUARTERS_AGO" => (quarter.PlusMonths(-3 * n), quarter.PlusMonths(-3 * (n - 1))),
            "THIS_YEAR" => (year, year.PlusYears(1)),
            "LAST_YEAR" => (year.PlusYears(-1), year),
            "NEXT_YEAR" => (year.PlusYears(1), year.PlusYears(2)),
            "LAST_N_YEARS" => (year.PlusYears(-n), year),
            "NEXT_N_YEARS" => (year.PlusYears(1), year.PlusYears(1 + n)),
            "N_YEARS_AGO" => (year.PlusYears(-n), year.PlusYears(-n + 1)),
            _ => throw new ArgumentException($"unknown date literal {literal.Name}", nameof(literal)),
        };
    }
}

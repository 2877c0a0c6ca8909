using System.Globalization;
using Breachline.Common;
using NodaTime;

namespace Breachline.Notification;

/// <summary>
/// Turns a statute's deadline into an instant with NodaTime, in the organisation's zone: hours are elapsed
/// time; calendar days keep the wall-clock time of the starting event (a DST change does not shift the
/// hour); business days skip weekends and the calendar's holidays; end-of-day ends at local midnight.
/// </summary>
/// <param name="calendars">Holiday calendars.</param>
public sealed class DeadlineCalculator(HolidayCalendars calendars)
{
    /// <summary>The starting instant of an event, or null with the reason when it has not happened or is unknown.</summary>
    public static (Instant? Start, string? Note) StartOf(string from, NotificationInput input)
    {
        var facts = input.Facts;
        return from switch
        {
            "detection" => (input.DetectedAt, null),
            "determination" when facts.InstantOf("determined-at") is { } d => (d, "from the recorded determination"),
            "determination" => (input.AwareAt, "from awareness: the determination time is not recorded (determined-at), so the earlier start is used"),
            "individual-notice" when facts.InstantOf("individual-notice-at") is { } n => (n, "from the individual notice"),
            "individual-notice" => (null, "runs from the notice to individuals, not yet given (individual-notice-at)"),
            "materiality-determination" when facts.InstantOf("material-at") is { } m => (m, "from the materiality determination"),
            "materiality-determination" => (null, "runs from the materiality determination, not yet recorded (material-at)"),
            _ => (input.AwareAt, null),
        };
    }

    /// <summary>The due instant of <paramref name="amount"/> units after <paramref name="start"/>.</summary>
    public Instant Add(Instant start, int amount, string unit, string? calendar, DateTimeZone zone)
    {
        var local = start.InZone(zone).LocalDateTime;
        return unit switch
        {
            "hours" => start + Duration.FromHours(amount),
            "calendar-days" => local.PlusDays(amount).InZoneLeniently(zone).ToInstant(),
            "business-days" => calendars.AddBusinessDays(calendar ?? "US", local.Date, amount).At(local.TimeOfDay).InZoneLeniently(zone).ToInstant(),
            "end-of-day" => zone.AtStartOfDay(local.Date.PlusDays(amount + 1)).ToInstant() - Duration.FromSeconds(1),
            _ => throw new InvalidOperationException($"unvalidated unit '{unit}'"),
        };
    }

    /// <summary>The due instant (or null) and the text explaining it.</summary>
    public (Instant? Due, string Text) Due(DeadlineSpec spec, NotificationInput input, int? amountOverride = null, Instant? notBefore = null)
    {
        var (start, note) = StartOf(spec.From, input);
        var words = spec.Text ?? "";
        if (notBefore is { } delay && start is { } s && delay > s)
        {
            start = delay;
            note = "from the end of the law-enforcement delay";
        }

        var amount = amountOverride ?? spec.Amount;
        if (amount is null || spec.Unit is null)
        {
            return (null, Join(words, note));
        }

        if (start is null)
        {
            return (null, Join(words, note));
        }

        var due = Add(start.Value, amount.Value, spec.Unit, spec.Calendar, input.Zone);
        var how = spec.Unit switch
        {
            "hours" => string.Create(CultureInfo.InvariantCulture, $"{amount} hours"),
            "calendar-days" => string.Create(CultureInfo.InvariantCulture, $"{amount} calendar days"),
            "business-days" => string.Create(CultureInfo.InvariantCulture, $"{amount} business days ({spec.Calendar ?? "US"} holidays excluded)"),
            _ => amount == 0 ? "end of the same day" : string.Create(CultureInfo.InvariantCulture, $"end of day {amount}"),
        };
        var computed = $"{how} from {spec.From} {IncidentTime.Format(start.Value, input.Zone)}";
        return (due, Join(words, Join(computed, note)));
    }

    private static string Join(string a, string? b) =>
        string.IsNullOrEmpty(b) ? a : string.IsNullOrEmpty(a) ? b : $"{a}; {b}";
}

using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

/// <summary>Rows moved per user per day, the series the volume hunt compares with its baseline.</summary>
public sealed class RowsPerDayTests
{
    private static readonly Instant LateEvening = Instant.FromUtc(2026, 3, 1, 23, 50);

    [Fact]
    public void Consecutive_rows_of_one_user_either_side_of_midnight_count_on_their_own_days()
    {
        var accumulator = NewAccumulator();
        accumulator.Add(Row(LateEvening, "0058X000002StfA", 100));
        accumulator.Add(Row(LateEvening + Duration.FromMinutes(20), "0058X000002StfA", 40));
        accumulator.Add(Row(LateEvening + Duration.FromMinutes(25), "0058X000002StfB", 7));
        accumulator.Add(Row(LateEvening + Duration.FromMinutes(30), "0058X000002StfA", 2));

        var day = (int)(LateEvening.ToUnixTimeSeconds() / 86_400);
        Assert.Equal(100, accumulator.RowsPerDay[("0058X000002StfA", day)].FileRows);
        Assert.Equal(42, accumulator.RowsPerDay[("0058X000002StfA", day + 1)].FileRows);
        Assert.Equal(7, accumulator.RowsPerDay[("0058X000002StfB", day + 1)].FileRows);
        Assert.Equal(3, accumulator.RowsPerDay.Count);
    }

    private static HuntAccumulator NewAccumulator()
    {
        var options = new HuntOptions();
        return new HuntAccumulator(new RulePlan(options.Rules), options);
    }

    private static LogEvent Row(Instant time, string user, long rows) =>
        new() { EventType = "RestApi", Time = time, UserId = user, Ip = "10.1.1.1", Uri = "/services/data/v62.0/query", Entity = "Contact", Rows = rows };
}

using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

/// <summary>
/// The first pass's aggregates that later hunts read: when each user was first seen at each address (an
/// address is new when first seen after the baseline) and rows moved per user per day (the volume hunt's
/// series). Rows can arrive out of time order and from several workers; both skip hashing when a row repeats
/// the key of the row before, so the tests change the key between rows.
/// </summary>
public sealed class HuntAccumulatorTests
{
    private static readonly Instant Noon = Instant.FromUtc(2026, 3, 1, 12, 0);
    private static readonly Instant LateEvening = Instant.FromUtc(2026, 3, 1, 23, 50);

    [Fact]
    public void An_earlier_row_arriving_later_moves_the_first_sighting_back()
    {
        var accumulator = NewAccumulator();
        accumulator.Add(Row(Noon, "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon + Duration.FromHours(2), "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon + Duration.FromMinutes(5), "0058X000002StfB", "10.1.1.1"));
        accumulator.Add(Row(Noon - Duration.FromDays(3), "0058X000002StfA", "10.1.1.1"));

        Assert.Equal(Noon - Duration.FromDays(3), accumulator.UserIpFirstSeen[("0058X000002StfA", "10.1.1.1")]);
        Assert.Equal(Noon + Duration.FromMinutes(5), accumulator.UserIpFirstSeen[("0058X000002StfB", "10.1.1.1")]);
    }

    [Fact]
    public void An_earlier_row_right_after_a_later_one_of_the_same_user_and_address_moves_the_first_sighting_back()
    {
        var accumulator = NewAccumulator();
        accumulator.Add(Row(Noon, "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon + Duration.FromHours(1), "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon - Duration.FromHours(1), "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon - Duration.FromMinutes(30), "0058X000002StfA", "10.1.1.1"));

        Assert.Equal(Noon - Duration.FromHours(1), accumulator.UserIpFirstSeen[("0058X000002StfA", "10.1.1.1")]);
    }

    [Fact]
    public void Merging_two_workers_keeps_the_earliest_first_sighting()
    {
        var early = NewAccumulator();
        early.Add(Row(Noon, "0058X000002StfA", "10.1.1.1"));
        var late = NewAccumulator();
        late.Add(Row(Noon - Duration.FromHours(1), "0058X000002StfA", "10.1.1.1"));
        late.Add(Row(Noon + Duration.FromHours(1), "0058X000002StfA", "10.1.1.1"));
        late.Add(Row(Noon, "0058X000002StfC", "10.9.9.9"));

        early.Merge(late);

        Assert.Equal(Noon - Duration.FromHours(1), early.UserIpFirstSeen[("0058X000002StfA", "10.1.1.1")]);
        Assert.Equal(Noon, early.UserIpFirstSeen[("0058X000002StfC", "10.9.9.9")]);
        Assert.Equal(2, early.UserIpFirstSeen.Count);
    }

    [Fact]
    public void Consecutive_rows_of_one_user_either_side_of_midnight_count_on_their_own_days()
    {
        var accumulator = NewAccumulator();
        accumulator.Add(Moved(LateEvening, "0058X000002StfA", 100));
        accumulator.Add(Moved(LateEvening + Duration.FromMinutes(20), "0058X000002StfA", 40));
        accumulator.Add(Moved(LateEvening + Duration.FromMinutes(25), "0058X000002StfB", 7));
        accumulator.Add(Moved(LateEvening + Duration.FromMinutes(30), "0058X000002StfA", 2));

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

    private static LogEvent Row(Instant time, string user, string ip) =>
        new() { EventType = "RestApi", Time = time, UserId = user, Ip = ip, Uri = "/services/data/v62.0/limits" };

    private static LogEvent Moved(Instant time, string user, long rows) =>
        new() { EventType = "RestApi", Time = time, UserId = user, Ip = "10.1.1.1", Uri = "/services/data/v62.0/query", Entity = "Contact", Rows = rows };
}

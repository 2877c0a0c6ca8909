using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

/// <summary>
/// When each user was first and last seen at each address decides whether an address is new for that user
/// (first seen after the baseline); rows can arrive out of time order and from several workers.
/// </summary>
public sealed class UserAddressSeenTests
{
    private static readonly Instant Noon = Instant.FromUtc(2026, 3, 1, 12, 0);

    [Fact]
    public void An_earlier_row_arriving_later_moves_the_first_sighting_back()
    {
        var accumulator = NewAccumulator();
        accumulator.Add(Row(Noon, "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon + Duration.FromHours(2), "0058X000002StfA", "10.1.1.1"));
        accumulator.Add(Row(Noon + Duration.FromMinutes(5), "0058X000002StfB", "10.1.1.1"));
        accumulator.Add(Row(Noon - Duration.FromDays(3), "0058X000002StfA", "10.1.1.1"));

        var seen = accumulator.UserIps[("0058X000002StfA", "10.1.1.1")];
        Assert.Equal(Noon - Duration.FromDays(3), seen.First);
        Assert.Equal(Noon + Duration.FromHours(2), seen.Last);
        Assert.Equal(Noon + Duration.FromMinutes(5), accumulator.UserIps[("0058X000002StfB", "10.1.1.1")].First);
    }

    [Fact]
    public void Merging_two_workers_keeps_the_earliest_first_and_the_latest_last()
    {
        var early = NewAccumulator();
        early.Add(Row(Noon, "0058X000002StfA", "10.1.1.1"));
        var late = NewAccumulator();
        late.Add(Row(Noon - Duration.FromHours(1), "0058X000002StfA", "10.1.1.1"));
        late.Add(Row(Noon + Duration.FromHours(1), "0058X000002StfA", "10.1.1.1"));
        late.Add(Row(Noon, "0058X000002StfC", "10.9.9.9"));

        early.Merge(late);

        var seen = early.UserIps[("0058X000002StfA", "10.1.1.1")];
        Assert.Equal((Noon - Duration.FromHours(1), Noon + Duration.FromHours(1)), (seen.First, seen.Last));
        Assert.Equal(Noon, early.UserIps[("0058X000002StfC", "10.9.9.9")].First);
        Assert.Equal(2, early.UserIps.Count);
    }

    private static HuntAccumulator NewAccumulator()
    {
        var options = new HuntOptions();
        return new HuntAccumulator(new RulePlan(options.Rules), options);
    }

    private static LogEvent Row(Instant time, string user, string ip) =>
        new() { EventType = "RestApi", Time = time, UserId = user, Ip = ip, Uri = "/services/data/v62.0/limits" };
}

using System.Reflection;
using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

/// <summary>Kept copies of a reader's scratch event, made by cloning or by copying into an owned copy.</summary>
public sealed class LogEventTests
{
    [Fact]
    public void Copying_into_a_kept_event_copies_every_property()
    {
        var settable = typeof(LogEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).ToList();
        var source = new LogEvent();
        var index = 0;
        foreach (var property in settable)
        {
            property.SetValue(source, Distinct(property.PropertyType, ++index));
        }

        var copy = new LogEvent();
        copy.CopyFrom(source);

        Assert.True(settable.Count >= 28, $"only {settable.Count} properties found");
        Assert.All(settable, p => Assert.Equal(p.GetValue(source), p.GetValue(copy)));
    }

    [Fact]
    public void A_scratch_event_is_cloned_when_kept_and_an_ordinary_one_is_not()
    {
        var scratch = LogEvent.Scratch();
        scratch.Uri = "/services/data/v62.0/limits";
        var kept = scratch.Keep();
        var ordinary = new LogEvent();

        Assert.NotSame(scratch, kept);
        Assert.False(kept.IsScratch);
        Assert.Equal(scratch.Uri, kept.Uri);
        Assert.Same(ordinary, ordinary.Keep());
    }

    private static object Distinct(Type type, int index) => type switch
    {
        _ when type == typeof(string) => $"value {index}",
        _ when type == typeof(int) => index,
        _ when type == typeof(long) => (long)index * 1000,
        _ when type == typeof(Instant) => Instant.FromUnixTimeSeconds(1_700_000_000 + index),
        _ when type == typeof(LogSourceKind) => Enum.GetValues<LogSourceKind>()[^1],
        _ => throw new InvalidOperationException($"LogEventTests cannot make a value of {type}: add one"),
    };
}

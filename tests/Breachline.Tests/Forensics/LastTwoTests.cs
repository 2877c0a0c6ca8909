using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

/// <summary>The two-entry memory the readers' and the hunt's per-row caches ask before hashing.</summary>
public sealed class LastTwoTests
{
    [Fact]
    public void The_last_two_keys_are_found_by_reference_and_a_third_forgets_the_older()
    {
        var recent = default(LastTwo<int>);
        var a = new string('a', 3);
        var b = new string('b', 3);
        var c = new string('c', 3);
        recent.Remember(a, 1);
        recent.Remember(b, 2);

        Assert.True(recent.TryGet(a, out var first));
        Assert.Equal(1, first);
        // a became the latest, so c pushes b out.
        recent.Remember(c, 3);
        Assert.False(recent.TryGet(b, out _));
        Assert.True(recent.TryGet(a, out var again));
        Assert.Equal(1, again);
        Assert.True(recent.TryGet(c, out var third));
        Assert.Equal(3, third);
    }

    [Fact]
    public void An_equal_string_that_is_another_instance_is_not_found()
    {
        var recent = default(LastTwo<int>);
        recent.Remember(new string('x', 4), 1);

        Assert.False(recent.TryGet(new string('x', 4), out _));
        Assert.False(default(LastTwo<int>).TryGet("", out _));
    }
}

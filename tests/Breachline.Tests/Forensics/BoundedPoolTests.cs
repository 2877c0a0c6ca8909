using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

/// <summary>
/// The readers' string pools and the hunt's memos are bounded; once full they start again, so values read
/// after that are still pooled (the same instance on every row) and still right.
/// </summary>
public sealed class BoundedPoolTests
{
    [Fact]
    public void A_full_span_pool_starts_again_and_pools_the_values_read_after_it()
    {
        var pool = new SpanPool(capacity: 4, normalize: v => v.ToUpperInvariant());
        foreach (var value in new[] { "a", "b", "c", "d", "e" })
        {
            Assert.Equal(value.ToUpperInvariant(), pool.Get(value.AsSpan()));
        }

        var late = pool.Get("f".AsSpan());
        Assert.Same(late, pool.Get("f".AsSpan()));
        Assert.Equal("A", pool.Get("a".AsSpan()));
        Assert.Null(pool.Get([]));
    }

    [Fact]
    public void A_full_memo_starts_again_and_remembers_the_values_computed_after_it()
    {
        var computed = new List<string>();
        var memo = new StringMemo<int>(key => { computed.Add(key); return key.Length; }, capacity: 2);
        foreach (var key in new[] { "one", "three", "seven" })
        {
            Assert.Equal(key.Length, memo[key]);
        }

        // "seven" arrived when the memo was full: it was computed and kept; asked again after another key, it
        // is not computed again.
        Assert.Equal(2, memo["no"]);
        Assert.Equal(5, memo["seven"]);
        Assert.Equal(["one", "three", "seven", "no"], computed);
    }

    [Fact]
    public void Values_alternating_with_the_row_before_come_back_right_from_the_last_two()
    {
        var pool = new SpanPool(normalize: v => "n:" + v);
        var last = default(LastValues);
        var sequence = new[] { "a", "b", "a", "b", "c", "b", "a", "a", "c" };
        foreach (var value in sequence)
        {
            Assert.Equal("n:" + value, pool.Get(value.AsSpan(), ref last));
        }

        Assert.Equal(("c", "n:c", "a", "n:a"), (last.Raw, last.Value, last.OlderRaw, last.OlderValue));
    }

    [Fact]
    public void A_memo_asked_for_alternating_keys_answers_each_with_its_own_value()
    {
        var memo = new StringMemo<string>(key => key.ToUpperInvariant());
        var a = "alpha";
        var b = "beta";
        var c = "gamma";
        foreach (var key in new[] { a, b, a, b, c, b, a, a, c, a })
        {
            Assert.Equal(key.ToUpperInvariant(), memo[key]);
        }
    }
}

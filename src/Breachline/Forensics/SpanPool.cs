using System.Runtime.CompilerServices;

namespace Breachline.Forensics;

/// <summary>
/// One string per distinct value of a column, looked up by span so a row's field costs no allocation once
/// its value has been seen: user ids, addresses, event types, user agents and session keys repeat on
/// thousands of rows. Bounded: when <paramref name="capacity"/> distinct values are held it starts again
/// empty, so a column of unique values cannot grow it without limit and the values of the rows being read
/// now (logs are in time order: the sessions open now) are the ones kept. With
/// <paramref name="normalize"/>, the string kept for a value is its normal form (15-character ids made 18).
/// </summary>
internal sealed class SpanPool(int capacity = 65_536, Func<string, string>? normalize = null)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private bool _hasLookup;

    // Runs for every row: fully optimized from its first call instead of tiering up (docs/hunt.md, Speed).
    /// <summary>
    /// As <see cref="Get(ReadOnlySpan{char})"/>, first comparing with the last two values this column had: in a
    /// log sorted by time the event type, user, address, session and client mostly repeat from one row to the
    /// next, or alternate between the two clients busy at that moment (on the sample's REST log a URI equals
    /// the row before's on 7 % of rows, one of the last two on 62 %); comparing two short texts costs less
    /// than hashing one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? Get(ReadOnlySpan<char> span, ref LastValues last)
    {
        if (span.IsEmpty)
        {
            return null;
        }

        if (last.Raw is { } raw && span.SequenceEqual(raw))
        {
            return last.Value;
        }

        if (last.OlderRaw is { } older && span.SequenceEqual(older))
        {
            last = new LastValues(older, last.OlderValue, last.Raw, last.Value);
            return last.Value;
        }

        var value = Get(span, out raw);
        last = new LastValues(raw, value, last.Raw, last.Value);
        return value;
    }

    /// <summary>The string equal to <paramref name="span"/>, or null for an empty one.</summary>
    public string? Get(ReadOnlySpan<char> span) => Get(span, out _);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? Get(ReadOnlySpan<char> span, out string? raw)
    {
        raw = null;
        if (span.IsEmpty)
        {
            return null;
        }

        if (!_hasLookup)
        {
            _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
            _hasLookup = true;
        }

        if (_lookup.TryGetValue(span, out raw, out var value))
        {
            return value;
        }

        raw = span.ToString();
        value = normalize is null ? raw : normalize(raw);
        if (_values.Count >= capacity)
        {
            _values.Clear();
        }

        _values[raw] = value;

        return value;
    }
}

/// <summary>
/// A column's last two distinct values, the latest first: each the text as read and the pooled string it
/// stands for.
/// </summary>
internal readonly record struct LastValues(string? Raw, string? Value, string? OlderRaw, string? OlderValue);

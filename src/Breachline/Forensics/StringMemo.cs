namespace Breachline.Forensics;

/// <summary>
/// Remembers a function of a string for the values it has seen: the same URIs, SOQL statements and user
/// agents come back on thousands of rows, and each regular expression needs to run once per value.
/// Bounded: when <paramref name="capacity"/> values are held it starts again empty, keeping the recent ones.
/// </summary>
internal sealed class StringMemo<T>(Func<string, T> compute, int capacity = 65_536)
{
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);
    private string? _lastKey;
    private T _lastValue = default!;
    private string? _olderKey;
    private T _olderValue = default!;

    public T this[string key]
    {
        get
        {
            // The readers pool their strings, so a value repeated from one of the last two rows is the same
            // instance: a reference comparison instead of hashing a URI or a statement.
            if (ReferenceEquals(key, _lastKey))
            {
                return _lastValue;
            }

            if (ReferenceEquals(key, _olderKey))
            {
                (_olderKey, _olderValue, _lastKey, _lastValue) = (_lastKey, _lastValue, _olderKey, _olderValue);
                return _lastValue;
            }

            if (!_values.TryGetValue(key, out var value))
            {
                value = compute(key);
                if (_values.Count >= capacity)
                {
                    _values.Clear();
                }

                _values[key] = value;
            }

            (_olderKey, _olderValue, _lastKey, _lastValue) = (_lastKey, _lastValue, key, value);
            return value;
        }
    }
}

namespace Breachline.Forensics;

/// <summary>
/// Remembers a function of a string for the values it has seen: the same URIs, SOQL statements and user
/// agents come back on thousands of rows, and each regular expression needs to run once per value.
/// Bounded: when <paramref name="capacity"/> values are held it starts again empty, keeping the recent ones.
/// </summary>
internal sealed class StringMemo<T>(Func<string, T> compute, int capacity = 65_536)
{
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);
    private LastTwo<T> _recent;

    public T this[string key]
    {
        get
        {
            if (_recent.TryGet(key, out var value))
            {
                return value;
            }

            if (!_values.TryGetValue(key, out value))
            {
                value = compute(key);
                if (_values.Count >= capacity)
                {
                    _values.Clear();
                }

                _values[key] = value;
            }

            _recent.Remember(key, value);
            return value;
        }
    }
}

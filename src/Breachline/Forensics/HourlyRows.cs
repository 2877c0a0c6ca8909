using System.Runtime.InteropServices;
using NodaTime;

namespace Breachline.Forensics;

/// <summary>
/// Rows moved per UTC hour and object, kept per log family: Event Monitoring files and Real-Time events
/// describe the same queries, so an hour's volume is the larger of the two, as for rows per user and day.
/// The first pass adds every row; the malicious rows are then taken out again, leaving the baseline.
/// </summary>
internal sealed class HourlyRows
{
    private readonly Dictionary<(long Hour, string Object), (long File, long RealTime)> _rows = [];

    public void Add(LogEvent e, string obj, long rows) => Add(e.Source, HourOf(e.Time), obj, rows);

    /// <summary>Takes an event's rows out again (a malicious event leaving the baseline).</summary>
    public void Remove(LogEvent e, string obj, long rows) => Add(e.Source, HourOf(e.Time), obj, -rows);

    public void Merge(HourlyRows other)
    {
        foreach (var (key, (file, realTime)) in other._rows)
        {
            var mine = _rows.GetValueOrDefault(key);
            _rows[key] = (mine.File + file, mine.RealTime + realTime);
        }
    }

    public HourlyRows Copy()
    {
        var copy = new HourlyRows();
        copy.Merge(this);
        return copy;
    }

    /// <summary>The non-empty hours, in time then object order.</summary>
    public IEnumerable<(Instant Hour, string Object, long Rows)> Points() =>
        _rows.Select(kv => (kv.Key.Hour, kv.Key.Object, Rows: Math.Max(kv.Value.File, kv.Value.RealTime)))
            .Where(p => p.Rows > 0)
            .OrderBy(p => p.Hour).ThenBy(p => p.Object, StringComparer.Ordinal)
            .Select(p => (Instant.FromUnixTimeSeconds(p.Hour * 3600), p.Object, p.Rows));

    public static long HourOf(Instant time) => Math.DivRem(time.ToUnixTimeSeconds(), 3600, out var rest) - (rest < 0 ? 1 : 0);

    private void Add(LogSourceKind source, long hour, string obj, long rows)
    {
        // One lookup per row (the key holds a string: hashing it is most of the cost).
        ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(_rows, (hour, obj), out _);
        if (source == LogSourceKind.RealTime)
        {
            mine.RealTime += rows;
        }
        else
        {
            mine.File += rows;
        }
    }
}

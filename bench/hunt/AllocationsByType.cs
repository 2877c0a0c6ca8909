using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Breachline.Bench.Hunt;

/// <summary>
/// Megabytes allocated per type, from the runtime's GCAllocationTick events: one event about every 100 KB
/// allocated, naming the type of the object that crossed the mark, so the figures are a sample, good for
/// finding what dominates.
/// </summary>
internal sealed class AllocationsByType : EventListener
{
    // GCKeyword: the allocation tick is a verbose event of the GC keyword.
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const long BytesPerTick = 100_000;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public void Print(TextWriter to, int top)
    {
        foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(top))
        {
            to.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6,8:0} MB {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true
            && eventData.Payload is { } payload && eventData.PayloadNames is { } names)
        {
            var type = payload[names.IndexOf("TypeName")] as string ?? "?";
            _bytes.AddOrUpdate(type, BytesPerTick, (_, total) => total + BytesPerTick);
        }
    }
}

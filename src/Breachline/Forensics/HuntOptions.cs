using NodaTime;

namespace Breachline.Forensics;

/// <summary>How to hunt.</summary>
public sealed record HuntOptions
{
    /// <summary>Indicators of compromise to look for (empty: behaviour hunts only).</summary>
    public Indicators Indicators { get; init; } = new();

    /// <summary>Only events at or after this instant count as malicious; earlier ones are baseline.</summary>
    public Instant? Since { get; init; }

    /// <summary>Only events before this instant count.</summary>
    public Instant? Until { get; init; }

    /// <summary>Files read at once.</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Score (sum over distinct hunts) that makes an identity a suspect.</summary>
    public int SuspectThreshold { get; init; } = 60;

    /// <summary>The behaviour hunts to run.</summary>
    public IReadOnlyList<HuntRule> Rules { get; init; } = HuntRules.All;

    /// <summary>Zone the result's times are written in (the org's).</summary>
    public DateTimeZone Zone { get; init; } = DateTimeZone.Utc;

    /// <summary>Connected app names by 18-character id (from records/ConnectedApplication.csv), to name apps the logs give by id.</summary>
    public IReadOnlyDictionary<string, string> AppNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Usernames by 18-character user id (from records/User.csv), for users the logs never name.</summary>
    public IReadOnlyDictionary<string, string> UserNames { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Bytes of a big CSV file read as one range, so threads can share the file (files of at least twice
    /// this are cut). Small ranges keep the threads even, the second pass short and the range's aggregates
    /// young for the GC (16 MB ranges measured 20% more CPU and twice the peak memory of 4 MB ones); each
    /// costs a Sep reader and a merge.
    /// </summary>
    internal int RangeBytes { get; init; } = 4 << 20;

    /// <summary>
    /// Rows kept at most per row-level hunt that reports each row (SOQL patterns, report exports) and for
    /// indicator hits; the hits beyond it are counted. Internal so tests can reach it with a small log.
    /// </summary>
    internal int MaxCandidates { get; init; } = 100_000;

    /// <summary>At most this many timeline entries are kept (the earliest).</summary>
    public int MaxTimeline { get; init; } = 10_000;
}

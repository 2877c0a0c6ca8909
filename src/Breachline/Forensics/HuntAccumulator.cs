using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NodaTime;

namespace Breachline.Forensics;

/// <summary>
/// What the first pass keeps of the logs: aggregates whose size follows the number of identities, sessions,
/// jobs and days (never the number of rows), plus the rare rows a row-level hunt matched. One accumulator
/// per worker thread; they are merged once every file has been read.
/// </summary>
/// <param name="plan">The hunts.</param>
/// <param name="options">How to hunt.</param>
/// <param name="memo">The thread's memo of rule answers, when one accumulator per range shares it.</param>
internal sealed class HuntAccumulator(RulePlan plan, HuntOptions options, RuleMemo? memo = null)
{
    private readonly RuleMemo _memo = memo ?? new();

    private (int, string, string, string) _lastAggregateKey;
    private AggregateHit? _lastAggregate;
    private LastTwo<SessionInfo> _recentLogins;
    private LastTwo<bool> _recentIocIps;
    private LastTwo<SessionInfo> _recentSessions;
    private LastTwo<(string User, Instant First)> _recentUserIps;
    private LastTwo<(int Day, DayRows Rows)> _recentDays;

    private int MaxCandidates => options.MaxCandidates;

    public long Rows { get; private set; }

    public Instant? First { get; private set; }

    public Instant? Last { get; private set; }

    /// <summary>Per kind (user-ip, user-ua, app-ip, app-ua) and identity/value: the first OAuth login with it.</summary>
    public Dictionary<string, LogEvent> FirstSeen { get; } = new(StringComparer.Ordinal);

    /// <summary>Per session key (LOGIN_KEY and SESSION_KEY): who, from where, with which client and app.</summary>
    public Dictionary<string, SessionInfo> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>Bulk API jobs by job id.</summary>
    public Dictionary<string, BulkJob> Jobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Per user: the first Bulk API query.</summary>
    public Dictionary<string, Instant> FirstBulk { get; } = new(StringComparer.Ordinal);

    /// <summary>Per user and day: rows processed.</summary>
    public Dictionary<(string User, int Day), DayRows> RowsPerDay { get; } = [];

    /// <summary>Rows moved per hour and object, by everyone (the baseline series once the malicious rows are taken out).</summary>
    public HourlyRows Hourly { get; } = new();

    /// <summary>
    /// Per user and address: when the pair was first seen (an address is new for a user when first seen after
    /// the baseline). Only the first sighting is kept: no hunt asks for the last.
    /// </summary>
    public Dictionary<(string User, string Ip), Instant> UserIpFirstSeen { get; } = [];

    /// <summary>Usernames by user id.</summary>
    public Dictionary<string, string> UserNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows matched by a row-level hunt, per rule index.</summary>
    public List<Candidate>[] Candidates { get; } = [.. plan.Rules.Select(_ => new List<Candidate>())];

    /// <summary>
    /// Rows matched by a reconnaissance step, per rule, identity (session, else user and address), step and
    /// time bucket: only the first and the last. A busy integration's thousands of describe calls thus keep
    /// two rows an hour, and no identity's rows can crowd out another's (see <see cref="ReconSteps"/>).
    /// </summary>
    public Dictionary<(int Rule, string Identity, int Step, long Bucket), ReconSteps> Recon { get; } = [];

    /// <summary>Rows matched by an aggregated hunt (guest reads, user agents), per rule and subject.</summary>
    public Dictionary<(int Rule, string User, string Where, string Value), AggregateHit> Aggregates { get; } = [];

    /// <summary>Every SetupAuditTrail row.</summary>
    public List<LogEvent> Setup { get; } = [];

    /// <summary>Rows matching an indicator.</summary>
    public List<(LogEvent Event, string Match)> IocHits { get; } = [];

    public long IocHitCount { get; private set; }

    // Runs for every row: fully optimized from its first call instead of tiering up (docs/hunt.md, Speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(LogEvent e)
    {
        Rows++;
        if (First is null || e.Time < First)
        {
            First = e.Time;
        }

        if (Last is null || e.Time > Last)
        {
            Last = e.Time;
        }

        if (e.Source == LogSourceKind.SetupAuditTrail)
        {
            Setup.Add(e.Keep());
            return;
        }

        if (e.UserId is { } uid && e.UserName is { } uname)
        {
            UserNames.TryAdd(uid, uname);
        }

        if (!options.Indicators.IsEmpty && InRange(e.Time) && options.Indicators.Match(e, ref _recentIocIps) is { } match)
        {
            IocHitCount++;
            if (IocHits.Count < MaxCandidates)
            {
                IocHits.Add((e.Keep(), match));
            }
        }

        var isLogin = IsLogin(e);
        NoteSession(e.LoginKey, e, isLogin, ref _recentLogins);
        NoteSession(e.SessionKey, e, isLogin, ref _recentSessions);
        if (e.UserId is { } user && e.Ip is { } ip)
        {
            // An integration's calls come in runs from one user and address, or alternate with another's: the
            // same pooled strings as a recent row, compared by reference instead of hashing both (a tuple of
            // strings hashes with Marvin). The remembered first sighting is the map's value when remembered, and
            // values only move earlier, so a row no earlier than it changes nothing.
            if (!_recentUserIps.TryGet(ip, out var recent) || !ReferenceEquals(recent.User, user) || e.Time < recent.First)
            {
                ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(UserIpFirstSeen, (user, ip), out var seen);
                if (!seen || e.Time < first)
                {
                    first = e.Time;
                }

                _recentUserIps.Remember(ip, (user, first));
            }
        }

        if (isLogin && IsTokenLogin(e) && IsSuccess(e.Status))
        {
            var identity = e.UserId ?? e.UserName;
            var app = e.AppName ?? e.AppId;
            Seen("user-ip", identity, e.Ip, e);
            Seen("user-ua", identity, e.UserAgent, e);
            Seen("app-ip", app, e.Ip, e);
            Seen("app-ua", app, e.UserAgent, e);
        }

        NoteBulk(e);
        NoteRows(e);
        if (!isLogin)
        {
            MatchRows(e);
        }
        else
        {
            MatchUserAgent(e);
        }
    }

    public bool InRange(Instant time) =>
        (options.Since is not { } since || time >= since) && (options.Until is not { } until || time < until);

    public static bool IsLogin(LogEvent e) => e.EventType is "Login" or "LoginEvent" or "LoginAs";

    /// <summary>An OAuth / connected-app login (token endpoint, Remote Access, OAuth flows).</summary>
    public static bool IsTokenLogin(LogEvent e) =>
        (e.Uri?.Contains("oauth2", StringComparison.OrdinalIgnoreCase) ?? false)
        || (e.LoginType is { } type && (type.Contains("Remote Access", StringComparison.OrdinalIgnoreCase)
            || type.Contains("OAuth", StringComparison.OrdinalIgnoreCase)
            || type.Contains("JWT", StringComparison.OrdinalIgnoreCase)
            || type.Contains("Refresh", StringComparison.OrdinalIgnoreCase)));

    private static bool IsSuccess(string? status) =>
        status is null || status.Equals("LOGIN_NO_ERROR", StringComparison.OrdinalIgnoreCase)
        || status.Equals("Success", StringComparison.OrdinalIgnoreCase) || status.StartsWith('2');

    public static bool IsBulkQuery(LogEvent e) =>
        e.EventType.StartsWith("BulkApiResult", StringComparison.Ordinal)
        || (e.EventType is "BulkApi" or "BulkApi2"
            && (e.Operation is null ? e.Soql is not null : e.Operation.StartsWith("query", StringComparison.OrdinalIgnoreCase)));

    public static bool IsCompleteState(string? state) =>
        state is not null && (state.Contains("complete", StringComparison.OrdinalIgnoreCase) && !state.Contains("upload", StringComparison.OrdinalIgnoreCase));

    public static bool IsDeletedState(string? state) => state is not null && state.Equals("deleted", StringComparison.OrdinalIgnoreCase);

    /// <summary>Job id of a REST <c>DELETE /jobs/query/{id}</c> (or /jobs/ingest/), else null.</summary>
    public static string? DeletedJobFromUri(LogEvent e)
    {
        if (e.Uri is not { } uri || e.Method is null || !e.Method.Equals("DELETE", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var at = uri.IndexOf("/jobs/query/", StringComparison.OrdinalIgnoreCase);
        var skip = "/jobs/query/".Length;
        if (at < 0)
        {
            at = uri.IndexOf("/jobs/ingest/", StringComparison.OrdinalIgnoreCase);
            skip = "/jobs/ingest/".Length;
        }

        if (at < 0)
        {
            return null;
        }

        var id = uri[(at + skip)..].TrimEnd('/');
        var end = id.IndexOfAny(['/', '?']);
        return SalesforceId.Normalize(end < 0 ? id : id[..end]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NoteSession(string? key, LogEvent e, bool isLogin, ref LastTwo<SessionInfo> recent)
    {
        if (key is null)
        {
            return;
        }

        // The rows of one session mostly follow each other, or alternate with another client's: a pooled key
        // seen on one of the last two rows needs no hashing (one memory for LOGIN_KEY, one for SESSION_KEY).
        if (!recent.TryGet(key, out var info))
        {
            if (!Sessions.TryGetValue(key, out info))
            {
                info = SessionInfo.From(e, isLogin);
                Sessions[key] = info;
                recent.Remember(key, info);
                return;
            }

            recent.Remember(key, info);
        }

        if (isLogin || !info.IsComplete || (info.App is null && (e.AppName ?? e.AppId) is not null))
        {
            // Most rows of a session add nothing once its login is known: skip the allocation.
            info.Merge(e, isLogin);
        }
    }

    private void Seen(string kind, string? identity, string? value, LogEvent e)
    {
        if (identity is null || value is null)
        {
            return;
        }

        var key = string.Concat(kind, "\u0001", identity, "\u0001", value);
        if (!FirstSeen.TryGetValue(key, out var seen) || e.Time < seen.Time)
        {
            FirstSeen[key] = e.Keep();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NoteBulk(LogEvent e)
    {
        if (DeletedJobFromUri(e) is { } deleted)
        {
            Job(deleted).AddDeletion(e);
            return;
        }

        if (e.EventType is not ("BulkApi" or "BulkApi2") && !e.EventType.StartsWith("BulkApiResult", StringComparison.Ordinal))
        {
            return;
        }

        var isQuery = IsBulkQuery(e);
        if (isQuery && e.UserId is { } user)
        {
            FirstBulk[user] = FirstBulk.TryGetValue(user, out var first) ? Min(first, e.Time) : e.Time;
        }

        var key = e.JobId ?? (e.Soql is { } soql ? string.Concat("result\u0001", e.Session, "\u0001", Soql.Canonical(soql)) : null);
        if (key is not null)
        {
            Job(key).Add(e, isQuery);
        }
    }

    private BulkJob Job(string key)
    {
        if (!Jobs.TryGetValue(key, out var job))
        {
            job = new BulkJob(key);
            Jobs[key] = job;
        }

        return job;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NoteRows(LogEvent e)
    {
        if (VolumeRows(e, _memo.CountProbe) is var rows && rows <= 0)
        {
            return;
        }

        if (!IsBulkResultDownload(e) && ObjectOf(e, _memo.MainObjectOf) is { } obj)
        {
            Hourly.Add(e, obj, rows);
        }

        if (e.UserId is not { } user)
        {
            return;
        }

        var dayNumber = (int)(e.Time.ToUnixTimeSeconds() / 86_400);
        // The same user and day as one of the last two rows that moved rows: no tuple to hash.
        if (!_recentDays.TryGet(user, out var recent) || recent.Day != dayNumber)
        {
            ref var day = ref CollectionsMarshal.GetValueRefOrAddDefault(RowsPerDay, (user, dayNumber), out _);
            day ??= new DayRows();
            recent = (dayNumber, day);
            _recentDays.Remember(user, recent);
        }

        recent.Rows.Add(e, rows);
    }

    /// <summary>Rows an event moved, for per-day volume: Bulk 2.0 jobs count once, at completion.</summary>
    public static long VolumeRows(LogEvent e) => VolumeRows(e, Soql.IsCountProbe);

    private static long VolumeRows(LogEvent e, Func<string?, bool> isCountProbe) => e.EventType switch
    {
        "BulkApi2" => IsCompleteState(e.JobState) ? e.Rows : 0,
        "API" or "RestApi" or "BulkApi" or "ReportExport" or "ApiEvent" or "ReportEvent" or "ListViewEvent" =>
            isCountProbe(e.Soql) ? 0 : e.Rows,
        _ => 0,
    };

    /// <summary>A REST download of a Bulk job's results (<c>/jobs/query/{id}/results</c>): it restates the job's rows.</summary>
    public static bool IsBulkResultDownload(LogEvent e) =>
        e.Uri is { } uri && uri.Contains("/jobs/query/", StringComparison.OrdinalIgnoreCase) && uri.Contains("/results", StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MatchRows(LogEvent e)
    {
        foreach (var i in plan.RowRules)
        {
            var rule = plan.Rules[i];
            switch (rule.RowHunt)
            {
                case RowHunt.ReconSequence:
                    {
                        // The first step whose pattern the URI's path or the SOQL matches.
                        var uriStep = e.Uri is { } uri ? _memo.FirstMatch(i, rule, uri, matchPath: true) : -1;
                        var soqlStep = e.Soql is { } soql ? _memo.FirstMatch(i, rule, soql, matchPath: false) : -1;
                        var step = uriStep < 0 ? soqlStep : soqlStep < 0 ? uriStep : Math.Min(uriStep, soqlStep);
                        if (step >= 0)
                        {
                            AddReconStep(i, e, step);
                        }

                        break;
                    }

                case RowHunt.SoqlPattern when e.Soql is { } soql && _memo.FirstMatch(i, rule, soql, matchPath: false) is var hit and >= 0:
                    AddCandidate(i, e, 0, $"SOQL matches {rule.Regexes[hit]}");
                    break;
                case RowHunt.ReportExport when IsReportExport(e) && ObjectOf(e, _memo.MainObjectOf) is { } obj && rule.MatchesObject(obj)
                    && (e.Rows < 0 || e.Rows >= (rule.Rule.Parameters.MinRows ?? 1)):
                    AddCandidate(i, e, 0, $"{e.EventType} of {obj}" + (e.Rows >= 0 ? $", {e.Rows} rows" : ""));
                    break;
                case RowHunt.GuestRead when e.UserType is { } type && type.Equals("Guest", StringComparison.OrdinalIgnoreCase)
                    && ObjectOf(e, _memo.MainObjectOf) is { } obj && rule.MatchesObject(obj):
                    Aggregate(i, e, obj);
                    break;
                default:
                    break;
            }
        }

        MatchUserAgent(e);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MatchUserAgent(LogEvent e)
    {
        if (e.UserAgent is not { } agent)
        {
            return;
        }

        foreach (var i in plan.AgentRules)
        {
            if (_memo.IsListedAgent(i, plan.Rules[i], agent))
            {
                Aggregate(i, e, agent);
            }
        }
    }

    private void AddCandidate(int rule, LogEvent e, int step, string detail)
    {
        if (!InRange(e.Time))
        {
            return;
        }

        if (Candidates[rule].Count < MaxCandidates)
        {
            Candidates[rule].Add(new Candidate(e.Keep(), step, detail));
        }
    }

    private void AddReconStep(int rule, LogEvent e, int step)
    {
        if (!InRange(e.Time))
        {
            return;
        }

        var width = ReconSteps.BucketTicks(plan.Rules[rule]);
        var ticks = e.Time.ToUnixTimeTicks();
        var key = (rule, ReconSteps.Identity(e), step, (ticks / width) - (ticks % width < 0 ? 1 : 0));
        var detail = plan.Rules[rule].Rule.Parameters.Patterns![step];
        if (Recon.TryGetValue(key, out var steps))
        {
            steps.Add(e, step, detail);
        }
        else
        {
            Recon[key] = new ReconSteps(new Candidate(e.Keep(), step, detail));
        }
    }

    private void Aggregate(int rule, LogEvent e, string value)
    {
        if (!InRange(e.Time))
        {
            return;
        }

        var key = (rule, e.UserId ?? "", e.Ip ?? "s:" + e.Session, value);
        // A guest page's reads come in runs from one visitor: mostly the same subject as the row before. Compared
        // by value, not through LastTwo: the key is four parts and the address may be built for this row.
        if (_lastAggregate is { } last && key.Equals(_lastAggregateKey))
        {
            last.Add(e);
            return;
        }

        if (Aggregates.TryGetValue(key, out var hit))
        {
            hit.Add(e);
        }
        else
        {
            hit = new AggregateHit(e.Keep(), value);
            Aggregates[key] = hit;
        }

        _lastAggregateKey = key;
        _lastAggregate = hit;
    }

    public static bool IsReportExport(LogEvent e) =>
        e.EventType == "ReportExport"
        || (e.EventType == "ReportEvent" && (e.Operation?.Contains("Export", StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>The object an event concerns: the SOQL's FROM object, else the logged entity (first of a list).</summary>
    public static string? ObjectOf(LogEvent e) => ObjectOf(e, Soql.MainObject);

    private static string? ObjectOf(LogEvent e, Func<string?, string?> mainObject)
    {
        if (mainObject(e.Soql) is { } fromSoql)
        {
            return fromSoql;
        }

        if (e.Entity is { } entity)
        {
            var comma = entity.IndexOf(',', StringComparison.Ordinal);
            return (comma < 0 ? entity : entity[..comma]).Trim();
        }

        if (e.Uri is { } uri && uri.IndexOf("/sobjects/", StringComparison.OrdinalIgnoreCase) is var at and >= 0)
        {
            var rest = uri[(at + "/sobjects/".Length)..];
            var end = rest.IndexOfAny(['/', '?']);
            var name = end < 0 ? rest : rest[..end];
            return name.Length > 0 ? name : null;
        }

        return null;
    }

    internal static string Path(string uri)
    {
        var q = uri.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? uri : uri[..q];
    }

    public void Merge(HuntAccumulator other)
    {
        Rows += other.Rows;
        First = other.First is { } f && (First is null || f < First) ? f : First;
        Last = other.Last is { } l && (Last is null || l > Last) ? l : Last;
        foreach (var (key, e) in other.FirstSeen)
        {
            if (!FirstSeen.TryGetValue(key, out var mine) || e.Time < mine.Time)
            {
                FirstSeen[key] = e;
            }
        }

        foreach (var (key, info) in other.Sessions)
        {
            if (Sessions.TryGetValue(key, out var mine))
            {
                mine.Merge(info);
            }
            else
            {
                Sessions[key] = info;
            }
        }

        foreach (var (key, job) in other.Jobs)
        {
            if (Jobs.TryGetValue(key, out var mine))
            {
                mine.Merge(job);
            }
            else
            {
                Jobs[key] = job;
            }
        }

        foreach (var (key, time) in other.FirstBulk)
        {
            FirstBulk[key] = FirstBulk.TryGetValue(key, out var mine) ? Min(mine, time) : time;
        }

        foreach (var (key, day) in other.RowsPerDay)
        {
            if (RowsPerDay.TryGetValue(key, out var mine))
            {
                mine.Merge(day);
            }
            else
            {
                RowsPerDay[key] = day;
            }
        }

        Hourly.Merge(other.Hourly);
        foreach (var (key, first) in other.UserIpFirstSeen)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(UserIpFirstSeen, key, out var seen);
            if (!seen || first < mine)
            {
                mine = first;
            }
        }

        foreach (var (key, name) in other.UserNames)
        {
            UserNames.TryAdd(key, name);
        }

        // The caps hold for the merged whole too: ranges merged in file order keep the rows met first.
        for (var i = 0; i < Candidates.Length; i++)
        {
            Candidates[i].AddRange(other.Candidates[i].Take(MaxCandidates - Candidates[i].Count));
        }

        foreach (var (key, steps) in other.Recon)
        {
            if (Recon.TryGetValue(key, out var mine))
            {
                mine.Merge(steps);
            }
            else
            {
                Recon[key] = steps;
            }
        }

        foreach (var (key, hit) in other.Aggregates)
        {
            if (Aggregates.TryGetValue(key, out var mine))
            {
                mine.Merge(hit);
            }
            else
            {
                Aggregates[key] = hit;
            }
        }

        Setup.AddRange(other.Setup);
        IocHits.AddRange(other.IocHits.Take(MaxCandidates - IocHits.Count));
        IocHitCount += other.IocHitCount;
    }

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}

/// <summary>A row a row-level hunt matched.</summary>
internal sealed record Candidate(LogEvent Event, int Step, string Detail);

/// <summary>
/// The first and the last row of one reconnaissance step by one identity in one time bucket, in reading order
/// (time, file, line). The sequence hunt asks whether some window of its length holds enough distinct steps;
/// with buckets no longer than the window, a step present anywhere in a window still has its bucket's first
/// or last row in it (the first when the bucket starts inside the window, else the last, as the bucket
/// ends within a window's length of its start). So the kept rows find every sequence the full rows would,
/// and the same one unless its first row was a middle row of a bucket: then it starts at the next kept row.
/// </summary>
internal sealed class ReconSteps(Candidate first)
{
    public Candidate First { get; private set; } = first;

    public Candidate Last { get; private set; } = first;

    // The copy of the last row when this object made it and alone holds it; null when it may be shared.
    private LogEvent? _ownedLast;

    /// <summary>The grouping of the sequence hunt: the session, else user and address.</summary>
    public static string Identity(LogEvent e) => e.Session ?? $"{e.UserId}\u0001{e.Ip}";

    /// <summary>Bucket width: an hour, or the rule's window when that is shorter (the reduction needs it).</summary>
    public static long BucketTicks(CompiledRule rule) =>
        Math.Max(1, Math.Min(NodaConstants.TicksPerHour, (long)(rule.Rule.Parameters.Hours!.Value * NodaConstants.TicksPerHour)));

    /// <summary>Reading order: time, then file, then line (the order the unreduced hunt sorted rows in).</summary>
    public static int Compare(Candidate a, Candidate b) => Compare(a.Event, b.Event);

    private static int Compare(LogEvent a, LogEvent b) =>
        a.Time != b.Time ? a.Time.CompareTo(b.Time)
        : a.FileIndex != b.FileIndex ? a.FileIndex.CompareTo(b.FileIndex)
        : a.Line.CompareTo(b.Line);

    /// <summary>Adds one more row of the step; a candidate (and a kept copy of the row) only when it becomes the first or the last.</summary>
    public void Add(LogEvent e, int step, string detail)
    {
        if (Compare(e, Last.Event) > 0 && _ownedLast is { } owned)
        {
            // A busy session repeats the step thousands of times in the hour, each call the new last: the copy
            // this object made for the last one is overwritten (a million copies on a 2 GB export otherwise).
            // Step and detail are the key's, the same for every row here.
            owned.CopyFrom(e);
            return;
        }

        if (Compare(e, First.Event) < 0 || Compare(e, Last.Event) > 0)
        {
            var candidate = new Candidate(e.Keep(), step, detail);
            Add(candidate);
            // Owned only when Keep made a copy that nothing else holds, and it is the last but not the first.
            _ownedLast = e.IsScratch && ReferenceEquals(Last, candidate) && !ReferenceEquals(First, candidate) ? candidate.Event : null;
        }
    }

    public void Add(Candidate c)
    {
        if (Compare(c, First) < 0)
        {
            First = c;
        }

        if (Compare(c, Last) > 0)
        {
            Last = c;
            _ownedLast = null;
        }
    }

    public void Merge(ReconSteps other)
    {
        Add(other.First);
        Add(other.Last);
    }
}

/// <summary>Rows an aggregated hunt matched for one subject: the first, and how many.</summary>
internal sealed class AggregateHit(LogEvent first, string value)
{
    public LogEvent First { get; private set; } = first;

    public string Value { get; } = value;

    public long Count { get; private set; } = 1;

    public void Add(LogEvent e)
    {
        Count++;
        if (e.Time < First.Time)
        {
            First = e.Keep();
        }
    }

    public void Merge(AggregateHit other)
    {
        Count += other.Count;
        if (other.First.Time < First.Time)
        {
            First = other.First;
        }
    }
}

/// <summary>Who, from where, with which client and app, a session was opened.</summary>
internal sealed class SessionInfo
{
    public string? User { get; private set; }

    public string? Ip { get; private set; }

    public string? UserAgent { get; private set; }

    public string? App { get; private set; }

    public LogEvent? Login { get; private set; }

    /// <summary>True when the login row is known and user and address are filled.</summary>
    public bool IsComplete => Login is not null && User is not null && Ip is not null;

    public static SessionInfo From(LogEvent e, bool isLogin) => new()
    {
        User = e.UserId,
        Ip = e.Ip,
        UserAgent = isLogin ? e.UserAgent : null,
        App = e.AppName ?? e.AppId,
        Login = isLogin ? e.Keep() : null,
    };

    /// <summary>Merges one more row of the session, as <see cref="Merge(SessionInfo)"/> of <see cref="From"/> would, without allocating.</summary>
    public void Merge(LogEvent e, bool isLogin)
    {
        if (isLogin && (Login is null || e.Time < Login.Time))
        {
            Login = e.Keep();
            User = e.UserId ?? User;
            Ip = e.Ip ?? Ip;
            UserAgent = e.UserAgent ?? UserAgent;
            App = e.AppName ?? e.AppId ?? App;
            return;
        }

        User ??= e.UserId;
        Ip ??= e.Ip;
        UserAgent ??= isLogin ? e.UserAgent : null;
        App ??= e.AppName ?? e.AppId;
    }

    public void Merge(SessionInfo other)
    {
        // The login row is the authority on origin; other rows only fill gaps.
        if (other.Login is { } login && (Login is null || login.Time < Login.Time))
        {
            Login = login;
            User = other.User ?? User;
            Ip = other.Ip ?? Ip;
            UserAgent = other.UserAgent ?? UserAgent;
            App = other.App ?? App;
            return;
        }

        User ??= other.User;
        Ip ??= other.Ip;
        UserAgent ??= other.UserAgent;
        App ??= other.App;
    }
}

/// <summary>One Bulk API job, from all the rows that describe it.</summary>
internal sealed class BulkJob(string key)
{
    private const int MaxEvents = 64;

    public string Key { get; } = key;

    public List<LogEvent> Events { get; } = [];

    public bool IsQuery { get; private set; }

    public LogEvent? Created { get; private set; }

    public LogEvent? Completed { get; private set; }

    public LogEvent? Deleted { get; private set; }

    public long Rows { get; private set; } = -1;

    public void Add(LogEvent e, bool isQuery)
    {
        // One copy for all the places below: Merge tells a deletion row by reference.
        e = e.Keep();
        IsQuery |= isQuery;
        if (Events.Count < MaxEvents)
        {
            Events.Add(e);
        }

        if (Created is null || e.Time < Created.Time)
        {
            Created = e;
        }

        if (HuntAccumulator.IsCompleteState(e.JobState) && (Completed is null || e.Time < Completed.Time))
        {
            Completed = e;
        }

        if (HuntAccumulator.IsDeletedState(e.JobState))
        {
            AddDeletion(e);
        }

        Rows = Math.Max(Rows, e.EventType == "BulkApi" ? -1 : e.Rows);
        if (e.EventType == "BulkApi" && e.Rows > 0)
        {
            // Bulk API 1.0 logs one row per batch: the job's rows are their sum.
            _batchRows += e.Rows;
            Rows = Math.Max(Rows, _batchRows);
        }
    }

    private long _batchRows;

    public void AddDeletion(LogEvent e)
    {
        e = e.Keep();
        if (Deleted is null || e.Time < Deleted.Time)
        {
            Deleted = e;
        }

        if (Events.Count < MaxEvents)
        {
            Events.Add(e);
        }
    }

    public void Merge(BulkJob other)
    {
        foreach (var e in other.Events)
        {
            if (other.Deleted == e && !HuntAccumulator.IsDeletedState(e.JobState))
            {
                AddDeletion(e);
            }
            else
            {
                Add(e, other.IsQuery);
            }
        }

        IsQuery |= other.IsQuery;
        _batchRows = Math.Max(_batchRows, other._batchRows);
        Rows = Math.Max(Rows, other.Rows);
    }
}

/// <summary>Rows one user moved in one day, per log family (ELF and Real-Time describe the same rows).</summary>
internal sealed class DayRows
{
    public long FileRows { get; private set; }

    public long RealTimeRows { get; private set; }

    public LogEvent? Biggest { get; private set; }

    public long Volume => Math.Max(FileRows, RealTimeRows);

    public void Add(LogEvent e, long rows)
    {
        if (e.Source == LogSourceKind.RealTime)
        {
            RealTimeRows += rows;
        }
        else
        {
            FileRows += rows;
        }

        if (Biggest is null || rows > Biggest.Rows)
        {
            Biggest = e.Keep();
        }
    }

    public void Merge(DayRows other)
    {
        FileRows += other.FileRows;
        RealTimeRows += other.RealTimeRows;
        if (other.Biggest is { } b && (Biggest is null || b.Rows > Biggest.Rows))
        {
            Biggest = b;
        }
    }
}

/// <summary>The hunts, compiled once: regular expressions built, object lists split into names and prefixes.</summary>
internal sealed class RulePlan
{
    public RulePlan(IReadOnlyList<HuntRule> rules)
    {
        Rules = [.. rules.Select(r => new CompiledRule(r))];
        RowRules = [.. Enumerable.Range(0, Rules.Length).Where(i => Rules[i].RowHunt is not (RowHunt.None or RowHunt.UserAgent))];
        AgentRules = [.. Enumerable.Range(0, Rules.Length).Where(i => Rules[i].RowHunt == RowHunt.UserAgent)];
    }

    /// <summary>The hunts in rule-file order; an array, indexed on every row without an interface call.</summary>
    public CompiledRule[] Rules { get; }

    /// <summary>Indexes of the hunts that look at every non-login row (worked out once, not per row).</summary>
    public int[] RowRules { get; }

    /// <summary>Indexes of the user-agent hunts, which look at every row with a client.</summary>
    public int[] AgentRules { get; }
}

/// <summary>What a hunt does with each row of the first pass, if anything.</summary>
internal enum RowHunt
{
    /// <summary>Nothing row by row: the hunt reads the first pass's aggregates.</summary>
    None,

    /// <summary>recon-sequence.</summary>
    ReconSequence,

    /// <summary>soql-pattern.</summary>
    SoqlPattern,

    /// <summary>report-export-of-objects.</summary>
    ReportExport,

    /// <summary>guest-read-of-objects.</summary>
    GuestRead,

    /// <summary>user-agent.</summary>
    UserAgent,
}

/// <summary>One hunt ready to evaluate.</summary>
internal sealed class CompiledRule
{
    private readonly HashSet<string> _objects = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _prefixes = [];

    public CompiledRule(HuntRule rule)
    {
        Rule = rule;
        RowHunt = rule.Detector switch
        {
            "recon-sequence" => RowHunt.ReconSequence,
            "soql-pattern" => RowHunt.SoqlPattern,
            "report-export-of-objects" => RowHunt.ReportExport,
            "guest-read-of-objects" => RowHunt.GuestRead,
            "user-agent" => RowHunt.UserAgent,
            _ => RowHunt.None,
        };
        // Interpreted: the memo runs each pattern once per distinct URI or statement, and compiling to IL costs
        // more at start-up (emit, then JIT, on the one thread) than a hunt's few thousand matches save.
        Regexes = [.. (rule.Parameters.Patterns ?? []).Select(p => new Regex(p, RegexOptions.CultureInvariant))];
        foreach (var o in rule.Parameters.Objects ?? [])
        {
            if (o.EndsWith('*'))
            {
                _prefixes.Add(o[..^1]);
            }
            else
            {
                _objects.Add(o);
            }
        }
    }

    public HuntRule Rule { get; }

    public string Detector => Rule.Detector;

    /// <summary>What the hunt does with each row of the first pass.</summary>
    public RowHunt RowHunt { get; }

    public Regex[] Regexes { get; }

    public bool MatchesObject(string name)
    {
        if (_objects.Contains(name))
        {
            return true;
        }

        // A loop, not Any(lambda): the lambda would allocate a closure on every row that reaches here.
        foreach (var prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Globalization;
using Breachline.Common;
using NodaTime;

namespace Breachline.Forensics;

/// <summary>
/// Turns the first pass's aggregates into rule hits, scores each subject (a user at an address) over the
/// distinct hunts that hit it, names the suspects, and assembles the result from the second pass's
/// malicious events. A subject is a suspect when its score reaches the threshold, when an indicator
/// matches it, or when it is a suspect user acting from an address first seen after the baseline that
/// some hunt also hit during the incident.
/// </summary>
internal sealed class HuntAnalysis(HuntAccumulator all, RulePlan plan, HuntOptions options)
{
    private static readonly Duration ExtensionMargin = Duration.FromHours(24);

    private readonly List<Hit> _hits = [];
    private readonly HashSet<(string User, string Ip)> _subjects = [];
    private readonly HashSet<string> _ips = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly HashSet<string> _iocSessions = new(StringComparer.Ordinal);

    public bool HasSuspects => _subjects.Count > 0;

    public IReadOnlySet<string> SuspectIps => _ips;

    public IReadOnlySet<string> SuspectSessions => _sessions;

    private Instant? BaselineEnd(int days)
    {
        if (options.Since is { } since)
        {
            return since;
        }

        if (all.First is not { } first || all.Last is not { } last)
        {
            return null;
        }

        // A short log set keeps its first half as baseline rather than having no "after" at all.
        var byDays = first + Duration.FromDays(days);
        var half = first + ((last - first) / 2);
        return byDays < half ? byDays : half;
    }

    public void FindSuspects()
    {
        for (var i = 0; i < plan.Rules.Length; i++)
        {
            Evaluate(plan.Rules[i], i);
        }

        foreach (var (e, match) in all.IocHits)
        {
            _hits.Add(new Hit(IocRule, "Indicator of compromise", null, 100, e, [e], $"matches indicator {match}", Resolve(e)));
            if (e.Session is { } s)
            {
                _iocSessions.Add(s);
            }
        }

        var scores = new Dictionary<(string, string), Dictionary<string, int>>();
        foreach (var hit in _hits.Where(h => h.Rule is not "setup-change-in-window"))
        {
            if (!scores.TryGetValue(hit.Subject, out var byRule))
            {
                byRule = new Dictionary<string, int>(StringComparer.Ordinal);
                scores[hit.Subject] = byRule;
            }

            byRule[hit.Rule] = Math.Max(byRule.GetValueOrDefault(hit.Rule), hit.Score);
        }

        foreach (var (subject, byRule) in scores)
        {
            if (byRule.Values.Sum() >= options.SuspectThreshold)
            {
                _subjects.Add(subject);
            }
        }

        Extend(scores);
        foreach (var (user, ip) in _subjects)
        {
            if (ip.Length > 0)
            {
                _ips.Add(ip);
            }

            if (user.Length > 0)
            {
                _users.Add(user);
            }
        }

        foreach (var (key, info) in all.Sessions)
        {
            if (info.Ip is { } ip && _subjects.Contains((info.User ?? "", ip)))
            {
                _sessions.Add(key);
            }
        }

        foreach (var hit in _hits.Where(h => _subjects.Contains(h.Subject)))
        {
            if (hit.Event.Session is { } s)
            {
                _sessions.Add(s);
            }
        }

        _sessions.UnionWith(_iocSessions);
    }

    // The same identity acting from another origin first seen after the baseline, hit by some hunt
    // during the incident, is the same actor (recon from one host, export from another).
    private void Extend(Dictionary<(string User, string Ip), Dictionary<string, int>> scores)
    {
        var suspectHits = _hits.Where(h => _subjects.Contains(h.Subject)).ToList();
        if (suspectHits.Count == 0)
        {
            return;
        }

        var start = suspectHits.Min(h => h.Time) - ExtensionMargin;
        var end = suspectHits.Max(h => h.Time) + ExtensionMargin;
        var users = _subjects.Select(s => s.User).Where(u => u.Length > 0).ToHashSet(StringComparer.Ordinal);
        var baselineEnd = BaselineEnd(7);
        var hitDuringIncident = _hits.Where(h => h.Time >= start && h.Time <= end).Select(h => h.Subject).ToHashSet();
        foreach (var (subject, byRule) in scores)
        {
            if (_subjects.Contains(subject) || !users.Contains(subject.User) || subject.Ip.Length == 0 || byRule.Count == 0)
            {
                continue;
            }

            if (all.UserIpFirstSeen.TryGetValue(subject, out var first) && first >= baselineEnd && hitDuringIncident.Contains(subject))
            {
                _subjects.Add(subject);
            }
        }
    }

    private void Evaluate(CompiledRule rule, int index)
    {
        var p = rule.Rule.Parameters;
        switch (rule.Detector)
        {
            case "new-login-origin":
                {
                    var baselineEnd = BaselineEnd(p.BaselineDays!.Value);
                    foreach (var (key, e) in all.FirstSeen)
                    {
                        if (e.Time < baselineEnd || !all.InRange(e.Time))
                        {
                            continue;
                        }

                        var parts = key.Split('\u0001');
                        var what = parts[0] switch
                        {
                            "user-ip" => $"user {parts[1]} logged in with a token from {parts[2]}, never seen for that user before",
                            "user-ua" => $"user {parts[1]} logged in with a token using client '{parts[2]}', never seen for that user before",
                            "app-ip" => $"connected app {parts[1]} used from {parts[2]}, never seen for that app before",
                            _ => $"connected app {parts[1]} used with client '{parts[2]}', never seen for that app before",
                        };
                        Add(rule, e, [e], what);
                    }

                    break;
                }

            case "recon-sequence":
                {
                    var window = Duration.FromHours(p.Hours!.Value);
                    var steps = all.Recon.Where(kv => kv.Key.Rule == index)
                        .SelectMany(kv => kv.Value.First == kv.Value.Last ? [(kv.Key.Identity, kv.Value.First)] : new[] { (kv.Key.Identity, kv.Value.First), (kv.Key.Identity, kv.Value.Last) });
                    // Identities in reading order of their first step, so threads and ranges cannot reorder the hits.
                    var groups = steps.GroupBy(s => s.Identity, s => s.Item2, StringComparer.Ordinal).Select(g =>
                    {
                        var ordered = g.ToList();
                        ordered.Sort(ReconSteps.Compare);
                        return ordered;
                    }).ToList();
                    groups.Sort((a, b) => ReconSteps.Compare(a[0], b[0]));
                    foreach (var ordered in groups)
                    {
                        Recon(rule, ordered, window, p.MinSteps!.Value);
                    }

                    break;
                }

            case "bulk-without-history":
                {
                    var baselineEnd = BaselineEnd(p.BaselineDays!.Value);
                    foreach (var job in all.Jobs.Values.Where(j => j.IsQuery && j.Created is not null))
                    {
                        var created = job.Created!;
                        var user = created.UserId ?? job.Events.Select(e => e.UserId).FirstOrDefault(u => u is not null);
                        if (user is null || created.Time < baselineEnd || !all.InRange(created.Time)
                            || (all.FirstBulk.TryGetValue(user, out var first) && first < baselineEnd))
                        {
                            continue;
                        }

                        Add(rule, created, [created], $"Bulk API query job {JobName(job)} by {user}, who ran no Bulk query in the baseline");
                    }

                    break;
                }

            case "bulk-job-deleted":
                {
                    var limit = Duration.FromMinutes(p.Minutes!.Value);
                    foreach (var job in all.Jobs.Values.Where(j => j.Deleted is not null))
                    {
                        var reference = job.Completed ?? job.Created;
                        var deleted = job.Deleted!;
                        if (reference is null || !all.InRange(deleted.Time) || deleted.Time < reference.Time || deleted.Time - reference.Time > limit)
                        {
                            continue;
                        }

                        var minutes = (deleted.Time - reference.Time).TotalMinutes;
                        Add(rule, deleted, [reference, deleted], string.Create(CultureInfo.InvariantCulture,
                            $"Bulk job {JobName(job)} deleted {minutes:0.#} minutes after it {(job.Completed is null ? "was created" : "completed")}"));
                    }

                    break;
                }

            case "rows-above-baseline":
                {
                    var baselineEnd = BaselineEnd(p.BaselineDays!.Value);
                    if (baselineEnd is not { } end)
                    {
                        break;
                    }

                    var endDay = (int)(end.ToUnixTimeSeconds() / 86_400);
                    foreach (var user in all.RowsPerDay.GroupBy(kv => kv.Key.User))
                    {
                        var baseline = user.Where(kv => kv.Key.Day < endDay).Select(kv => kv.Value.Volume).ToList();
                        var mean = baseline.Count == 0 ? 0 : baseline.Average();
                        var limit = Math.Max(p.Multiplier!.Value * mean, p.MinRows!.Value);
                        foreach (var (key, day) in user.Where(kv => kv.Key.Day >= endDay))
                        {
                            if (day.Volume > limit && day.Biggest is { } biggest && all.InRange(biggest.Time))
                            {
                                Add(rule, biggest, [biggest], string.Create(CultureInfo.InvariantCulture,
                                    $"{key.User} moved {day.Volume} rows on {Instant.FromUnixTimeSeconds(key.Day * 86_400L).InUtc().Date:uuuu-MM-dd} (baseline mean {mean:0} a day, limit {limit:0})"));
                            }
                        }
                    }

                    break;
                }

            case "report-export-of-objects" or "soql-pattern":
                foreach (var c in all.Candidates[index])
                {
                    Add(rule, c.Event, [c.Event], c.Detail);
                }

                break;

            case "guest-read-of-objects":
                foreach (var ((r, _, _, _), hit) in all.Aggregates.Where(kv => kv.Key.Rule == index))
                {
                    Add(rule, hit.First, [hit.First], $"guest user read {hit.Value} ({hit.Count} events)");
                }

                break;

            case "user-agent":
                {
                    var baselineEnd = BaselineEnd(7);
                    foreach (var (key, hit) in all.Aggregates.Where(kv => kv.Key.Rule == index))
                    {
                        var known = all.FirstSeen.TryGetValue($"user-ua\u0001{key.User}\u0001{hit.Value}", out var seen) && seen.Time < baselineEnd;
                        if (!known)
                        {
                            Add(rule, hit.First, [hit.First], $"client '{hit.Value}' ({hit.Count} events)");
                        }
                    }

                    break;
                }

            default:
                break;
        }
    }

    // The first run of steps within the window covering enough distinct steps: one pass with a sliding
    // window (a busy integration's session holds thousands of describe calls).
    private void Recon(CompiledRule rule, List<Candidate> steps, Duration window, int minSteps)
    {
        var counts = new int[rule.Regexes.Length];
        var distinct = 0;
        var end = 0;
        for (var s = 0; s < steps.Count; s++)
        {
            for (; end < steps.Count && steps[end].Event.Time - steps[s].Event.Time <= window; end++)
            {
                if (counts[steps[end].Step]++ == 0)
                {
                    distinct++;
                }
            }

            if (distinct >= minSteps)
            {
                var inWindow = steps[s..end];
                var evidence = inWindow.GroupBy(c => c.Step).Select(g => g.First().Event).OrderBy(e => e.Time).ToList();
                Add(rule, steps[s].Event, evidence, $"{distinct} reconnaissance steps in one session: {string.Join(", ", inWindow.Select(c => c.Step).Distinct().Select(i => rule.Rule.Parameters.Patterns![i]))}");
                return;
            }

            if (--counts[steps[s].Step] == 0)
            {
                distinct--;
            }
        }
    }

    private static string JobName(BulkJob job) => job.Events.Select(e => e.JobId).FirstOrDefault(j => j is not null) ?? "(no id)";

    private void Add(CompiledRule rule, LogEvent at, IReadOnlyList<LogEvent> evidence, string detail) =>
        _hits.Add(new Hit(rule.Rule.Id, rule.Rule.Title, rule.Rule.Attack, rule.Rule.Score, at, evidence, detail, Resolve(at)));

    /// <summary>The user and address behind an event, filling gaps from its session's login.</summary>
    private (string User, string Ip) Resolve(LogEvent e)
    {
        SessionInfo? session = null;
        if (e.LoginKey is { } login)
        {
            all.Sessions.TryGetValue(login, out session);
        }

        if (session is null && e.SessionKey is { } key)
        {
            all.Sessions.TryGetValue(key, out session);
        }

        return (e.UserId ?? session?.User ?? "", e.Ip ?? session?.Ip ?? "");
    }

    /// <summary>
    /// Rows that may be malicious, told from their address and session keys alone: a suspect session, a
    /// suspect address, or a session opened from one (for rows that carry no address). A superset of
    /// <see cref="IsMalicious"/>, which decides on the events it lets through.
    /// </summary>
    public RowFilter SecondPassFilter()
    {
        var keys = new HashSet<string>(_sessions, StringComparer.Ordinal);
        keys.UnionWith(_ips);
        foreach (var (key, info) in all.Sessions)
        {
            if (info.Ip is { } ip && _ips.Contains(ip))
            {
                keys.Add(key);
            }
        }

        var lookup = keys.GetAlternateLookup<ReadOnlySpan<char>>();
        return (ip, login, session) => (!ip.IsEmpty && lookup.Contains(ip)) || (!login.IsEmpty && lookup.Contains(login)) || (!session.IsEmpty && lookup.Contains(session));
    }

    /// <summary>True when the event belongs to a suspect: their session, or their user at their address.</summary>
    public bool IsMalicious(LogEvent e)
    {
        if (!all.InRange(e.Time) || e.Source == LogSourceKind.SetupAuditTrail)
        {
            return false;
        }

        if ((e.LoginKey is { } login && _sessions.Contains(login)) || (e.SessionKey is { } session && _sessions.Contains(session)))
        {
            return true;
        }

        var (user, ip) = Resolve(e);
        if (ip.Length == 0 || !_ips.Contains(ip))
        {
            return false;
        }

        return user.Length == 0 || e.Source == LogSourceKind.Gateway || _subjects.Contains((user, ip));
    }

    public HuntResult Build(List<LogEvent> malicious, IReadOnlyList<LogFile> files, FileProblems[] problems, Func<int, string> hash)
    {
        var zone = options.Zone;
        DateTimeOffset T(Instant i) => IncidentTime.ToOffset(i, zone);
        EvidenceRef Ref(LogEvent e) => new(hash(e.FileIndex), files[e.FileIndex].RelativePath, e.Line);

        malicious.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.FileIndex != b.FileIndex ? a.FileIndex.CompareTo(b.FileIndex) : a.Line.CompareTo(b.Line));
        var suspectHits = _hits.Where(h => _subjects.Contains(h.Subject)).OrderBy(h => h.Time).ToList();
        var times = malicious.Select(e => e.Time).Concat(suspectHits.Select(h => h.Time)).ToList();
        HuntWindow? window = times.Count == 0 ? null : new HuntWindow(T(times.Min()), T(times.Max()));

        var suspects = SuspectsOf(malicious);
        var queries = QueryBuilder.Build(malicious, Resolve, T, Ref);
        var rowsByObject = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var q in queries.Where(q => q.Rows > 0 && q.Object is not null))
        {
            rowsByObject[q.Object!] = rowsByObject.GetValueOrDefault(q.Object!) + q.Rows;
        }

        var activity = Activity(malicious, queries, T);
        var signals = suspectHits.Select(h => ToSignal(h, T, Ref)).ToList();
        var antiForensics = signals.Where(s => s.Rule == "bulk-job-deleted").ToList();
        var setupChanges = SetupChanges(times, T, Ref);

        var timeline = new List<(Instant Time, TimelineEntry Entry)>();
        foreach (var e in malicious.Take(options.MaxTimeline))
        {
            var (user, ip) = Resolve(e);
            timeline.Add((e.Time, new TimelineEntry(T(e.Time), "event", e.EventType, Empty(user), Empty(ip), e.Session, Describe(e), Ref(e))));
        }

        foreach (var h in suspectHits)
        {
            timeline.Add((h.Time, new TimelineEntry(T(h.Time), "signal", h.Rule, Empty(h.Subject.User), Empty(h.Subject.Ip), h.Event.Session, h.Detail, Ref(h.Event))));
        }

        foreach (var (e, change) in setupChanges)
        {
            timeline.Add((e.Time, new TimelineEntry(change.Time, "setup-change", "SetupAuditTrail", change.User, null, null, $"{change.Action} ({change.Section}): {change.Display}", change.Evidence)));
        }

        IocResult? ioc = null;
        if (!options.Indicators.IsEmpty)
        {
            var iocEvents = malicious.Count(e => e.Session is { } s && _iocSessions.Contains(s) || options.Indicators.Match(e) is not null);
            ioc = new IocResult(
                options.Indicators.Describe(),
                (int)Math.Min(int.MaxValue, all.IocHitCount),
                [.. _iocSessions.Order(StringComparer.Ordinal)],
                iocEvents,
                [.. all.IocHits.OrderBy(h => h.Event.Time).Take(1000).Select(h =>
                {
                    var (user, ip) = Resolve(h.Event);
                    return new TimelineEntry(T(h.Event.Time), "event", h.Event.EventType, Empty(user), Empty(ip), h.Event.Session, $"{Describe(h.Event)} [matches {h.Match}]", Ref(h.Event));
                })]);
        }

        var baselineEnd = BaselineEnd(7);
        return new HuntResult
        {
            Window = window,
            Suspects = suspects,
            Queries = queries,
            RowsByObject = rowsByObject,
            Activity = activity,
            AntiForensics = antiForensics,
            SetupChanges = [.. setupChanges.Select(s => s.Change)],
            Signals = signals,
            Timeline = [.. timeline.OrderBy(t => t.Time).Select(t => t.Entry).Take(options.MaxTimeline)],
            Ioc = ioc,
            Input = new HuntInput
            {
                Files = files.Count,
                Bytes = files.Sum(f => f.Length),
                Rows = all.Rows,
                UnreadableRows = problems.Sum(p => (long)p.Count),
                Coverage = all.First is { } first && all.Last is { } last ? new HuntWindow(T(first), T(last)) : null,
                BaselineEnd = baselineEnd is { } b ? T(b) : null,
                Problems = [.. problems.SelectMany(p => p.ToReport())],
            },
        };
    }

    private HuntActivity Activity(List<LogEvent> malicious, List<HuntQuery> queries, Func<Instant, DateTimeOffset> t)
    {
        var baseline = all.Hourly.Copy();
        foreach (var e in malicious)
        {
            if (HuntAccumulator.VolumeRows(e) is var rows and > 0 && !HuntAccumulator.IsBulkResultDownload(e) && HuntAccumulator.ObjectOf(e) is { } obj)
            {
                baseline.Remove(e, obj, rows);
            }
        }

        var attack = queries
            .Where(q => q.Rows > 0 && q.Object is not null)
            .GroupBy(q => (Hour: HourlyRows.HourOf(Instant.FromDateTimeOffset(q.Time)), Object: q.Object!))
            .OrderBy(g => g.Key.Hour).ThenBy(g => g.Key.Object, StringComparer.Ordinal)
            .Select(g => new HourlyObjectRows(t(Instant.FromUnixTimeSeconds(g.Key.Hour * 3600)), g.Key.Object, g.Sum(q => q.Rows)));
        return new HuntActivity
        {
            Malicious = [.. attack],
            Baseline = [.. baseline.Points().Select(p => new HourlyObjectRows(t(p.Hour), p.Object, p.Rows))],
        };
    }

    private HuntSuspects SuspectsOf(List<LogEvent> malicious)
    {
        var ips = new SortedSet<string>(_ips, StringComparer.Ordinal);
        var users = new SortedSet<string>(_users, StringComparer.Ordinal);
        var apps = new SortedSet<string>(StringComparer.Ordinal);
        var agents = new SortedSet<string>(StringComparer.Ordinal);
        var sessions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in malicious)
        {
            var (user, ip) = Resolve(e);
            if (ip.Length > 0)
            {
                ips.Add(ip);
            }

            if (user.Length > 0 && user.StartsWith("005", StringComparison.Ordinal))
            {
                users.Add(user);
            }

            if ((e.AppName ?? e.AppId) is { } app)
            {
                apps.Add(options.AppNames.GetValueOrDefault(app, app));
            }

            if (e.UserAgent is { } agent)
            {
                agents.Add(agent);
            }

            if (e.LoginKey is { } login)
            {
                sessions.Add(login);
            }
            else if (e.SessionKey is { } session)
            {
                sessions.Add(session);
            }

            if (e.Session is { } key && all.Sessions.TryGetValue(key, out var info))
            {
                if (info.App is { } sessionApp)
                {
                    apps.Add(options.AppNames.GetValueOrDefault(sessionApp, sessionApp));
                }

                if (info.UserAgent is { } sessionAgent)
                {
                    agents.Add(sessionAgent);
                }
            }
        }

        return new HuntSuspects
        {
            Ips = [.. ips],
            Users = [.. users],
            Usernames = [.. users.Select(u => all.UserNames.GetValueOrDefault(u) ?? options.UserNames.GetValueOrDefault(u)).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            ConnectedApps = [.. apps],
            UserAgents = [.. agents],
            Sessions = [.. sessions],
        };
    }

    private List<(LogEvent Event, SetupChange Change)> SetupChanges(List<Instant> times, Func<Instant, DateTimeOffset> t, Func<LogEvent, EvidenceRef> reference)
    {
        var result = new List<(LogEvent, SetupChange)>();
        foreach (var rule in plan.Rules.Where(r => r.Detector == "setup-change-in-window"))
        {
            var p = rule.Rule.Parameters;
            var actions = new HashSet<string>(p.Actions ?? [], StringComparer.OrdinalIgnoreCase);
            var sections = new HashSet<string>(p.Sections ?? [], StringComparer.OrdinalIgnoreCase);
            var margin = Duration.FromHours(p.MarginHours!.Value);
            Instant? start = times.Count == 0 ? null : times.Min() - margin;
            Instant? end = times.Count == 0 ? null : times.Max() + margin;
            foreach (var e in all.Setup.OrderBy(e => e.Time))
            {
                if (!((e.Action is { } a && actions.Contains(a)) || (e.Section is { } s && sections.Contains(s))))
                {
                    continue;
                }

                var bySuspect = e.UserId is { } u && _users.Contains(u);
                var inWindow = start is not null && e.Time >= start && e.Time <= end;
                if ((inWindow || bySuspect) && !result.Any(r => ReferenceEquals(r.Item1, e)))
                {
                    result.Add((e, new SetupChange(t(e.Time), e.UserId, e.UserName, e.Action, e.Section, e.Display, bySuspect, reference(e))));
                }
            }
        }

        return result;
    }

    private static HuntSignal ToSignal(Hit h, Func<Instant, DateTimeOffset> t, Func<LogEvent, EvidenceRef> reference) =>
        new(h.Rule, h.Title, h.Attack, h.Score, t(h.Time), Empty(h.Subject.User), Empty(h.Subject.Ip), h.Event.Session, h.Detail, [.. h.Evidence.Select(reference)]);

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    /// <summary>One line for people describing an event.</summary>
    internal static string Describe(LogEvent e)
    {
        var parts = new List<string> { e.EventType };
        if (e.Method is { } m)
        {
            parts.Add(m);
        }

        if (e.Uri is { } uri)
        {
            parts.Add(uri.Length > 120 ? uri[..120] + "…" : uri);
        }

        if (e.JobId is { } job)
        {
            parts.Add("job " + job);
        }

        if (e.Operation is { } op)
        {
            parts.Add(op);
        }

        if (e.JobState is { } state)
        {
            parts.Add("state " + state);
        }

        if (HuntAccumulator.ObjectOf(e) is { } obj)
        {
            parts.Add("object " + obj);
        }

        if (e.Soql is { } soql)
        {
            parts.Add("SOQL " + (soql.Length > 200 ? soql[..200] + "…" : soql));
        }

        if (e.Rows >= 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"rows {e.Rows}"));
        }

        if (e.UserAgent is { } agent)
        {
            parts.Add($"client '{agent}'");
        }

        if ((e.AppName ?? e.AppId) is { } app)
        {
            parts.Add("app " + app);
        }

        return string.Join(' ', parts);
    }

    private const string IocRule = "ioc";

    private sealed record Hit(string Rule, string Title, string? Attack, int Score, LogEvent Event, IReadOnlyList<LogEvent> Evidence, string Detail, (string User, string Ip) Subject)
    {
        public Instant Time => Event.Time;
    }
}

using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

/// <summary>
/// The first pass fills one scratch event again for every row; whatever the accumulator keeps past a row must
/// be a copy. Read once with new events and once with the scratch event, every row the accumulator holds must
/// be the same.
/// </summary>
public sealed class ScratchEventTests
{
    [Fact]
    public void The_accumulator_keeps_the_same_rows_from_a_reused_event_as_from_new_ones()
    {
        using var dir = new TempDir();
        foreach (var path in Directory.EnumerateFiles(Fixtures.Path("hunt", "org", "logs"), "*.csv"))
        {
            File.Copy(path, dir.Combine(Path.GetFileName(path)));
        }

        // The fixture's report exports name no object and no statement searches for secrets: rows that do,
        // each followed by other rows that would overwrite a kept scratch event. A guest read arrives before an
        // earlier one of the same visitor (the aggregate's first is replaced), and a second and a third limits call
        // of one session replace the recon step's last row (the third overwrites the copy the second made).
        File.WriteAllText(dir.Combine("Extra.csv"), """
            "EVENT_TYPE","TIMESTAMP","CLIENT_IP","USER_ID","LOGIN_KEY","USER_TYPE","URI","QUERY","ENTITY_NAME","ROWS_PROCESSED"
            "ReportExport","20260301120000.000","10.1.1.1","0058X000002StfA","LKX1","Standard","/servlet/PrintableViewDownloadServlet","","Contact","250"
            "RestApi","20260301120100.000","10.1.1.2","0058X000002StfB","LKX2","Standard","/services/data/v62.0/limits","","","0"
            "RestApi","20260301121000.000","10.2.2.2","0058X000002GstA","LKG1","Guest","/services/data/v62.0/sobjects/Contact/0038X000001AbcD","","Contact","1"
            "RestApi","20260301120500.000","10.2.2.2","0058X000002GstA","LKG1","Guest","/services/data/v62.0/sobjects/Contact/0038X000001AbcE","","Contact","1"
            "RestApi","20260301120130.000","10.1.1.2","0058X000002StfB","LKX2","Standard","/services/data/v62.0/limits","","","0"
            "RestApi","20260301120200.000","10.1.1.3","0058X000002StfC","LKX3","Standard","/services/data/v62.0/query","SELECT Id FROM Case WHERE Description LIKE '%AKIA%'","Case","3"
            "RestApi","20260301120145.000","10.1.1.2","0058X000002StfB","LKX2","Standard","/services/data/v62.0/limits","","","0"
            "RestApi","20260301120300.000","10.1.1.4","0058X000002StfD","LKX4","Standard","/services/data/v62.0/sobjects","","","0"
            """);
        var options = new HuntOptions();
        options.Indicators.AddIp("185.220.101.33");
        var plan = new RulePlan(options.Rules);
        var fresh = Accumulate(dir.Path, plan, options, reuse: false);
        var reused = Accumulate(dir.Path, plan, options, reuse: true);

        var expected = Kept(fresh);
        Assert.Equal(expected, Kept(reused));
        // Every place that keeps rows held some here, so each was compared.
        foreach (var place in new[] { "first-seen", "session-login", "job", "day-biggest", "recon", "aggregate", "candidate", "ioc" })
        {
            Assert.True(expected.Any(k => k.StartsWith(place + ' ', StringComparison.Ordinal)), place);
        }
    }

    [Fact]
    public void A_kept_scratch_event_does_not_change_when_the_scratch_is_filled_again()
    {
        var pools = new EventLogCsvReader.ReaderPools { Reuse = true };
        var path = Fixtures.Path("hunt", "org", "logs", "RestApi.csv");
        using var ranges = CsvRanges.Open(path, 1 << 20, hash: false)!;
        var range = ranges.Next()!;
        var kept = new List<(LogEvent Copy, string Then)>();
        foreach (var e in EventLogCsvReader.ReadRange(range, 0, new FileProblems("RestApi.csv"), null, true, pools))
        {
            Assert.Same(pools.Scratch, e);
            kept.Add((e.Keep(), Describe(e)));
        }

        range.Release();
        Assert.True(kept.Count > 2);
        Assert.All(kept, k => Assert.Equal(k.Then, Describe(k.Copy)));
        Assert.All(kept, k => Assert.False(k.Copy.IsScratch));
        Assert.Equal(kept.Count, kept.Select(k => k.Copy).Distinct().Count());
    }

    private static HuntAccumulator Accumulate(string logs, RulePlan plan, HuntOptions options, bool reuse)
    {
        var accumulator = new HuntAccumulator(plan, options);
        var pools = new EventLogCsvReader.ReaderPools { Reuse = reuse };
        var index = 0;
        foreach (var path in Directory.EnumerateFiles(logs, "*.csv").Order(StringComparer.Ordinal))
        {
            // A small target cuts each file into several ranges, so the scratch event also crosses ranges.
            using var ranges = CsvRanges.Open(path, 256, hash: false)!;
            if (!EventLogCsvReader.CanReadInRanges(ranges.Header))
            {
                continue;
            }

            while (ranges.Next() is { } range)
            {
                foreach (var e in EventLogCsvReader.ReadRange(range, index, new FileProblems(path), null, true, pools))
                {
                    accumulator.Add(e);
                }

                range.Release();
            }

            index++;
        }

        return accumulator;
    }

    private static List<string> Kept(HuntAccumulator a)
    {
        var kept = new List<string>();
        kept.AddRange(a.FirstSeen.Select(kv => $"first-seen {kv.Key} {Describe(kv.Value)}"));
        kept.AddRange(a.Sessions.Where(kv => kv.Value.Login is not null).Select(kv => $"session-login {kv.Key} {Describe(kv.Value.Login!)}"));
        foreach (var (key, job) in a.Jobs)
        {
            kept.AddRange(job.Events.Select(e => $"job {key} {Describe(e)}"));
            kept.AddRange(new[] { job.Created, job.Completed, job.Deleted }.Select(e => $"job {key} marks {(e is null ? "-" : Describe(e))}"));
        }

        kept.AddRange(a.RowsPerDay.Where(kv => kv.Value.Biggest is not null).Select(kv => $"day-biggest {kv.Key} {Describe(kv.Value.Biggest!)}"));
        kept.AddRange(a.Recon.Select(kv => $"recon {kv.Key} {Describe(kv.Value.First.Event)} {Describe(kv.Value.Last.Event)}"));
        kept.AddRange(a.Aggregates.Select(kv => $"aggregate {kv.Key} {kv.Value.Count} {Describe(kv.Value.First)}"));
        kept.AddRange(a.Candidates.SelectMany((list, rule) => list.Select(c => $"candidate {rule} {c.Step} {c.Detail} {Describe(c.Event)}")));
        kept.AddRange(a.IocHits.Select(h => $"ioc {h.Match} {Describe(h.Event)}"));
        kept.Sort(StringComparer.Ordinal);
        return kept;
    }

    private static string Describe(LogEvent e) => string.Join('|', e.FileIndex, e.Line, e.EventType, e.Time, e.Ip, e.UserId, e.LoginKey, e.SessionKey, e.Uri, e.Soql, e.Entity, e.Rows, e.JobId, e.JobState, e.UserAgent, e.Status);
}

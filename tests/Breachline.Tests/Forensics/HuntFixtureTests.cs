using System.Security.Cryptography;
using Breachline.Common;
using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

/// <summary>
/// The hunt on a small hand-made org: a chat integration's token used from Tor for reconnaissance and a
/// secret search, then from a VPS for a Bulk API 2.0 export deleted after completion; around it, a marketing
/// integration's nightly Bulk export, an advisor's daily report export and public-site guest visitors.
/// </summary>
public sealed class HuntFixtureTests
{
    private const string Chat = "0058X000001ChaTQAS";
    private static readonly string Org = Fixtures.Path("hunt", "org");
    private static readonly Lazy<HuntResult> Result = new(() => HuntEngine.Run(Org, new HuntOptions { Zone = IncidentTime.Zone("America/Chicago"), Threads = 2 }));

    [Fact]
    public void The_token_abuse_is_found_with_its_window_and_suspects()
    {
        var hunt = Result.Value;

        Assert.Equal(DateTimeOffset.Parse("2026-03-12T20:52:14-05:00", System.Globalization.CultureInfo.InvariantCulture), hunt.Window!.Start);
        Assert.Equal(["185.220.101.33", "208.68.36.90"], hunt.Suspects.Ips);
        Assert.Equal([Chat], hunt.Suspects.Users);
        Assert.Equal(["chat.integration@lake.edu"], hunt.Suspects.Usernames);
        Assert.Equal(["Campus_Chat"], hunt.Suspects.ConnectedApps);
        Assert.Equal(["Salesforce-Multi-Org-Fetcher/1.0", "python-requests/2.32.4"], hunt.Suspects.UserAgents);
        Assert.Equal(2, hunt.Suspects.Sessions.Count);
    }

    [Fact]
    public void Benign_identities_are_never_suspects()
    {
        var hunt = Result.Value;

        // Marketing's nightly Bulk export, the advisor's report exports, guest visitors of the catalogue,
        // and the chat integration's own vendor addresses.
        Assert.DoesNotContain("0058X000003MktGQAS", hunt.Suspects.Users);
        Assert.DoesNotContain(hunt.Suspects.Users, u => u != Chat);
        Assert.DoesNotContain("34.231.90.18", hunt.Suspects.Ips);
        Assert.DoesNotContain("52.10.10.10", hunt.Suspects.Ips);
        Assert.DoesNotContain(hunt.Suspects.Ips, ip => ip.StartsWith("73.", StringComparison.Ordinal) || ip.StartsWith("10.", StringComparison.Ordinal));
        Assert.All(hunt.Queries, q => Assert.Equal(Chat, q.User));
    }

    [Fact]
    public void Each_exported_row_is_counted_once_and_a_COUNT_probe_counts_none()
    {
        var hunt = Result.Value;

        // The Bulk job's completion row and its result download both say 5,000: one export.
        Assert.Equal(new Dictionary<string, long> { ["Case"] = 3, ["Contact"] = 5000 }, hunt.RowsByObject);
        Assert.Equal(3, hunt.Queries.Count);
        var count = hunt.Queries[0];
        Assert.Equal(("RestApi", "REST", "SELECT COUNT() FROM Contact", 0L), (count.EventType, count.Api, count.Soql, count.Rows));
        var bulk = hunt.Queries.Single(q => q.EventType == "BulkApi2");
        Assert.Equal(("Bulk2", "Contact", "208.68.36.90", 5000L), (bulk.Api, bulk.Object, bulk.Ip, bulk.Rows));
        Assert.Equal("SELECT Id, FirstName, LastName, Birthdate, Email FROM Contact", bulk.Soql);
        Assert.Equal("7508X0000000015", bulk.JobId![..15]);
        Assert.True(bulk.Evidence.Count >= 5, "every row of the job is cited");
    }

    [Fact]
    public void The_hourly_series_puts_the_attack_s_rows_in_their_hour_and_leaves_them_out_of_the_baseline()
    {
        var hunt = Result.Value;

        Assert.Equal(hunt.RowsByObject, hunt.Activity.Malicious.GroupBy(p => p.Object).ToDictionary(g => g.Key, g => g.Sum(p => p.Rows)));
        var export = hunt.Queries.Single(q => q.EventType == "BulkApi2");
        var hour = Assert.Single(hunt.Activity.Malicious, p => p.Object == "Contact");
        Assert.Equal(export.Time.AddTicks(-(export.Time.Ticks % TimeSpan.TicksPerHour)), hour.Hour);

        // Marketing's nightly job returns 380 contacts at 03:01 UTC every day; the attacker's 5,000 are not
        // in the baseline of their hour.
        var nightly = hunt.Activity.Baseline.Where(p => p.Object == "Contact" && p.Hour.UtcDateTime.Hour == 3).ToList();
        Assert.True(nightly.Count >= 10, $"{nightly.Count} nightly hours");
        Assert.All(nightly, p => Assert.Equal(380, p.Rows));
        Assert.DoesNotContain(hunt.Activity.Baseline, p => p.Hour == hour.Hour && p.Object == "Contact" && p.Rows >= 5000);
        Assert.Equal(hunt.Activity.Baseline.OrderBy(p => p.Hour).ThenBy(p => p.Object, StringComparer.Ordinal), hunt.Activity.Baseline);
    }

    [Fact]
    public void A_bulk_job_deleted_minutes_after_completion_is_flagged()
    {
        var hunt = Result.Value;

        var deletion = Assert.Single(hunt.AntiForensics);
        Assert.Equal("bulk-job-deleted", deletion.Rule);
        Assert.Equal("T1070", deletion.Attack);
        Assert.Equal("208.68.36.90", deletion.Ip);
        Assert.Contains("1.5 minutes after it completed", deletion.Detail, StringComparison.Ordinal);
        Assert.Equal(2, deletion.Evidence.Count);
    }

    [Fact]
    public void Each_behaviour_hunt_that_applies_names_the_attacker()
    {
        var rules = Result.Value.Signals.Select(s => s.Rule).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "new-login-origin", "recon-sequence", "bulk-without-history", "bulk-job-deleted", "secret-soql", "attack-tool-user-agent" },
            rules);
        Assert.DoesNotContain("report-export-student-objects", rules);
        Assert.DoesNotContain("guest-student-reads", rules);
    }

    [Fact]
    public void Setup_changes_to_connected_apps_inside_the_window_are_listed_and_older_ones_are_not()
    {
        var change = Assert.Single(Result.Value.SetupChanges);

        Assert.Equal("connectedAppOauthPolicyChange", change.Action);
        Assert.False(change.BySuspect);
        Assert.Equal("logs/SetupAuditTrail.csv", change.Evidence.Path);
        Assert.Equal(3, change.Evidence.Line);
    }

    [Fact]
    public void Evidence_names_the_file_by_the_SHA_256_of_its_bytes_and_the_line_of_the_row()
    {
        var bulk = Result.Value.Queries.Single(q => q.EventType == "BulkApi2");
        var complete = bulk.Evidence.Single(e => e.Path == "logs/BulkApi2.csv" && File.ReadLines(Path.Combine(Org, e.Path)).ElementAt(e.Line!.Value - 1).Contains("JobComplete", StringComparison.Ordinal));

        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Org, complete.Path))));
        Assert.Equal(expected, complete.Sha256);
        Assert.Contains("208.68.36.90", File.ReadLines(Path.Combine(Org, complete.Path)).ElementAt(complete.Line!.Value - 1), StringComparison.Ordinal);
    }

    [Fact]
    public void The_timeline_is_in_time_order_and_ends_with_the_deletion()
    {
        var timeline = Result.Value.Timeline;

        Assert.Equal(timeline.OrderBy(t => t.Time).Select(t => t.Time), timeline.Select(t => t.Time));
        Assert.Contains(timeline, t => t.Kind == "setup-change");
        Assert.Contains(timeline, t => t.Kind == "signal" && t.EventType == "secret-soql");
        Assert.Contains(timeline.Where(t => t.Kind == "event"), t => t.What.Contains("state Deleted", StringComparison.Ordinal));
    }

    [Fact]
    public void Before_the_attack_nothing_is_malicious()
    {
        var hunt = HuntEngine.Run(Org, new HuntOptions { Until = Instant.FromUtc(2026, 3, 13, 0, 0), Threads = 1 });

        Assert.Null(hunt.Window);
        Assert.False(hunt.FoundMaliciousActivity);
        Assert.Empty(hunt.Suspects.Ips);
        Assert.True(hunt.Input.Rows > 300);
    }
}

using System.Text.Json.Nodes;
using Breachline.Containment;
using Breachline.Containment.Api;

namespace Breachline.Tests.Containment;

public sealed class ContainmentRunTests
{
    private const string Attacker = ContainmentFixture.AttackerId;
    private const string Responder = ContainmentFixture.ResponderId;

    [Fact]
    public async Task A_dry_run_changes_nothing_and_prints_every_write_with_secrets_masked()
    {
        await using var f = await ContainmentFixture.StartAsync();
        var before = f.Server.Snapshot();

        var report = await f.RunAsync(execute: false);

        Assert.Equal(before, f.Server.Snapshot());
        Assert.Empty(f.Server.Writes);
        var writes = report.Requests.Where(r => !r.Sent).ToList();
        Assert.Equal(3, writes.Count(r => r.Method == "POST" && r.Url.EndsWith("/services/oauth2/revoke", StringComparison.Ordinal)));
        Assert.Single(writes, r => r.Method == "PATCH" && r.Url.EndsWith("/sobjects/UserLogin/060000000000001AAA", StringComparison.Ordinal));
        Assert.Equal(2, writes.Count(r => r.Method == "DELETE"));
        Assert.All(report.Requests, r => Assert.Equal("Bearer 00D0…(33)", r.Authorization));
        Assert.DoesNotContain(report.Requests, r => (r.Body ?? "").Contains("secretdeletetoken", StringComparison.Ordinal));
        Assert.Contains(writes, r => r.Body == "token=DEL0…(39)");
        Assert.Empty(f.Store.Journal(report.PlanId));
    }

    [Fact]
    public async Task Execute_changes_exactly_the_planned_state_and_spares_the_responder()
    {
        await using var f = await ContainmentFixture.StartAsync();

        var report = await f.RunAsync(execute: true);

        Assert.Null(report.StoppedBecause);
        Assert.True(report.Complete);
        // Tokens of the compromised app are gone except the responder's; other apps untouched.
        var tokens = f.Server.OauthTokens.Select(t => (FakeSalesforce.Text(t["AppName"]), FakeSalesforce.Text(t["UserId"]))).ToList();
        Assert.Equal([(ContainmentFixture.AppLabel, Responder), ("Unrelated App", Attacker)], tokens);
        Assert.True(f.Server.UserLogins["060000000000001AAA"]["IsFrozen"]!.GetValue<bool>());
        Assert.False(f.Server.UserLogins["060000000000002AAA"]["IsFrozen"]!.GetValue<bool>());
        Assert.Equal(["0Ak000000000003AAA"], f.Server.Sessions.Keys);
        // Deactivation was not asked for this user.
        Assert.True(f.Server.Users[Attacker]["IsActive"]!.GetValue<bool>());
        Assert.Equal(6, f.Server.Writes.Count);
        Assert.DoesNotContain(f.Server.Writes, w => w.Body.Contains("responder", StringComparison.Ordinal) || w.Path.Contains("060000000000002AAA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_write_is_journaled_before_and_after_in_the_database_and_the_jsonl_file()
    {
        await using var f = await ContainmentFixture.StartAsync();

        var report = await f.RunAsync(execute: true);

        var journal = f.Store.Journal(report.PlanId);
        var before = journal.Where(e => e.Phase == "before").ToList();
        var after = journal.Where(e => e.Phase == "after").ToList();
        Assert.Equal(f.Server.Writes.Count, before.Count);
        Assert.Equal(before.Count, after.Count);
        Assert.All(after, e => Assert.Matches("^[0-9a-f]{64}$", e.BodySha256));
        Assert.All(journal, e => Assert.Equal("test-responder", e.Actor));
        Assert.DoesNotContain(journal, e => (e.RequestBody ?? "").Contains("secretdeletetoken", StringComparison.Ordinal));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.True(before[i].Seq < after[i].Seq);
            Assert.Equal(before[i].Url, after[i].Url);
        }

        var lines = File.ReadAllLines(f.Store.JournalPath);
        Assert.Equal(journal.Count, lines.Length);
        Assert.Equal(journal[^1].Seq, JsonNode.Parse(lines[^1])!["seq"]!.GetValue<long>());
        Assert.Contains(journal, e => e.Phase == "skipped" && e.Note!.Contains(Responder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_run_sends_no_write()
    {
        await using var f = await ContainmentFixture.StartAsync();
        await f.RunAsync(execute: true);
        var writes = f.Server.Writes.Count;
        var state = f.Server.Snapshot();

        var again = await f.RunAsync(execute: true);

        Assert.Equal(writes, f.Server.Writes.Count);
        Assert.Equal(state, f.Server.Snapshot());
        Assert.All(again.Outcomes.Where(o => o.Action.Mode == "api"), o => Assert.Equal("done", o.Status));
    }

    [Fact]
    public async Task A_run_from_a_fresh_workspace_against_a_contained_org_finds_nothing_left_to_change()
    {
        await using var f = await ContainmentFixture.StartAsync();
        await f.RunAsync(execute: true);
        var writes = f.Server.Writes.Count;
        await using var fresh = await ContainmentFixture.StartAsync();
        using var client = f.Client();
        var runner = new ContainmentRunner(fresh.Store, client, new StaticAccessToken(ContainmentFixture.GoodToken), TimeProvider.System, "other-responder");

        var report = await runner.RunAsync(f.Plan(), execute: true, CancellationToken.None);

        Assert.Equal(writes, f.Server.Writes.Count);
        Assert.All(report.Outcomes.Where(o => o.Action.Mode == "api"), o => Assert.Equal("already in the wanted state; nothing sent", o.Detail));
    }

    [Fact]
    public async Task Queries_follow_paging_to_every_token()
    {
        await using var f = await ContainmentFixture.StartAsync(attackerTokens: 7);
        f.Server.PageSize = 2;

        var report = await f.RunAsync(execute: true);

        Assert.True(report.Complete);
        Assert.Equal(7, f.Server.Writes.Count(w => w.Path == "/services/oauth2/revoke"));
        Assert.Contains(f.Server.Seen, r => r.Path.Contains("/query/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_is_refused_when_no_responder_is_named()
    {
        await using var f = await ContainmentFixture.StartAsync();
        var plan = f.Plan(ContainmentFixture.Input() with { Responders = [] });

        await Assert.ThrowsAsync<Breachline.Common.UsageException>(() => f.RunAsync(execute: true, plan: plan));
        Assert.Empty(f.Server.Seen);
    }

    [Fact]
    public async Task Every_connection_goes_to_the_loopback_instance_only()
    {
        await using var f = await ContainmentFixture.StartAsync();

        await f.RunAsync(execute: true);

        Assert.All(f.Server.Seen, r => Assert.StartsWith("127.0.0.1:", r.Host, StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new SalesforceClient(new SalesforceClientOptions { InstanceUrl = new Uri("http://lakeshore.my.salesforce.com") }, new StaticAccessToken("x")));
        using var client = f.Client();
        await Assert.ThrowsAsync<SalesforceHostException>(() => client.SendAsync(new ApiRequest("GET", "//evil.example/services/data"), CancellationToken.None));
        await Assert.ThrowsAsync<SalesforceHostException>(() => client.SendAsync(new ApiRequest("GET", "https://evil.example/services/data"), CancellationToken.None));
    }
}

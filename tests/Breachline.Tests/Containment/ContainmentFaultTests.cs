namespace Breachline.Tests.Containment;

public sealed class ContainmentFaultTests
{
    private const string Attacker = ContainmentFixture.AttackerId;
    private const string Responder = ContainmentFixture.ResponderId;

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_with_backoff()
    {
        await using var f = await ContainmentFixture.StartAsync();
        f.Server.Faults.Add(new Fault("POST", "/services/oauth2/revoke", 429, 1, retryAfter: "0"));
        f.Server.Faults.Add(new Fault("PATCH", "/sobjects/UserLogin/", 500, 2));
        f.Server.Faults.Add(new Fault("GET", "/query", 503, 1));

        var report = await f.RunAsync(execute: true);

        Assert.True(report.Complete);
        Assert.True(f.Server.UserLogins["060000000000001AAA"]["IsFrozen"]!.GetValue<bool>());
        Assert.Contains(f.Retries, r => r.Status == 429);
        Assert.Equal(2, f.Retries.Count(r => r.Status == 500));
        Assert.Contains(f.Retries, r => r.Status == 503);
        Assert.Equal(2, f.Server.Seen.Count(r => r.Method == "PATCH" && r.Path.EndsWith("060000000000001AAA", StringComparison.Ordinal)) - 1);
    }

    [Fact]
    public async Task Retry_After_sets_the_wait_before_the_next_attempt()
    {
        await using var f = await ContainmentFixture.StartAsync();
        f.Server.Faults.Add(new Fault("GET", "/query", 429, 1, retryAfter: "1"));

        await f.RunAsync(execute: false);

        var notice = Assert.Single(f.Retries);
        Assert.Equal(429, notice.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), notice.Delay);
    }

    [Fact]
    public async Task Persistent_server_errors_fail_the_action_and_block_only_its_dependents()
    {
        await using var f = await ContainmentFixture.StartAsync();
        f.Server.Faults.Add(new Fault("PATCH", "/sobjects/UserLogin/", 403, 100));

        var report = await f.RunAsync(execute: true, plan: f.Plan(ContainmentFixture.Input(deactivate: true)));

        var byStep = report.Outcomes.ToDictionary(o => o.Action.Step, o => o.Status);
        Assert.Equal("done", byStep["revoke-app-tokens"]);
        Assert.Equal("failed", byStep["freeze-users"]);
        Assert.Equal("blocked", byStep["kill-user-sessions"]);
        Assert.Equal("blocked", byStep["deactivate-users"]);
        Assert.Contains("INSUFFICIENT_ACCESS", report.Outcomes.Single(o => o.Action.Step == "freeze-users").Detail, StringComparison.Ordinal);
        Assert.Equal(3, f.Server.Sessions.Count);
        Assert.True(f.Server.Users[Attacker]["IsActive"]!.GetValue<bool>());
        Assert.False(report.Complete);
        var states = f.Store.States(report.PlanId);
        Assert.Equal("failed", states[$"freeze-users:{Attacker}"].Status);
        Assert.Equal("done", states[$"revoke-app-tokens:Campus_Chat"].Status);
    }

    [Fact]
    public async Task An_expired_token_stops_the_run_with_a_clear_message_and_changes_nothing()
    {
        await using var f = await ContainmentFixture.StartAsync();
        f.Server.ExpiredTokens.Add("00D000000000001!expired-token");
        var before = f.Server.Snapshot();

        var report = await f.RunAsync(execute: true, token: "00D000000000001!expired-token");

        Assert.NotNull(report.StoppedBecause);
        Assert.Contains("expired or been revoked", report.StoppedBecause, StringComparison.Ordinal);
        Assert.Contains("INVALID_SESSION_ID", report.StoppedBecause, StringComparison.Ordinal);
        Assert.Equal(before, f.Server.Snapshot());
        Assert.All(report.Outcomes.Where(o => o.Action.Mode == "api").Skip(1), o => Assert.Equal("not-reached", o.Status));
    }

    [Fact]
    public async Task A_crash_mid_run_resumes_without_repeating_completed_writes()
    {
        await using var f = await ContainmentFixture.StartAsync(attackerTokens: 5);
        using var crash = new CancellationTokenSource();
        f.Server.AfterWrite = n =>
        {
            if (n == 2)
            {
                crash.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => f.RunAsync(execute: true, ct: crash.Token));
        // Two of five attacker tokens revoked before the crash; the responder's token is never touched.
        Assert.Equal(3, f.Server.OauthTokens.Count(t => FakeSalesforce.Text(t["UserId"]) == Attacker && FakeSalesforce.Text(t["AppName"]) == ContainmentFixture.AppLabel));
        f.Server.AfterWrite = null;

        var report = await f.RunAsync(execute: true);

        Assert.True(report.Complete);
        var revokes = f.Server.Writes.Where(w => w.Path == "/services/oauth2/revoke").Select(w => w.Body).ToList();
        Assert.Equal(5, revokes.Count);
        Assert.Equal(revokes.Count, revokes.Distinct().Count());
        Assert.Single(f.Server.Writes, w => w.Method == "PATCH");
        Assert.Single(f.Server.OauthTokens, t => FakeSalesforce.Text(t["AppName"]) == ContainmentFixture.AppLabel);
        var states = f.Store.States(report.PlanId);
        Assert.All(report.Outcomes.Where(o => o.Action.Mode == "api"), o => Assert.Equal("done", states[o.Action.Id].Status));
    }

    [Fact]
    public async Task A_session_that_ended_between_query_and_delete_counts_as_ended()
    {
        await using var f = await ContainmentFixture.StartAsync();
        // The session expires on its own just as the DELETE arrives: the org answers 404.
        f.Server.BeforeRequest = (method, path) =>
        {
            if (method == "DELETE" && path.EndsWith("0Ak000000000001AAA", StringComparison.Ordinal))
            {
                f.Server.Sessions.Remove("0Ak000000000001AAA");
            }
        };

        var report = await f.RunAsync(execute: true);

        Assert.True(report.Complete);
        Assert.Equal(["0Ak000000000003AAA"], f.Server.Sessions.Keys);
        Assert.Contains(f.Store.Journal(report.PlanId), e => e.Phase == "after" && e.Status == 404);
    }

    [Fact]
    public async Task A_write_the_org_answers_but_does_not_apply_fails_verification()
    {
        await using var f = await ContainmentFixture.StartAsync();
        f.Server.Faults.Add(new Fault("DELETE", "/sobjects/AuthSession/", 404, 1));

        var report = await f.RunAsync(execute: true);

        var kill = report.Outcomes.Single(o => o.Action.Step == "kill-user-sessions");
        Assert.Equal("failed", kill.Status);
        Assert.Contains("still need the change", kill.Detail, StringComparison.Ordinal);
        Assert.False(report.Complete);
    }
}

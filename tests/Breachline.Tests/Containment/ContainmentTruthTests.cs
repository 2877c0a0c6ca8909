using Breachline.Containment;
using Breachline.Org;
using Breachline.Sample;

namespace Breachline.Tests.Containment;

/// <summary>
/// For each sample scenario, a containment input filled as a perfect scan and hunt would fill it (from the
/// org export and truth.json's attack) must give a plan that stops the attack, and never one that locks out
/// the org's own admin.
/// </summary>
public sealed class ContainmentTruthTests(SampleOrgs orgs) : IClassFixture<SampleOrgs>
{
    // The sample org's CRM administrator (records/User.csv), who runs the response.
    private const string AdminId = "0058n0000048XgIAAU";
    private const string AdminUsername = "it.admin@lakeshore-state.edu";

    private (ContainmentInput Input, TruthDocument Truth, OrgExport Org) FromSample(SampleScenario scenario, bool adminAlsoSuspected = false)
    {
        var result = orgs.Get(scenario);
        var org = OrgExport.Open(result.Root);
        var truth = result.Truth;
        var attack = truth.Attack;
        var rules = truth.Findings
            .Where(f => f.Pattern is "guest-exposure" or "open-sharing" && f.Path.Contains("/sharingRules/", StringComparison.Ordinal))
            .Select(f => ContainmentInputs.SharingRuleAt(org, f.Path, f.Line, $"{f.Pattern}: {f.What}"))
            .OfType<OpenSharingRule>()
            .ToList();
        var users = attack.Users.Select((id, i) => new AttackerUser(id, attack.Usernames.ElementAtOrDefault(i), "hunt: used by the attacker")).ToList();
        if (adminAlsoSuspected)
        {
            users.Add(new AttackerUser(AdminId, AdminUsername, "hunt: admin logged in during the window"));
        }

        var input = new ContainmentInput
        {
            ConnectedApps = [.. attack.ConnectedApps.Select(a => ContainmentInputs.ConnectedApp(org, a, "hunt: app of the attacker's sessions"))],
            Users = users,
            Ips = attack.Ips,
            SharingRules = rules,
            Credentials = [.. truth.Findings.Where(f => f.Pattern == "hardcoded-credential").Select(f => new HardcodedCredential("xxxx…(0)", "secret", f.Path, f.Line, null, f.What))],
            Responders = [new ProtectedUser(AdminId, AdminUsername, "System Administrator")],
        };
        return (input, truth, org);
    }

    [Theory]
    [InlineData(SampleScenario.TokenTheft)]
    [InlineData(SampleScenario.GuestExposure)]
    [InlineData(SampleScenario.PortalCredentials)]
    public void The_plan_stops_each_scenarios_attack(SampleScenario scenario)
    {
        var (input, truth, _) = FromSample(scenario);

        var plan = ContainmentPlanner.Build(input, Playbook.LoadBuiltIn());

        foreach (var app in truth.Attack.ConnectedApps)
        {
            var revoke = plan.Find($"revoke-app-tokens:{app}");
            Assert.NotNull(revoke);
            // Tokens are found by the app's label, read from its metadata.
            Assert.NotEqual(app, revoke.Target.Fields["label"]);
        }

        foreach (var user in truth.Attack.Users)
        {
            Assert.NotNull(plan.Find($"freeze-users:{user}"));
            Assert.NotNull(plan.Find($"kill-user-sessions:{user}"));
        }

        var exploitedRules = truth.Findings.Where(f => f.Exploited == true && f.Path.Contains("/sharingRules/", StringComparison.Ordinal)).ToList();
        foreach (var finding in exploitedRules)
        {
            Assert.Contains(plan.Actions, a => a.Step == "disable-open-sharing-rule" && a.Target.Fields["file"] == finding.Path);
        }

        Assert.Equal(scenario == SampleScenario.GuestExposure, exploitedRules.Count > 0);
        Assert.DoesNotContain(plan.Actions, a => a.Target.Key == AdminId || a.Target.Display.Contains(AdminUsername, StringComparison.Ordinal));
    }

    [Fact]
    public void The_guest_rule_of_the_guest_exposure_scenario_is_named_from_its_finding_line()
    {
        var (input, truth, _) = FromSample(SampleScenario.GuestExposure);

        var exploited = truth.Findings.Single(f => f.Exploited == true && f.Path.Contains("/sharingRules/", StringComparison.Ordinal));
        var rule = Assert.Single(input.SharingRules, r => r.File == exploited.Path);

        Assert.Equal("guest", rule.Kind);
        Assert.Equal("Contact", rule.Object);
        Assert.True(rule.Line <= exploited.Line);
    }

    [Fact]
    public void A_suspected_admin_who_runs_the_response_is_never_frozen()
    {
        var (input, _, _) = FromSample(SampleScenario.TokenTheft, adminAlsoSuspected: true);

        var plan = ContainmentPlanner.Build(input, Playbook.LoadBuiltIn());

        Assert.DoesNotContain(plan.Actions, a => a.Target.Key == AdminId);
        Assert.Contains(plan.Refused, r => r.Target.Contains(AdminUsername, StringComparison.Ordinal) && r.Why.Contains("lock out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Executed_against_the_token_theft_org_the_app_tokens_are_gone_and_the_user_frozen()
    {
        var (input, truth, _) = FromSample(SampleScenario.TokenTheft);
        await using var f = await ContainmentFixture.StartAsync(attackerTokens: 0);
        var user = truth.Attack.Users[0];
        var label = input.ConnectedApps[0].Label!;
        f.Server.SeedIncident(label, user, AdminId, attackerTokens: 2);

        var report = await f.RunAsync(execute: true, plan: ContainmentPlanner.Build(input, Playbook.LoadBuiltIn()));

        Assert.True(report.Complete);
        Assert.DoesNotContain(f.Server.OauthTokens, t => FakeSalesforce.Text(t["AppName"]) == label && FakeSalesforce.Text(t["UserId"]) == user);
        Assert.Contains(f.Server.OauthTokens, t => FakeSalesforce.Text(t["UserId"]) == AdminId);
        Assert.True(f.Server.UserLogins.Values.Any(l => FakeSalesforce.Text(l["UserId"]) == user && l["IsFrozen"]!.GetValue<bool>()), f.Server.Snapshot() + string.Join("\n", report.Outcomes.Select(o => $"{o.Action.Id} {o.Status} {o.Detail}")));
        Assert.Contains(f.Server.UserLogins.Values, l => FakeSalesforce.Text(l["UserId"]) == AdminId && !l["IsFrozen"]!.GetValue<bool>());
    }
}

/// <summary>One generated org per scenario, shared by the tests of a class (generation is the slow part).</summary>
public sealed class SampleOrgs : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<SampleScenario, SampleResult> _orgs = [];
    private readonly Lock _lock = new();

    public SampleResult Get(SampleScenario scenario)
    {
        lock (_lock)
        {
            if (!_orgs.TryGetValue(scenario, out var result))
            {
                _orgs[scenario] = result = SampleOrg.Generate(new SampleOptions(Seed: 3, Students: 40, Days: 5, Scenario: scenario), _dir.Combine(scenario.ToString()));
            }

            return result;
        }
    }

    public void Dispose() => _dir.Dispose();
}

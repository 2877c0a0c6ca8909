using Breachline.Common;
using Breachline.Containment;

namespace Breachline.Tests.Containment;

public sealed class ContainmentPlanTests
{
    private static ContainmentPlan Plan(ContainmentInput input) => ContainmentPlanner.Build(input, Playbook.LoadBuiltIn());

    [Fact]
    public void The_built_in_playbook_loads_and_every_step_has_a_citation_and_a_check_date()
    {
        var playbook = Playbook.LoadBuiltIn();

        Assert.True(playbook.Steps.Count >= 12);
        Assert.All(playbook.Steps, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Citation));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", s.CheckedOn);
        });
    }

    [Fact]
    public void The_plan_revokes_the_app_tokens_freezes_the_user_and_removes_the_open_rule_in_that_order()
    {
        var plan = Plan(ContainmentFixture.Input());

        var steps = plan.Actions.Select(a => a.Step).ToList();
        Assert.Equal(
            ["revoke-app-tokens", "block-app", "restrict-app-to-approved-users", "freeze-users", "kill-user-sessions", "enforce-app-ip-restrictions",
             "integration-profile-login-ip-ranges", "remove-api-enabled", "disable-open-sharing-rule", "rotate-credential", "transaction-security-policy"],
            steps);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], plan.Actions.Select(a => a.Order));
        var kill = plan.Find($"kill-user-sessions:{ContainmentFixture.AttackerId}")!;
        Assert.Equal([$"freeze-users:{ContainmentFixture.AttackerId}"], kill.DependsOn);
        var revoke = plan.Find("revoke-app-tokens:Campus_Chat")!;
        Assert.Equal("hunt: OAuth logins of Campus Chat from Tor exits", revoke.Reason);
        Assert.Equal("medium", revoke.Risk);
        Assert.False(string.IsNullOrEmpty(revoke.Reversal));
        Assert.Equal("disable-open-sharing-rule:Contact.Share_Contacts", plan.Actions.Single(a => a.Step == "disable-open-sharing-rule").Id);
    }

    [Fact]
    public void Deactivation_is_planned_only_for_users_marked_for_it_and_after_the_freeze()
    {
        Assert.DoesNotContain(Plan(ContainmentFixture.Input()).Actions, a => a.Step == "deactivate-users");

        var plan = Plan(ContainmentFixture.Input(deactivate: true));

        var deactivate = Assert.Single(plan.Actions, a => a.Step == "deactivate-users");
        Assert.Contains($"freeze-users:{ContainmentFixture.AttackerId}", deactivate.DependsOn);
        Assert.True(deactivate.Order > plan.Find($"freeze-users:{ContainmentFixture.AttackerId}")!.Order);
    }

    [Fact]
    public void A_credential_is_a_checklist_item_with_an_owner_and_only_its_masked_value()
    {
        var input = ContainmentFixture.Input() with
        {
            Credentials = [new HardcodedCredential("AKIA…(20)", "aws-access-key", "integrations/portal-sync/config.py", 12, "portal team (j.doe)", "F-0007")],
        };

        var rotate = Assert.Single(Plan(input).Actions, a => a.Step == "rotate-credential");

        Assert.Equal("manual", rotate.Mode);
        Assert.Equal("portal team (j.doe)", rotate.Owner);
        Assert.Equal("aws-access-key AKIA…(20) at integrations/portal-sync/config.py:12", rotate.Target.Display);
        Assert.Contains("owner of the system", Assert.Single(Plan(ContainmentFixture.Input()).Actions, a => a.Step == "rotate-credential").Owner, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_trusted_ranges_the_profile_ip_action_waits_for_input_instead_of_inventing_ranges()
    {
        var plan = Plan(ContainmentFixture.Input() with { TrustedIpRanges = [] });

        var action = Assert.Single(plan.Actions, a => a.Step == "integration-profile-login-ip-ranges");
        Assert.NotNull(action.NeedsInput);
    }

    [Fact]
    public void No_action_ever_targets_the_responders_user_profile_or_app()
    {
        var responder = ContainmentFixture.Input().Responders[0];
        var input = ContainmentFixture.Input() with
        {
            // The hunt (wrongly) lists the responder among the attacker's users, by id and by username.
            Users =
            [
                new AttackerUser(ContainmentFixture.AttackerId, "integration.sync@lakeshore.edu", "hunt"),
                new AttackerUser(responder.Id[..15], null, "hunt", Deactivate: true),
                new AttackerUser("005000000000077AAA", responder.Username, "hunt", Deactivate: true),
            ],
            ApiEnabledProfiles = [new ProfileRef("System Administrator", "F-1"), new ProfileRef("Standard User", "F-2")],
            IntegrationProfiles = [new ProfileRef("system administrator", "F-3")],
            ConnectedApps = [.. ContainmentFixture.Input().ConnectedApps, new CompromisedApp("Breachline_Responder", "Breachline Responder", null, null, "hunt")],
            ResponderApps = ["Breachline Responder"],
        };

        var plan = Plan(input);

        Assert.DoesNotContain(plan.Actions, a => a.Target.Kind == "users" && a.Target.Key != ContainmentFixture.AttackerId);
        Assert.DoesNotContain(plan.Actions, a => a.Target.Key.Equals("System Administrator", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(plan.Actions, a => a.Target.Key == "Breachline_Responder");
        Assert.Contains(plan.Actions, a => a.Target.Key == "Standard User");
        Assert.Equal((2 * 3) + 2 + 4, plan.Refused.Count);
        Assert.All(plan.Refused, r => Assert.False(string.IsNullOrEmpty(r.Why)));
    }

    [Fact]
    public void The_same_input_gives_the_same_plan_id_so_a_rerun_resumes_it()
    {
        Assert.Equal(Plan(ContainmentFixture.Input()).PlanId, Plan(ContainmentFixture.Input()).PlanId);
        Assert.NotEqual(Plan(ContainmentFixture.Input()).PlanId, Plan(ContainmentFixture.Input(deactivate: true)).PlanId);
    }

    [Fact]
    public void Malformed_ids_in_the_input_are_refused_with_the_field_named()
    {
        var input = ContainmentFixture.Input() with { Users = [new AttackerUser("00X' OR Id != '", null, "hunt")], Ips = ["not-an-ip"] };

        var e = Assert.Throws<InputException>(() => Plan(input));

        Assert.Contains(e.Problems, p => p.Field == "users[0].id");
        Assert.Contains(e.Problems, p => p.Field == "ips[0]");
    }

    [Fact]
    public void Values_put_into_SOQL_are_escaped()
    {
        var soql = ContainmentRunner.Fill("SELECT Id FROM OauthToken WHERE AppName = '{label}'", new Dictionary<string, string> { ["label"] = @"O'Brien\ App" });

        Assert.Equal(@"SELECT Id FROM OauthToken WHERE AppName = 'O\'Brien\\ App'", soql);
    }

    [Fact]
    public void A_playbook_with_errors_is_refused_naming_file_line_entry_and_field()
    {
        const string yaml = """
            schema: breachline/containment-playbook/v1
            steps:
              - id: revoke
                title: Revoke
                for: connectedApps
                mode: api
                effect: e
                risk: extreme
                disruption: d
                reversal: r
                citation: c
                checkedOn: 2026-11-28
                api:
                  query: "SELECT Id FROM OauthToken WHERE AppName = '{nickname}'"
                  request:
                    method: POST
                    path: https://evil.example/steal
              - id: later
                title: Later
                for: users
                mode: manual
                dependsOn: [nothing]
                effect: e
                risk: low
                disruption: d
                reversal: r
                citation: c
            """;

        var e = Assert.Throws<InputException>(() => Playbook.Parse(yaml, "my-playbook.yaml"));

        Assert.All(e.Problems, p => Assert.Equal("my-playbook.yaml", p.File));
        Assert.Contains(e.Problems, p => p.Field == "revoke.risk" && p.Line == 3);
        Assert.Contains(e.Problems, p => p.Field == "revoke.api.query" && p.Message.Contains("{nickname}", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Field == "revoke.api.request.path");
        Assert.Contains(e.Problems, p => p.Field == "later.dependsOn");
        Assert.Contains(e.Problems, p => p.Field == "later.checkedOn");
        Assert.Contains(e.Problems, p => p.Field == "later.manual");
    }

    [Fact]
    public void Unknown_keys_in_a_playbook_are_refused_with_their_line()
    {
        const string yaml = """
            schema: breachline/containment-playbook/v1
            steps:
              - id: x
                titel: typo
            """;

        var e = Assert.Throws<InputException>(() => Playbook.Parse(yaml, "p.yaml"));

        Assert.Equal(4, e.Problems[0].Line);
    }
}

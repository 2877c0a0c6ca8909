using Breachline.Common;
using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

public sealed class HuntRuleTests
{
    [Fact]
    public void The_shipped_hunts_load_each_with_a_rationale_and_a_technique()
    {
        var rules = HuntRules.All;

        Assert.Equal(
            ["attack-tool-user-agent", "bulk-job-deleted", "bulk-without-history", "guest-student-reads", "new-login-origin", "recon-sequence",
             "report-export-student-objects", "rows-above-baseline", "secret-soql", "setup-changes-in-window"],
            rules.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(rules, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Rationale));
            Assert.Matches(@"^T\d{4}(\.\d{3})?$", r.Attack);
            Assert.NotEqual(default, r.CheckedOn);
        });
    }

    [Fact]
    public void A_hunt_with_an_unknown_detector_or_a_parameter_its_detector_does_not_read_is_refused_naming_file_and_field()
    {
        var error = Assert.Throws<InputException>(() => HuntRules.Parse(
            "id: odd\ntitle: Odd\ndetector: bulk-job-deleted\nscore: 10\nrationale: because\nattack: T99\ncheckedOn: 2026-11-28\nparameters:\n  minutes: 5\n  minRows: 3\n",
            "odd.yaml"));

        Assert.Contains(error.Problems, p => p.File == "odd.yaml" && p.Field == "odd.parameters.minRows");
        Assert.Contains(error.Problems, p => p.Field == "odd.attack");

        var unknown = Assert.Throws<InputException>(() => HuntRules.Parse(
            "id: odd\ntitle: Odd\ndetector: magic\nscore: 10\nrationale: because\ncheckedOn: 2026-11-28\n", "odd.yaml"));
        Assert.Contains(unknown.Problems, p => p.Field == "odd.detector" && p.Message.Contains("magic", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hunt_with_an_invalid_regular_expression_is_refused()
    {
        var error = Assert.Throws<InputException>(() => HuntRules.Parse(
            "id: odd\ntitle: Odd\ndetector: soql-pattern\nscore: 10\nrationale: because\ncheckedOn: 2026-11-28\nparameters:\n  patterns: ['(unclosed']\n", "odd.yaml"));

        Assert.Contains(error.Problems, p => p.Field == "odd.parameters.patterns");
    }

    [Theory]
    [InlineData("SELECT Id, Description FROM Case WHERE Description LIKE '%AKIA%'", true)]
    [InlineData("SELECT Id FROM Account WHERE Name LIKE '%snowflakecomputing.com%'", true)]
    [InlineData("select id from Contact where Notes__c like 'password%'", true)]
    [InlineData("SELECT Id, FirstName FROM Contact WHERE Email = :email LIMIT 1", false)]
    [InlineData("SELECT Id, Password_Reset_Requested__c FROM Contact", false)]
    public void SOQL_searching_record_text_for_secrets_is_recognised(string soql, bool secret)
    {
        var rule = new CompiledRule(HuntRules.All.Single(r => r.Id == "secret-soql"));

        Assert.Equal(secret, rule.Regexes.Any(r => r.IsMatch(soql)));
    }

    [Theory]
    [InlineData("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'from x'", "Account")]
    [InlineData("select count() from hed__Course_Enrollment__c", "hed__Course_Enrollment__c")]
    [InlineData("SELECT Id FROM Contact USING SCOPE EVERYTHING WHERE id = :id", "Contact")]
    public void The_object_of_a_query_is_its_outer_FROM(string soql, string expected) =>
        Assert.Equal(expected, Soql.MainObject(soql));
}

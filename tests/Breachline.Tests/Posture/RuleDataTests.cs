using Breachline.Common;
using Breachline.Posture;
using Breachline.Posture.Secrets;

namespace Breachline.Tests.Posture;

public sealed class RuleDataTests
{
    [Fact]
    public void The_shipped_rules_load_and_cover_every_family_and_leak_pattern()
    {
        var rules = PostureRules.BuiltIn;

        Assert.Equal(["logging", "oauth", "privilege", "secrets", "sharing", "transfer"], rules.Select(r => r.Family).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(LeakPatterns.All.Order(StringComparer.Ordinal), rules.Select(r => r.Pattern).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rules, r => Assert.NotEmpty(r.Criteria));
    }

    [Fact]
    public void The_shipped_secret_patterns_load_with_keywords_and_the_required_families()
    {
        var ids = SecretRules.BuiltIn.Patterns.Select(p => p.Id).ToHashSet();

        foreach (var id in new[] { "salesforce-access-token", "salesforce-refresh-token", "salesforce-consumer-key", "salesforce-consumer-secret", "aws-access-key-id", "google-api-key", "azure-storage-connection-string", "slack-token", "github-token", "snowflake-credentials", "database-url-with-password", "jdbc-password", "odbc-connection-string", "private-key", "lti-shared-secret", "canvas-access-token", "moodle-token", "blackboard-secret", "generic-password-assignment" })
        {
            Assert.Contains(id, ids);
        }
    }

    [Fact]
    public void An_invalid_rule_is_refused_naming_the_file_line_rule_and_field()
    {
        var file = DataFile.Parse<RuleFile>("""
            family: oauth
            rules:
              - id: good-rule
                pattern: over-permissive-oauth
                severity: high
                title: t
                rationale: r
                remediation: m
                criteria: [CC6.1]
                check: connected-app-scope
                with: { scopes: [Full] }
                reference: https://example.org
                checkedOn: 2026-11-28
              - id: bad-rule
                pattern: leaky
                severity: urgent
                title: t
                rationale: r
                remediation: m
                criteria: [CC99]
                check: connected-app-setting
                with: { element: [noSuchElement], colour: [red] }
                reference: https://example.org
                checkedOn: yesterday
            """, "data/rules/oauth.yaml");

        var e = Assert.Throws<InputException>(() => PostureRules.Create([("data/rules/oauth.yaml", file)], new RuleListFile()));

        var fields = e.Problems.Select(p => p.Field).ToList();
        Assert.All(e.Problems, p => Assert.Equal(("data/rules/oauth.yaml", 14), (p.File, p.Line!.Value)));
        Assert.Contains("bad-rule.pattern", fields);
        Assert.Contains("bad-rule.severity", fields);
        Assert.Contains("bad-rule.criteria", fields);
        Assert.Contains("bad-rule.with.colour", fields);
        Assert.Contains("bad-rule.checkedOn", fields);
        Assert.DoesNotContain(e.Problems, p => p.Field!.StartsWith("good-rule", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rule_naming_an_undefined_list_or_unknown_check_is_refused()
    {
        var file = DataFile.Parse<RuleFile>("""
            family: sharing
            rules:
              - id: a
                pattern: open-sharing
                severity: high
                title: t
                rationale: r
                remediation: m
                criteria: [CC6.3]
                check: object-sharing
                with: { objects: ["@nope"], element: [sharingModel], values: [ReadWrite] }
                reference: https://example.org
                checkedOn: 2026-11-28
              - id: b
                pattern: open-sharing
                severity: high
                title: t
                rationale: r
                remediation: m
                criteria: [CC6.3]
                check: telepathy
                reference: https://example.org
                checkedOn: 2026-11-28
            """, "sharing.yaml");

        var e = Assert.Throws<InputException>(() => PostureRules.Create([("sharing.yaml", file)], new RuleListFile()));

        Assert.Contains(e.Problems, p => p.Field == "a.with.objects" && p.Message.Contains("@nope", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Field == "b.check" && p.Message.Contains("telepathy", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_secret_pattern_is_refused_naming_its_field()
    {
        var file = DataFile.Parse<SecretPatternFile>("""
            family: custom
            patterns:
              - id: broken
                title: Broken
                severity: high
                keywords: []
                regex: '(unclosed'
                reference: https://example.org
                checkedOn: 2026-11-28
            """, "custom.yaml");

        var e = Assert.Throws<InputException>(() => SecretRules.Create([("custom.yaml", file)], ("filters.yaml", new SecretFilterFile())));

        Assert.Contains(e.Problems, p => p.Field == "broken.regex");
        Assert.Contains(e.Problems, p => p.Field == "broken.keywords");
    }
}

using Breachline.Exposure.Soql;
using NodaTime;

namespace Breachline.Tests.Exposure;

public sealed class SoqlParserTests
{
    [Fact]
    public void A_full_statement_of_the_subset_is_understood()
    {
        var q = SoqlParser.Parse("SELECT Id, Account.Name, toLabel(hed__Status__c) FROM Contact USING SCOPE everything WHERE (Email LIKE '%@example.edu' OR NOT Phone = null) AND Birthdate < 2005-01-01 AND CreatedDate >= 2026-03-01T00:00:00Z AND LeadSource IN ('Web', 'Portal') AND hed__Race__c INCLUDES ('Asian;White', 'Other') WITH SECURITY_ENFORCED ORDER BY LastName DESC NULLS LAST, FirstName LIMIT 100 OFFSET 20 FOR VIEW");

        Assert.True(q.FullyUnderstood, string.Join("; ", q.NotUnderstood));
        Assert.Equal("Contact", q.Object);
        Assert.Equal(["Id", "Account.Name", "hed__Status__c"], q.Fields!.Select(f => f.Text));
        Assert.True(q.Fields![1].IsRelationship);
        Assert.Equal("everything", q.Scope);
        Assert.Equal(100, q.Limit);
        Assert.Equal(20, q.Offset);
        Assert.Equal(2, q.OrderBy.Count);
        Assert.True(q.OrderBy[0].Descending);
        Assert.False(q.OrderBy[0].NullsFirst);
        Assert.IsType<AndExpr>(q.Where);
    }

    [Fact]
    public void Count_probes_are_recognised()
    {
        var q = SoqlParser.Parse("select count() from hed__Course_Enrollment__c where hed__Status__c = 'Former'");

        Assert.True(q.IsCount);
        Assert.Equal("hed__Course_Enrollment__c", q.Object);
    }

    [Fact]
    public void Relative_date_literals_are_resolved_against_the_query_time_in_its_zone()
    {
        var q = SoqlParser.Parse("SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:2 AND Birthdate != TODAY");
        var chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
        // 03:30 UTC on 17 March is still 16 March in Chicago.
        var clock = new QueryClock(Instant.FromUtc(2026, 3, 17, 3, 30), chicago);
        var test = SoqlEvaluator.CompileOnValues(q.Where, p => p.Field == "CreatedDate" ? 0 : 1, clock);

        Assert.True(test(["2026-03-14T05:00:00.000Z", "2000-01-01"]));
        Assert.False(test(["2026-03-14T04:59:00.000Z", "2000-01-01"]));
        Assert.True(test(["2026-03-17T04:59:00.000Z", ""]));
        Assert.False(test(["2026-03-16T12:00:00.000Z", "2026-03-16"]));
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)", "where", "semi-join")]
    [InlineData("SELECT Id FROM Contact WHERE Email = :email", "where", "bind variable")]
    [InlineData("SELECT Id FROM Contact WHERE CALENDAR_YEAR(CreatedDate) = 2026", "where", "CALENDAR_YEAR")]
    [InlineData("SELECT Id FROM Contact WHERE Name = 'unterminated", "where", "value expected")]
    [InlineData("SELECT TYPEOF What WHEN Account THEN Name END FROM Event", "select", "outside the subset")]
    [InlineData("SELECT LeadSource, COUNT(Id) FROM Contact GROUP BY LeadSource", "select", "function COUNT()")]
    public void Statements_outside_the_subset_name_the_part_not_understood(string soql, string clause, string message)
    {
        var q = SoqlParser.Parse(soql);

        Assert.False(q.FullyUnderstood);
        var problem = q.NotUnderstood.First();
        Assert.Equal(clause, problem.Clause);
        Assert.Contains(message, problem.ToString(), StringComparison.Ordinal);
        Assert.NotNull(q.Object);
    }

    [Fact]
    public void An_order_by_not_understood_drops_limit_and_offset_because_the_rows_taken_are_unknown()
    {
        var q = SoqlParser.Parse("SELECT Id FROM Contact ORDER BY DISTANCE(Geo__c, GEOLOCATION(1,2), 'mi') LIMIT 5");

        Assert.Null(q.Limit);
        Assert.Contains(q.NotUnderstood, p => p.Clause == "order-by");
    }

    [Fact]
    public void A_statement_that_is_not_a_select_keeps_the_logs_object()
    {
        var q = SoqlParser.Parse("FIND {Smith} IN ALL FIELDS RETURNING Contact", "Contact");

        Assert.Equal("Contact", q.Object);
        Assert.Null(q.Fields);
        Assert.Single(q.NotUnderstood);
    }

    [Theory]
    [InlineData("50\\%", "50%", true)]
    [InlineData("50\\%", "500", false)]
    [InlineData("o\\'%", "O'Neil", true)]
    [InlineData("_eta", "beta", true)]
    [InlineData("%ph%", "Alpha", true)]
    [InlineData("a%b", "acb", true)]
    [InlineData("a%b", "acbc", false)]
    public void Like_follows_soql_wildcards_and_escapes(string pattern, string value, bool matches) =>
        Assert.Equal(matches, SoqlEvaluator.Like(value, pattern));
}

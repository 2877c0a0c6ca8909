using Breachline.Exposure.Soql;

namespace Breachline.Tests.Hardening;

/// <summary>Hostile SOQL text (it comes from logs an attacker wrote): never thrown, never a stack overflow.</summary>
public sealed class SoqlCorpusTests
{
    // Found while building the corpus: 100,000 nested parentheses overflowed the stack and ended the process.
    [Theory]
    [InlineData("(", ")")]
    [InlineData("NOT ", "")]
    public void Conditions_nested_past_the_limit_are_not_understood_and_every_readable_record_counts(string open, string close)
    {
        var text = "SELECT Id FROM Contact WHERE " + string.Concat(Enumerable.Repeat(open, 100_000)) + "Name = 'x'" + string.Concat(Enumerable.Repeat(close, 100_000));

        var query = SoqlParser.Parse(text);

        Assert.Equal("Contact", query.Object);
        var problem = Assert.Single(query.NotUnderstood);
        Assert.Equal($"conditions nested deeper than {SoqlParser.MaxNesting} levels; the filter is ignored, so every readable record counts", problem.Assumed);
    }

    [Fact]
    public void Nesting_within_the_limit_is_understood()
    {
        var query = SoqlParser.Parse("SELECT Id FROM Contact WHERE " + new string('(', 50) + "Name = 'x'" + new string(')', 50));

        Assert.Empty(query.NotUnderstood);
    }

    [Fact]
    public void A_NUL_inside_a_string_literal_is_part_of_the_value()
    {
        var query = SoqlParser.Parse("SELECT Id FROM Contact WHERE Name = 'a\0b'");

        Assert.True(query.FullyUnderstood);
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Name = 'unterminated")]
    [InlineData("SELECT Id FROM Contact WHERE Name IN (")]
    [InlineData("SELECT Id FROM Contact WHERE CreatedDate > 99999-99-99T99:99:99Z")]
    public void Truncated_or_malformed_conditions_are_recorded_and_the_object_is_still_read(string text)
    {
        var query = SoqlParser.Parse(text);

        Assert.Equal("Contact", query.Object);
        Assert.NotEmpty(query.NotUnderstood);
    }
}

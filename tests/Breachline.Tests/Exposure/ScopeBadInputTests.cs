using Breachline.Exposure;
using Breachline.Org;

namespace Breachline.Tests.Exposure;

/// <summary>Malformed record exports and statements outside the subset: named by file and line, scoped conservatively.</summary>
public sealed class ScopeBadInputTests
{
    private static readonly string Org = Fixtures.Path("scope", "org-small");

    private static ExfiltrationQuery Query(string soql, long rows) =>
        new(new DateTimeOffset(2026, 3, 16, 12, 0, 0, TimeSpan.FromHours(-5)), "005000000000001AAA", "Contact", soql, rows, []);

    private static ScopeResult ScopeWithContacts(string malformed, params ExfiltrationQuery[] queries)
    {
        using var dir = new TempDir();
        ScopeEngineTests.CopyDirectory(Org, dir.Path);
        File.Copy(Fixtures.Path("scope", "malformed", malformed), Path.Combine(dir.Path, "records", "Contact.csv"), overwrite: true);
        return new ScopeEngine(OrgExport.Open(dir.Path)).Run(new ScopeRequest(queries));
    }

    [Fact]
    public void An_unbalanced_quote_is_named_by_file_and_line_and_the_lines_it_swallows_count_as_unattributed()
    {
        var r = ScopeWithContacts("Contact-unbalanced-quote.csv", Query("SELECT Id, Email FROM Contact WHERE LeadSource = 'Web'", 2));

        var problem = Assert.Single(r.Problems);
        Assert.Equal("records/Contact.csv", problem.File);
        Assert.Equal(4, problem.Line);
        Assert.True(problem.Message.Contains("not closed", StringComparison.Ordinal), problem.Message);
        Assert.True(problem.Message.Contains("lines 4–6", StringComparison.Ordinal), problem.Message);
        // Ana (line 2) is still scoped; Patel (line 5, a Web lead) is inside the swallowed lines and counted unattributed.
        Assert.Equal(1, r.Individuals);
        Assert.Equal(3, r.UnattributedRows["Contact"]);
        Assert.Contains(r.Queries[0].Notes, n => n.Contains("3 rows of records/Contact.csv could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_counts_as_an_unattributed_row()
    {
        using var dir = new TempDir();
        ScopeEngineTests.CopyDirectory(Org, dir.Path);
        File.AppendAllText(Path.Combine(dir.Path, "records", "Contact.csv"), "003000000000009AAA,Broken,Row\n");

        var r = new ScopeEngine(OrgExport.Open(dir.Path)).Run(new ScopeRequest([Query("SELECT Id, Email FROM Contact", 6)]));

        Assert.Equal(7, Assert.Single(r.Problems).Line);
        Assert.Equal(5, r.Queries[0].RecordsReconstructed);
        Assert.Equal(1, r.UnattributedRows["Contact"]);
    }

    [Fact]
    public void An_export_without_an_id_column_is_refused_at_line_1_and_every_logged_row_counts_as_unattributed()
    {
        var r = ScopeWithContacts("Contact-no-id.csv", Query("SELECT Id, Email FROM Contact WHERE LeadSource = 'Web'", 2), Query("SELECT Id, Email FROM Contact", -1));

        var problem = Assert.Single(r.Problems);
        Assert.Equal(("records/Contact.csv", 1, "Id"), (problem.File, problem.Line, problem.Field));
        Assert.Equal(0, r.Individuals);
        // The logged 2 rows, plus every one of the file's 5 rows for the query whose row count the log does not give.
        Assert.Equal(7, r.UnattributedRows["Contact"]);
        Assert.All(r.Queries, q => Assert.Contains(q.Notes, n => n.Contains("records/Contact.csv cannot be read (no Id column)", StringComparison.Ordinal)));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_named_by_line_and_a_filter_on_them_counts_the_record_as_returned()
    {
        var r = ScopeWithContacts("Contact-invalid-utf8.csv", Query("SELECT Id, Email FROM Contact WHERE LastName = 'Alvarez'", 1));

        var problem = Assert.Single(r.Problems);
        Assert.Equal(("records/Contact.csv", 3), (problem.File, problem.Line));
        Assert.Contains("not UTF-8", problem.Message, StringComparison.Ordinal);
        // Alvarez matches; Brown's garbled last name cannot be compared, so it counts (conservative).
        Assert.Equal(2, r.Individuals);
        Assert.Equal(2, r.Queries[0].RecordsReconstructed);
    }

    [Fact]
    public void Garbled_bytes_outside_the_filter_do_not_widen_the_scope()
    {
        var r = ScopeWithContacts("Contact-invalid-utf8.csv", Query("SELECT Id, Email FROM Contact WHERE LeadSource = 'Web'", 2));

        Assert.Single(r.Problems);
        Assert.Equal(2, r.Individuals);
    }

    [Theory]
    [InlineData("SELEC Id FRM Contact")]
    [InlineData("SELECT Id, Email FROM Contact ORDER BY LIMIT 1")]
    [InlineData("SELECT Id, Email FROM Contact WHERE Id IN (SELECT ContactId FROM Case)")]
    [InlineData("SELECT Id, Email FROM Contact WHERE LastName = 'unterminated")]
    public void Unparseable_soql_names_the_part_not_understood_and_counts_every_record_the_identity_could_read(string soql)
    {
        var r = new ScopeEngine(OrgExport.Open(Org)).Run(new ScopeRequest([Query(soql, -1)]));

        var q = Assert.Single(r.Queries);
        Assert.False(q.Understood);
        Assert.NotEmpty(q.NotUnderstood);
        Assert.All(q.NotUnderstood, p => Assert.False(string.IsNullOrWhiteSpace(p.Text), p.ToString()));
        Assert.Equal(5, q.RecordsReconstructed);
    }
}

using Breachline.Exposure;
using Breachline.Org;

namespace Breachline.Tests.Exposure;

public sealed class ScopeEngineTests
{
    private static readonly string Org = Fixtures.Path("scope", "org-small");

    private static ScopeResult Scope(string? outDir = null, Func<ExfiltrationQuery, bool>? which = null, string? org = null)
    {
        var input = HuntQueries.Load(Fixtures.Path("scope", "queries.json"));
        var queries = input.Queries.Where(which ?? (_ => true)).ToList();
        return new ScopeEngine(OrgExport.Open(org ?? Org)).Run(new ScopeRequest(queries, input.Via, outDir));
    }

    [Fact]
    public void Every_query_is_reconstructed_from_the_record_exports_and_resolved_to_people()
    {
        var r = Scope();

        Assert.Equal(5, r.Individuals);
        Assert.Equal(new Dictionary<string, long> { ["Contact"] = 5, ["hed__Term_Grade__c"] = 2 }, r.Records);
        Assert.Equal(new Dictionary<string, long> { ["name"] = 4, ["email"] = 4, ["dob"] = 2, ["ssn"] = 2, ["education_record"] = 2 }.OrderBy(p => p.Key), r.ByElement.OrderBy(p => p.Key));
        Assert.Equal(new Dictionary<string, long> { ["US-IL"] = 2, ["FR"] = 1, ["CA-ON"] = 1, ["unknown"] = 1 }.OrderBy(p => p.Key), r.ByJurisdiction.OrderBy(p => p.Key));
        Assert.Equal(1, r.UnknownResidence);
        Assert.Equal(2, r.ByJurisdictionAndElement["US-IL"]["email"]);
        Assert.Equal(1, r.ByJurisdictionAndElement["FR"]["ssn"]);
    }

    [Fact]
    public void Order_by_and_limit_take_the_first_rows_in_the_queries_own_order_and_date_literals_use_the_query_time()
    {
        var r = Scope(which: q => q.Soql!.Contains("LAST_N_DAYS", StringComparison.Ordinal));

        var q = Assert.Single(r.Queries);
        Assert.Equal(2, q.RecordsReconstructed);
        // LastName DESC, LIMIT 2 over the contacts created in the 7 days before 2026-03-16 (Chicago): Patel, Nowhere.
        Assert.Equal(2, r.Individuals);
        Assert.Equal(1, r.ByJurisdiction["CA-ON"]);
        Assert.Equal(1, r.ByJurisdiction["unknown"]);
        Assert.Equal(1, r.ByElement["email"]);
        Assert.Equal(2, r.ByElement["dob"]);
        Assert.Contains(q.Fields, f => f.Field == "Birthdate" && f.Readable && f.Access.Contains("returned rows", StringComparison.Ordinal));
        Assert.Contains(q.Fields, f => f.Field == "Account.Name" && f.Element == "none");
    }

    [Fact]
    public void An_encrypted_ssn_without_view_encrypted_data_is_protected_not_exposed()
    {
        var input = HuntQueries.Load(Fixtures.Path("scope", "queries.json"));
        var masked = input.Queries[0] with { Soql = "SELECT Id, hed__Social_Security_Number__c FROM Contact WHERE LastName = 'alvarez'", Rows = 1 };
        var r = new ScopeEngine(OrgExport.Open(Org)).Run(new ScopeRequest([masked]));

        Assert.Equal(1, r.Individuals);
        Assert.False(r.ByElement.ContainsKey("ssn"));
        Assert.Equal(new ProtectedElement(1, true, false), r.ProtectedElements["ssn"]);
        Assert.Equal(new Breachline.Notification.ElementProtection(true, false), r.Facts.Protection["ssn"]);
        var field = Assert.Single(r.Queries[0].Fields, f => f.Field == "hed__Social_Security_Number__c");
        Assert.True(field.Masked);
        Assert.Contains("no View Encrypted Data", field.Access, StringComparison.Ordinal);
    }

    [Fact]
    public void With_view_encrypted_data_the_ssn_is_exposed_in_clear()
    {
        var r = Scope(which: q => q.User == "005000000000002AAA");

        Assert.Equal(2, r.ByElement["ssn"]);
        Assert.Empty(r.ProtectedElements);
        Assert.Contains("ViewEncryptedData on permission set View_Encrypted", r.Queries[0].Fields.Single(f => f.Field == "hed__Social_Security_Number__c").Access, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guest_user_sees_only_the_records_its_guest_sharing_rules_open()
    {
        var r = Scope(which: q => q.User == "005000000000003AAA");

        var q = Assert.Single(r.Queries);
        Assert.Equal(2, q.RecordsReconstructed);
        Assert.Contains("Portal_Applicants", q.Visibility, StringComparison.Ordinal);
        Assert.Equal(2, r.ByElement["email"]);
        Assert.Contains(r.Unclassified, u => u.Object == "Contact" && u.Field == "Hobby__c");
    }

    [Fact]
    public void Related_records_resolve_to_their_contact_and_are_recorded_as_ferpa_disclosures()
    {
        using var dir = new TempDir();
        var r = Scope(dir.Path, q => q.Object == "hed__Term_Grade__c");

        Assert.Equal(2, r.Individuals);
        Assert.Equal(2, r.ByElement["education_record"]);
        var entry = Assert.Single(r.FerpaDisclosures);
        Assert.Equal("unauthorised party via connected app Campus_Sync", entry.Party);
        Assert.Equal("none", entry.LegitimateInterest);
        Assert.Equal(2, entry.Records);
        Assert.Equal(2, entry.Students);
        var ferpa = File.ReadAllLines(r.Outputs.FerpaRecord!);
        Assert.Equal(3, ferpa.Length);
        Assert.StartsWith("StudentId,DisclosedAt,Records,Party,LegitimateInterest", ferpa[0], StringComparison.Ordinal);
        var people = File.ReadAllLines(r.Outputs.Individuals!);
        Assert.Contains(people, l => l.StartsWith("003000000000001,Contact,A*** A***,US-IL,education_record,,1", StringComparison.Ordinal));
        Assert.DoesNotContain(people, l => l.Contains("Alvarez", StringComparison.Ordinal));
    }

    [Fact]
    public void Unparseable_soql_is_reported_with_the_part_not_understood_and_scoped_to_every_readable_record()
    {
        var r = Scope(which: q => q.Soql!.Contains("CALENDAR_YEAR", StringComparison.Ordinal));

        var q = Assert.Single(r.Queries);
        Assert.False(q.Understood);
        var problem = Assert.Single(q.NotUnderstood);
        Assert.Equal("where", problem.Clause);
        Assert.Contains("CALENDAR_YEAR", problem.Text, StringComparison.Ordinal);
        Assert.Contains("every readable record counts", problem.Assumed, StringComparison.Ordinal);
        Assert.Equal(5, q.RecordsReconstructed);
        Assert.Equal(4, r.ByElement["email"]);
    }

    [Fact]
    public void A_count_probe_returns_no_records()
    {
        var r = Scope(which: q => q.Soql!.StartsWith("SELECT COUNT()", StringComparison.Ordinal));

        Assert.Equal(0, r.Individuals);
        Assert.Contains("no records", Assert.Single(r.Queries).Notes.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_record_row_is_named_by_file_and_line_and_the_other_rows_are_still_scoped()
    {
        using var dir = new TempDir();
        CopyDirectory(Org, dir.Path);
        File.AppendAllText(Path.Combine(dir.Path, "records", "Contact.csv"), "003000000000009AAA,Broken,Row\n");

        var r = Scope(which: q => q.Soql!.Contains("CALENDAR_YEAR", StringComparison.Ordinal), org: dir.Path);

        var problem = Assert.Single(r.Problems);
        Assert.Equal("records/Contact.csv", problem.File);
        Assert.Equal(7, problem.Line);
        Assert.Contains("3 cells, the header has 12", problem.Message, StringComparison.Ordinal);
        Assert.Equal(5, r.Queries[0].RecordsReconstructed);
        Assert.Contains(r.Queries[0].Notes, n => n.Contains("1 rows of records/Contact.csv could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void A_query_on_an_object_the_export_lacks_is_counted_as_unattributed_rows()
    {
        var input = HuntQueries.Load(Fixtures.Path("scope", "queries.json"));
        var r = new ScopeEngine(OrgExport.Open(Org)).Run(new ScopeRequest([input.Queries[0] with { Soql = "SELECT Id FROM Case", Object = "Case", Rows = 40 }]));

        Assert.Equal(40, r.UnattributedRows["Case"]);
        Assert.Equal(0, r.Individuals);
    }

    internal static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

using System.Globalization;
using Breachline.Exposure;
using Breachline.Org;
using Breachline.Sample;

namespace Breachline.Tests.Exposure;

/// <summary>Generates each sample scenario once for the class (small: 100 students, 5 days of logs).</summary>
public sealed class SampleOrgs : IDisposable
{
    private readonly TempDir _dir = new();

    public SampleOrgs()
    {
        foreach (var name in ScenarioNames.All)
        {
            var path = _dir.Combine(name);
            var result = SampleOrg.Generate(new SampleOptions(Seed: 3, Students: 100, Days: 5, Scenario: ScenarioNames.Parse(name)), path);
            Orgs[name] = (result.Root, result.Truth);
        }
    }

    public Dictionary<string, (string Root, TruthDocument Truth)> Orgs { get; } = [];

    public void Dispose() => _dir.Dispose();
}

public sealed class SampleTruthTests(SampleOrgs samples) : IClassFixture<SampleOrgs>
{
    // The sample's answer key places Canadians in "CA" (docs/truth.md: country at alpha-2), while scope places
    // them in their province (CA-ON, …: ISO 3166-2, so provincial laws such as Ontario's and Quebec's can
    // apply). That is mapped here, and only here, to compare like with like.
    public static TheoryData<string> Scenarios => [.. ScenarioNames.All];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Exposed_individuals_per_jurisdiction_and_element_equal_the_answer_key(string scenario)
    {
        var (root, truth) = samples.Orgs[scenario];

        var r = Scope(root, truth);

        AssertEqual(truth.Exposure.Individuals, truth.Exposure.ByJurisdiction, truth.Exposure.ByElement, truth.Exposure.ByJurisdictionAndElement, r);
        Assert.Equal(truth.Exposure.Records.ToDictionary(p => p.Key, p => (long)p.Value).OrderBy(p => p.Key), r.Records.OrderBy(p => p.Key));
        Assert.Empty(r.Problems);
        Assert.Empty(r.Unclassified);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_element_the_answer_key_names_is_a_token_of_the_projects_list(string scenario)
    {
        var (_, truth) = samples.Orgs[scenario];

        var named = truth.Exposure.Variants.Values.SelectMany(v => v.ByElement.Keys.Concat(v.ByJurisdictionAndElement.Values.SelectMany(e => e.Keys)));

        Assert.All(named, token => Assert.True(Breachline.Notification.ElementCatalog.Default.Contains(token), $"'{token}' is not in data/elements.yaml"));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_hunts_own_queries_scope_to_the_answer_key(string scenario)
    {
        var (root, truth) = samples.Orgs[scenario];
        var zone = NodaTime.DateTimeZoneProviders.Tzdb[truth.Incident.TimeZone];
        var hunt = Breachline.Forensics.HuntEngine.Run(root, new Breachline.Forensics.HuntOptions { Zone = zone });

        var input = HuntQueries.From(hunt);
        var r = new ScopeEngine(OrgExport.Open(root)).Run(new ScopeRequest(input.Queries, input.Via));

        AssertEqual(truth.Exposure.Individuals, truth.Exposure.ByJurisdiction, truth.Exposure.ByElement, truth.Exposure.ByJurisdictionAndElement, r);
    }

    [Fact]
    public void Token_theft_without_view_encrypted_data_protects_the_ssn_and_with_it_exposes_it()
    {
        var (root, truth) = samples.Orgs["token-theft"];
        Assert.False(truth.Exposure.AttackerHasViewEncryptedData);

        var without = Scope(root, truth);
        Assert.False(without.ByElement.ContainsKey("ssn"));
        Assert.True(without.ProtectedElements["ssn"].Individuals > 0);

        using var copy = new TempDir();
        ScopeEngineTests.CopyDirectory(root, copy.Path);
        Assign(copy.Path, truth.Attack.Users[0], "View_Encrypted_Data");
        var with = Scope(copy.Path, truth);
        var variant = truth.Exposure.Variants["withViewEncryptedData"];
        AssertEqual(variant.Individuals, variant.ByJurisdiction, variant.ByElement, variant.ByJurisdictionAndElement, with);
        Assert.Empty(with.ProtectedElements);
    }

    [Fact]
    public void Portal_credentials_with_view_encrypted_data_exposes_the_ssn_and_without_it_protects_it()
    {
        var (root, truth) = samples.Orgs["portal-credentials"];
        Assert.True(truth.Exposure.AttackerHasViewEncryptedData);

        using var copy = new TempDir();
        ScopeEngineTests.CopyDirectory(root, copy.Path);
        Unassign(copy.Path, truth.Attack.Users[0], "View_Encrypted_Data");
        var without = Scope(copy.Path, truth);
        var variant = truth.Exposure.Variants["withoutViewEncryptedData"];
        AssertEqual(variant.Individuals, variant.ByJurisdiction, variant.ByElement, variant.ByJurisdictionAndElement, without);
        Assert.Equal(truth.Exposure.ByElement["ssn"], without.ProtectedElements["ssn"].Individuals);
    }

    /// <summary>The planted queries stand in for the hunt's output (the hunt reads the same rows from logs/).</summary>
    private static ScopeResult Scope(string root, TruthDocument truth)
    {
        var queries = truth.Attack.Queries
            .Select(q => new ExfiltrationQuery(DateTimeOffset.Parse(q.Time, CultureInfo.InvariantCulture), q.User, q.Object, q.Soql, q.Rows, [], q.EventType, q.Ip))
            .ToList();
        return new ScopeEngine(OrgExport.Open(root)).Run(new ScopeRequest(queries, "connected app " + string.Join(", ", truth.Attack.ConnectedApps)));
    }

    private static void AssertEqual(int individuals, IReadOnlyDictionary<string, int> byJurisdiction, IReadOnlyDictionary<string, int> byElement, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> both, ScopeResult r)
    {
        Assert.Equal(individuals, r.Individuals);
        Assert.Equal(Sorted(byJurisdiction.Select(p => (p.Key, (long)p.Value))), Sorted(r.ByJurisdiction.Select(p => (Country(p.Key), p.Value))));
        Assert.Equal(Sorted(byElement.Select(p => (p.Key, (long)p.Value))), Sorted(r.ByElement.Select(p => (p.Key, p.Value))));
        Assert.Equal(
            Sorted(both.SelectMany(j => j.Value.Select(e => ($"{j.Key}/{e.Key}", (long)e.Value)))),
            Sorted(r.ByJurisdictionAndElement.SelectMany(j => j.Value.Select(e => ($"{Country(j.Key)}/{e.Key}", e.Value)))));
    }

    private static List<(string, long)> Sorted(IEnumerable<(string Key, long Value)> pairs) =>
        [.. pairs.GroupBy(p => p.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(p => p.Value))).OrderBy(p => p.Key, StringComparer.Ordinal)];

    private static string Country(string jurisdiction) => jurisdiction.StartsWith("CA-", StringComparison.Ordinal) ? "CA" : jurisdiction;

    private static string PermissionSetId(string root, string name) =>
        File.ReadAllLines(Path.Combine(root, "records", "PermissionSet.csv")).Skip(1).Select(l => l.Split(',')).Single(c => c[1] == name)[0];

    private static void Assign(string root, string user, string set) =>
        File.AppendAllText(Path.Combine(root, "records", "PermissionSetAssignment.csv"), $"0Pa00000000TEST01A,{user},{PermissionSetId(root, set)}\n");

    private static void Unassign(string root, string user, string set)
    {
        var path = Path.Combine(root, "records", "PermissionSetAssignment.csv");
        var id = PermissionSetId(root, set);
        var lines = File.ReadAllLines(path);
        var kept = lines.Where(l => !(l.Contains(user, StringComparison.Ordinal) && l.EndsWith(id, StringComparison.Ordinal))).ToList();
        Assert.Equal(lines.Length - 1, kept.Count);
        File.WriteAllLines(path, kept);
    }
}

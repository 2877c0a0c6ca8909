using System.Text.Json.Nodes;
using Breachline.Sample;
using nietras.SeparatedValues;

namespace Breachline.Tests.Sample;

/// <summary>The three scenarios at the default size, generated once for all consistency tests.</summary>
public sealed class SampleOrgFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public SampleOrgFixture()
    {
        foreach (var name in ScenarioNames.All)
        {
            var result = SampleOrg.Generate(new SampleOptions(Scenario: ScenarioNames.Parse(name)), _dir.Combine(name));
            Orgs[name] = result;
        }
    }

    public Dictionary<string, SampleResult> Orgs { get; } = new(StringComparer.Ordinal);

    public string Root(string scenario) => Orgs[scenario].Root;

    public TruthDocument Truth(string scenario) => TruthDocument.Load(Path.Combine(Root(scenario), "truth.json"));

    public JsonNode TruthJson(string scenario) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root(scenario), "truth.json")))!;

    /// <summary>Every row of a CSV as column → value, read by header with Sep.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                d[names[i]] = row[i].ToString();
            }

            rows.Add(d);
        }

        return rows;
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SampleOrgCollection : ICollectionFixture<SampleOrgFixture>
{
    public const string Name = "sample orgs";
}

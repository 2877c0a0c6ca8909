using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Breachline.Evidence;
using Breachline.Storage;
using Breachline.Tests.Cli;
using Breachline.Tests.Sample;

namespace Breachline.Tests.Reporting;

[Collection(DemoReportCollection.Name)]
public sealed class ReportDisclosureTests(DemoReportFixture demo) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_default_report_holds_no_name_or_email_address_of_anyone_in_the_org()
    {
        var people = PersonalIdentifiers();
        var outDir = Path.GetDirectoryName(demo.ReportPath)!;

        Assert.True(people.Count > 100, "the demo org should hold people to look for");
        foreach (var file in new[] { "report.html", "report.md" })
        {
            var text = File.ReadAllText(Path.Combine(outDir, file));
            var leaked = people.Where(p => text.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaked.Count == 0, $"{file} shows in clear: {string.Join(", ", leaked.Take(5))}");
        }
    }

    [Fact]
    public async Task An_unmasked_report_shows_the_suspects_in_clear_and_each_rendering_is_a_custody_access_by_the_actor()
    {
        var outDir = _dir.Combine("for-counsel");
        var suspect = Suspect();
        var accessesBefore = UnmaskedAccesses().Count;

        var first = await CliRun.RunAsync("-w", demo.Workspace, "--actor", "counsel@example.org", "report", "--unmasked", "--format", "html", "--out", outDir);
        var second = await CliRun.RunAsync("-w", demo.Workspace, "--actor", "counsel@example.org", "report", "--unmasked", "--format", "html", "--out", outDir);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        var unmasked = Path.Combine(outDir, "report-unmasked.html");
        Assert.Equal(["report-unmasked.html"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        var html = File.ReadAllText(unmasked);
        Assert.Contains(suspect, html, StringComparison.Ordinal);
        Assert.Contains("shown in clear", html, StringComparison.Ordinal);

        var accesses = UnmaskedAccesses();
        Assert.Equal(accessesBefore + 2, accesses.Count);
        var last = accesses[^1];
        Assert.Equal("counsel@example.org", last.Actor);
        Assert.Contains("report-unmasked.html", last.Purpose, StringComparison.Ordinal);
        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(unmasked)))], last.Objects);
    }

    [Fact]
    public async Task A_masked_report_records_no_access_and_does_not_show_the_suspects()
    {
        var outDir = _dir.Combine("masked");
        var accessesBefore = UnmaskedAccesses().Count;

        var result = await CliRun.RunAsync("-w", demo.Workspace, "report", "--format", "md", "--out", outDir);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(accessesBefore, UnmaskedAccesses().Count);
        Assert.DoesNotContain(Suspect(), File.ReadAllText(Path.Combine(outDir, "report.md")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unmasked_is_a_usage_error_for_incident_json_alone()
    {
        var result = await CliRun.RunAsync("-w", demo.Workspace, "report", "--unmasked", "--format", "json", "--out", _dir.Combine("json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--unmasked", result.Error, StringComparison.Ordinal);
    }

    private string Suspect() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(demo.Workspace, "out", "incident.json")))!["hunt"]!["suspects"]!["usernames"]![0]!.GetValue<string>();

    private List<CustodyEntry> UnmaskedAccesses()
    {
        using var vault = EvidenceVault.Open(Workspace.Open(demo.Workspace), TimeProvider.System);
        return [.. vault.Custody().Where(e => e.Action == CustodyActions.Accessed && e.Purpose.Contains("--unmasked", StringComparison.Ordinal))];
    }

    // Every person's full name, e-mail address and username in the org's record exports.
    private List<string> PersonalIdentifiers()
    {
        var people = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { "Contact.csv", "User.csv" })
        {
            foreach (var row in SampleOrgFixture.ReadCsv(Path.Combine(demo.Org, "records", file)))
            {
                people.Add($"{row["FirstName"]} {row["LastName"]}");
                foreach (var column in new[] { "Email", "hed__UniversityEmail__c", "Username" })
                {
                    if (row.TryGetValue(column, out var value) && value.Length > 0)
                    {
                        people.Add(value);
                    }
                }
            }
        }

        return [.. people];
    }
}

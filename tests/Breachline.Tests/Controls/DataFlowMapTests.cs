using System.Xml;
using Breachline.Sample;

namespace Breachline.Tests.Controls;

public sealed class DataFlowMapTests(ScenarioOrgs orgs) : IClassFixture<ScenarioOrgs>
{
    public static TheoryData<SampleScenario> Scenarios => [SampleScenario.TokenTheft, SampleScenario.GuestExposure, SampleScenario.PortalCredentials];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_map_of_each_sample_org_shows_every_integration_and_its_boundary_gaps(SampleScenario scenario)
    {
        var run = orgs.Get(scenario);
        var map = run.Result.DataFlows;
        var metadata = Path.Combine(run.Org.MetadataPath, "force-app", "main", "default");

        foreach (var app in Directory.GetFiles(Path.Combine(metadata, "connectedApps")).Select(f => Path.GetFileName(f).Split('.')[0]))
        {
            Assert.Contains(map.Flows, f => f.Kind == "connected-app" && f.Sources.Any(s => s.Contains($"/{app}.connectedApp", StringComparison.Ordinal)));
        }

        foreach (var site in Directory.GetFiles(Path.Combine(metadata, "remoteSiteSettings")).Select(f => Path.GetFileName(f).Split('.')[0]))
        {
            Assert.Contains(map.Flows, f => f.Kind == "remote-site" && f.Name.StartsWith(site, StringComparison.Ordinal));
        }

        foreach (var credential in Directory.GetFiles(Path.Combine(metadata, "namedCredentials")).Select(f => Path.GetFileName(f).Split('.')[0]))
        {
            Assert.Contains(map.Flows, f => f.Kind == "named-credential" && f.Name.StartsWith(credential, StringComparison.Ordinal));
        }

        foreach (var folder in Directory.GetDirectories(run.Org.IntegrationsPath).Select(Path.GetFileName))
        {
            Assert.Contains(map.Flows, f => f.Kind == "integration" && f.Name.StartsWith(folder!, StringComparison.Ordinal));
        }

        foreach (var declared in run.Org.Facts!.DataFlows)
        {
            Assert.Contains(map.Flows, f => f.Sources.Contains($"org.yaml:{declared.Line}"));
        }

        // The admissions site's guest user is a boundary as well; its profile's student reads are a broad-scope gap.
        Assert.Contains(map.Flows, f => f.Kind == "guest-site" && f.Authentication!.StartsWith("none", StringComparison.Ordinal)
            && f.Sources.Any(s => s.EndsWith("Admissions Portal Profile.profile-meta.xml", StringComparison.Ordinal))
            && f.Sources.Any(s => s.EndsWith("Contact.sharingRules-meta.xml", StringComparison.Ordinal))
            && f.Gaps.Any(g => g.Kind == "broad-scope" && g.Criterion == "CC6.1"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("Legacy_SIS_Export", StringComparison.Ordinal) && f.Transport == "http" && f.Gaps.Any(g => g.Kind == "plaintext-transport" && g.Criterion == "CC6.7"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("Campus Chat", StringComparison.Ordinal) && f.From == "Salesforce" && f.To == "Campus Chat" && f.Logging == false && f.Gaps.Any(g => g.Kind == "broad-scope"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("sftp-batch", StringComparison.Ordinal) && f.Gaps.Any(g => g.Kind == "plaintext-transport") && f.Gaps.Any(g => g.Kind == "embedded-credential"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("student-portal", StringComparison.Ordinal) && f.Logging == false && f.Gaps.Any(g => g.Kind == "no-logging") && f.Gaps.Any(g => g.Kind == "embedded-credential"));
        Assert.Contains(map.Flows, f => f.Kind == "declared" && f.Name == "State reporting extract" && f.Transport == "ftp" && f.Gaps.Any(g => g.Kind == "plaintext-transport") && f.Gaps.Any(g => g.Kind == "no-logging"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("LMS Connector", StringComparison.Ordinal) && f.Gaps.Count == 0);
        Assert.All(map.Flows, f => Assert.Contains("CC6.7", f.Criteria));
        Assert.All(map.Flows.SelectMany(f => f.Gaps), g => Assert.Contains(g.Kind, new[] { "no-logging", "broad-scope", "plaintext-transport", "embedded-credential" }));
    }

    [Theory]
    [InlineData(SampleScenario.TokenTheft, "connected-app:Campus Chat")]
    [InlineData(SampleScenario.GuestExposure, "guest-site:Admissions Portal Profile")]
    [InlineData(SampleScenario.PortalCredentials, "integration:student-portal")]
    public void Only_the_boundary_each_scenarios_attacker_crossed_is_on_the_attack_path(SampleScenario scenario, string crossed)
    {
        var map = orgs.Get(scenario).Result.DataFlows;
        var kind = crossed.Split(':')[0];
        var name = crossed.Split(':')[1];

        var onPath = map.Flows.Where(f => f.OnAttackPath).ToList();

        Assert.Contains(onPath, f => f.Kind == kind && f.Name.StartsWith(name, StringComparison.Ordinal));
        Assert.All(onPath, f => Assert.True(
            f.Kind == kind || (scenario == SampleScenario.PortalCredentials && f.Name.StartsWith("Student Portal Sync", StringComparison.Ordinal)),
            $"{f.Kind} {f.Name} is on the attack path of {scenario}"));
    }

    [Fact]
    public void The_svg_is_well_formed_without_script_and_names_every_system_and_the_mermaid_marks_gaps()
    {
        var map = orgs.Get(SampleScenario.TokenTheft).Result.DataFlows;

        var svg = map.ToSvg();
        var document = new XmlDocument { XmlResolver = null };
        using (var reader = XmlReader.Create(new StringReader(svg), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
        {
            document.Load(reader);
        }

        Assert.Equal("svg", document.DocumentElement!.LocalName);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.All(map.Flows, f => Assert.Contains(System.Net.WebUtility.HtmlEncode(f.From == map.Hub ? f.To : f.From)[..Math.Min(20, (f.From == map.Hub ? f.To : f.From).Length)], svg, StringComparison.Ordinal));
        var mermaid = map.ToMermaid();
        Assert.StartsWith("flowchart LR", mermaid, StringComparison.Ordinal);
        Assert.Equal(map.Flows.Count(f => f.Gaps.Count > 0), mermaid.Split('\n').Count(l => l.TrimStart().StartsWith("linkStyle", StringComparison.Ordinal)));
    }
}

using System.Xml;
using Breachline.Sample;

namespace Breachline.Tests.Controls;

public sealed class DataFlowMapTests(ScenarioOrgs orgs) : IClassFixture<ScenarioOrgs>
{
    [Fact]
    public void The_map_of_the_sample_org_shows_every_integration_and_its_boundary_gaps()
    {
        var run = orgs.Get(SampleScenario.TokenTheft);
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

        Assert.Contains(map.Flows, f => f.Name.StartsWith("Legacy_SIS_Export", StringComparison.Ordinal) && f.Transport == "http" && f.Gaps.Any(g => g.Kind == "plaintext-transport" && g.Criterion == "CC6.7"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("Campus Chat", StringComparison.Ordinal) && f.From == "Salesforce" && f.To == "Campus Chat" && f.OnAttackPath && f.Logging == false && f.Gaps.Any(g => g.Kind == "broad-scope"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("sftp-batch", StringComparison.Ordinal) && f.Gaps.Any(g => g.Kind == "plaintext-transport") && f.Gaps.Any(g => g.Kind == "embedded-credential"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("student-portal", StringComparison.Ordinal) && f.Logging == false && f.Gaps.Any(g => g.Kind == "no-logging"));
        Assert.Contains(map.Flows, f => f.Kind == "declared" && f.Name == "State reporting extract" && f.Transport == "ftp" && f.Gaps.Any(g => g.Kind == "plaintext-transport") && f.Gaps.Any(g => g.Kind == "no-logging"));
        Assert.Contains(map.Flows, f => f.Name.StartsWith("LMS Connector", StringComparison.Ordinal) && f.Gaps.Count == 0);
        Assert.All(map.Flows, f => Assert.Contains("CC6.7", f.Criteria));
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

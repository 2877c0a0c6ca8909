using System.Text.Json.Nodes;
using Breachline.Notification;
using Breachline.Org;
using Breachline.Pipeline;
using Breachline.Storage;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Notification;

public class NotifyCommandTests
{
    [Fact]
    public async Task Matrix_json_validates_against_the_schema_and_facts_set_later_change_it()
    {
        using var dir = new TempDir();
        var ws = dir.Combine("ws");
        var first = await CliRun.RunAsync("-w", ws, "--format", "json", "--as-of", "2026-03-08T12:00:00-05:00", "notify", "matrix",
            "--org", Fixtures.Path("orgs", "minimal"), "--exposure", Fixtures.Path("notify", "exposure.json"), "--aware", "2026-03-08T10:00");
        Assert.Equal(0, first.ExitCode);
        var doc = JsonNode.Parse(first.Out)!;
        SchemaValidation.AssertValid(doc["obligations"], "obligations.schema.json");
        var gdpr = doc["obligations"]!.AsArray().Single(o => (string?)o!["id"] == "law:EU-GDPR:supervisory-authority")!;
        Assert.Equal("needs-decision", (string?)gdpr["triggered"]);

        var set = await CliRun.RunAsync("-w", ws, "notify", "set", "risk-level=risk", "lead-sa=ie");
        Assert.Equal(0, set.ExitCode);
        var second = await CliRun.RunAsync("-w", ws, "--format", "json", "--as-of", "2026-03-12T12:00:00-05:00", "notify", "matrix");
        Assert.Equal(1, second.ExitCode); // the GDPR 72 hours have passed: overdue
        var after = JsonNode.Parse(second.Out)!["obligations"]!.AsArray().Single(o => (string?)o!["id"] == "law:EU-GDPR:supervisory-authority")!;
        Assert.True((bool)after["triggered"]!);
        Assert.Equal("overdue", (string?)after["status"]);
        Assert.Equal("Lead supervisory authority (IE)", (string?)after["recipientName"]);
        Assert.Contains(NotificationStore.Timeline(Workspace.Open(ws)), e => e.Text.Contains("risk-level=risk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_facts_are_usage_errors()
    {
        using var dir = new TempDir();
        var result = await CliRun.RunAsync("-w", dir.Combine("ws"), "notify", "set", "risk-level=perhaps");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("risk-level takes one of", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calendar_and_drafts_are_written_for_a_vendor_with_customers()
    {
        using var dir = new TempDir();
        var ws = dir.Combine("ws");
        var ics = dir.Combine("deadlines.ics");
        var cal = await CliRun.RunAsync("-w", ws, "--as-of", "2026-03-08T12:00:00-05:00", "notify", "calendar", "--out", ics,
            "--org", Fixtures.Path("notify", "vendor-org"), "--exposure", Fixtures.Path("notify", "exposure.json"), "--aware", "2026-03-08T10:00");
        Assert.Equal(0, cal.ExitCode);
        var text = await File.ReadAllTextAsync(ics);
        Assert.Contains("BEGIN:VCALENDAR", text, StringComparison.Ordinal);
        Assert.Contains("CONTRACT:lsu", text, StringComparison.Ordinal);

        var drafts = dir.Combine("drafts");
        var result = await CliRun.RunAsync("-w", ws, "notify", "drafts", "--out", drafts);
        Assert.Equal(0, result.ExitCode);
        var files = Directory.GetFiles(drafts);
        Assert.Contains(files, f => f.EndsWith("contract_CONTRACT_lsu_notice.md", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("law_US-IL_data-owner.md", StringComparison.Ordinal));
        Assert.All(files, f => Assert.StartsWith("# DRAFT - FOR COUNSEL REVIEW", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Contains("Campus CRM Inc.", await File.ReadAllTextAsync(files.First(f => f.Contains("CONTRACT_lsu", StringComparison.Ordinal))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_without_exposure_does_nothing_and_says_so()
    {
        using var dir = new TempDir();
        var context = new PipelineContext(Workspace.Open(dir.Combine("ws")), OrgExport.Open(Fixtures.Path("orgs", "minimal")), TimeProvider.System, "test");
        var stage = new NotifyStage();
        await stage.RunAsync(context, new Progress<double>(), CancellationToken.None);
        Assert.Null(context.Document.Get("obligations"));
        Assert.Contains("no exposure facts", stage.Skipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_with_exposure_sets_the_obligations_member()
    {
        using var dir = new TempDir();
        var context = new PipelineContext(Workspace.Open(dir.Combine("ws")), OrgExport.Open(Fixtures.Path("orgs", "minimal")), TimeProvider.System, "test");
        var builder = new ExposureFactsBuilder(ElementCatalog.Default);
        builder.Add("US-IL", ["name", "ssn"]);
        context.Set(builder.Build());
        await new NotifyStage().RunAsync(context, new Progress<double>(), CancellationToken.None);
        SchemaValidation.AssertValid(context.Document.Get("obligations"), "obligations.schema.json");
        Assert.Contains(context.Document.Get("obligations")!.AsArray(), o => (string?)o!["regime"] == "US-IL");
    }
}

using System.Text.Json.Nodes;
using Breachline.Common;
using Breachline.Evidence;
using Breachline.Org;
using Breachline.Pipeline;
using Json.Schema;

namespace Breachline.Tests.Evidence;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CollectStageTests
{
    private static JsonSchema EvidenceSchema()
    {
        // The schema documented in the repository's docs/, found from the test output folder.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "schema", "evidence.schema.json")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return JsonSchema.FromText(File.ReadAllText(Path.Combine(dir.FullName, "docs", "schema", "evidence.schema.json")));
    }

    [Fact]
    public async Task Collect_runs_first_and_hands_later_stages_a_read_only_view_of_exactly_the_hashed_bytes()
    {
        using var org = new EvidenceOrg();
        File.CreateSymbolicLink(Path.Combine(org.Root, "logs", "outside.csv"), "/etc/hostname");
        var context = new PipelineContext(org.OpenWorkspace(), OrgExport.Open(org.Root), new FixedTimeProvider(EvidenceOrg.Now), "dana@example.edu");

        Assert.IsType<CollectStage>(PipelineStages.All()[0]);
        await new CollectStage().RunAsync(context, new Progress<double>(), CancellationToken.None);

        var problem = Assert.Single(context.Problems);
        Assert.Equal("logs/outside.csv", problem.File);
        Assert.NotEqual(org.Root, context.Org.Root);
        Assert.StartsWith(Path.Combine(org.WorkspacePath, "vault", "snapshots"), context.Org.Root, StringComparison.Ordinal);
        Assert.Equal("00D5e000000AbCdEAK", context.Org.Facts!.OrgId);
        var result = context.Get<CollectResult>()!;
        Assert.Equal(EvidenceOrg.FileCount, result.Items.Count);
        foreach (var item in result.Items)
        {
            var view = Path.Combine(context.Org.Root, item.Path);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(view))), item.Sha256);
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(view));
        }

        Assert.False(File.Exists(Path.Combine(context.Org.Root, "logs", "outside.csv")));
        using var vault = org.OpenVault();
        var accessed = vault.Custody()[^1];
        Assert.Equal(CustodyActions.Accessed, accessed.Action);
        Assert.Equal("dana@example.edu", accessed.Actor);
        Assert.Contains("export from org 00D5e000000AbCdEAK", result.Items[0].Source, StringComparison.Ordinal);

        var member = context.Document.Get("evidence")!;
        var evaluation = EvidenceSchema().Evaluate(member, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(evaluation.IsValid, member.ToJsonString());
        Assert.Equal(EvidenceOrg.FileCount + 1, member["treeSize"]!.GetValue<long>());
        var api = member["items"]!.AsArray().Single(i => i!["path"]!.GetValue<string>() == "logs/2026-03-01_API.csv")!;
        Assert.Equal("logs", api["kind"]!.GetValue<string>());
        Assert.StartsWith("2026-03-01T09:01:02", api["observedFrom"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_written_by_Breachline_are_collected_with_their_kind_and_purpose()
    {
        using var org = new EvidenceOrg();
        using var vault = org.OpenVault();
        var report = Path.Combine(org.WorkspacePath, "out", "incident.json");
        File.WriteAllText(report, "{ \"schema\": \"breachline/incident/v1\" }\n");
        var journal = Path.Combine(org.WorkspacePath, "out", "containment-journal.jsonl");
        File.WriteAllText(journal, "{\"time\":\"2026-03-09T13:05:00Z\",\"action\":\"revoke-oauth-token\"}\n");

        var item = vault.CollectOutput(report, EvidenceKind.Report, "lead@example.edu", "incident report as issued");
        var journalItem = vault.CollectOutput(journal, EvidenceKind.ContainmentJournal, "lead@example.edu", "containment journal");

        Assert.Equal("out/incident.json", item.Path);
        Assert.Equal(EvidenceKind.Report, item.Kind);
        Assert.Equal("containment-journal", journalItem.Kind.Name());
        Assert.Equal("incident report as issued", vault.CustodyOf(item.Sha256)[0].Purpose);
        var summary = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(vault.Summary(), BreachlineJson.Options))!;
        Assert.True(EvidenceSchema().Evaluate(summary, new EvaluationOptions { RequireFormatValidation = true }).IsValid, summary.ToJsonString());
        Assert.True(vault.Verify().Ok);
        Assert.Throws<InputException>(() => vault.CollectOutput(Path.Combine(org.WorkspacePath, "out", "missing.html"), EvidenceKind.Report, "lead", "x"));
    }
}

using Breachline.Exposure;
using Breachline.Notification;
using Breachline.Org;
using Breachline.Pipeline;
using Breachline.Storage;

namespace Breachline.Tests.Exposure;

public sealed class ScopeStageTests
{
    [Fact]
    public async Task The_stage_hands_notify_exposure_facts_and_sets_the_exposure_member()
    {
        using var ws = new TempDir();
        var context = new PipelineContext(Workspace.Open(ws.Path), OrgExport.Open(Fixtures.Path("scope", "org-small")), TimeProvider.System, "test");
        context.Set(HuntQueries.Load(Fixtures.Path("scope", "queries.json")));

        await new ScopeStage().RunAsync(context, new Progress<double>(), CancellationToken.None);

        var facts = context.Get<ExposureFacts>();
        Assert.NotNull(facts);
        Assert.Equal(5, facts.Individuals);
        Assert.Contains(facts.Groups, g => g.Jurisdiction == "CA-ON" && g.Elements.SequenceEqual(["name", "email", "dob"]));
        SchemaValidation.AssertValid(context.Document.ToJson()["exposure"], "exposure.schema.json");
        Assert.Equal(5, (long)context.Document.Get("exposure")!["individuals"]!);
    }

    [Fact]
    public async Task Without_hunt_queries_the_stage_invents_nothing()
    {
        using var ws = new TempDir();
        var context = new PipelineContext(Workspace.Open(ws.Path), OrgExport.Open(Fixtures.Path("scope", "org-small")), TimeProvider.System, "test");

        await new ScopeStage().RunAsync(context, new Progress<double>(), CancellationToken.None);

        Assert.Null(context.Get<ExposureFacts>());
        Assert.Null(context.Document.Get("exposure"));
    }
}

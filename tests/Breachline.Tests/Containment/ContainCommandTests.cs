using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Breachline.Containment;
using Breachline.Containment.Api;
using Breachline.Org;
using Breachline.Pipeline;
using Breachline.Storage;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Containment;

public sealed class ContainCommandTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "containment");

    [Fact]
    public async Task Plan_dry_run_execute_status_and_package_work_from_the_command_line()
    {
        await using var f = await ContainmentFixture.StartAsync();
        var ws = f.Dir.Combine("cli-ws");
        var tokenVariable = "BREACHLINE_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(tokenVariable, ContainmentFixture.GoodToken);
        try
        {
            var plan = await CliRun.RunAsync("contain", "plan", "--input", Path.Combine(Fixtures, "input.json"), "--workspace", ws);
            Assert.Equal(0, plan.ExitCode);
            Assert.Contains("Revoke every OAuth token", plan.Out, StringComparison.Ordinal);

            var before = f.Server.Snapshot();
            var dry = await CliRun.RunAsync("contain", "run", "--instance-url", f.Server.Url.ToString(), "--token-env", tokenVariable, "--api-version", FakeSalesforce.ApiVersion, "--workspace", ws);
            Assert.Equal(0, dry.ExitCode);
            Assert.Equal(before, f.Server.Snapshot());
            Assert.Contains("would send POST " + new Uri(f.Server.Url, "/services/oauth2/revoke"), dry.Out, StringComparison.Ordinal);
            Assert.Contains("Authorization: Bearer 00D0…(33)", dry.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(ContainmentFixture.GoodToken, dry.Out, StringComparison.Ordinal);

            var status = await CliRun.RunAsync("contain", "status", "--workspace", ws);
            Assert.Equal(1, status.ExitCode);

            var run = await CliRun.RunAsync("contain", "run", "--instance-url", f.Server.Url.ToString(), "--token-env", tokenVariable, "--api-version", FakeSalesforce.ApiVersion, "--execute", "--workspace", ws);
            Assert.Equal(0, run.ExitCode);
            Assert.True(f.Server.UserLogins["060000000000001AAA"]["IsFrozen"]!.GetValue<bool>());

            var json = await CliRun.RunAsync("contain", "status", "--format", "json", "--workspace", ws);
            var entries = JsonNode.Parse(json.Out)!.AsArray();
            Assert.All(entries.Where(e => e!["mode"]!.GetValue<string>() == "api"), e => Assert.Equal("done", e!["status"]!.GetValue<string>()));
            SchemaValidation.AssertValid(entries, "containment.schema.json");
            Assert.True(File.Exists(Path.Combine(ws, "out", ContainmentStore.JournalFileName)));
            using (var vault = Breachline.Evidence.EvidenceVault.Open(Workspace.Open(ws), TimeProvider.System))
            {
                Assert.Contains(vault.Items(), i => i.Kind == Breachline.Evidence.EvidenceKind.ContainmentJournal);
            }


            var package = await CliRun.RunAsync("contain", "package", "--out", f.Dir.Combine("pkg"), "--org", Path.Combine(Fixtures, "org"), "--workspace", ws);
            Assert.Equal(0, package.ExitCode);
            Assert.True(File.Exists(f.Dir.Combine("pkg", "sfdx-project.json")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenVariable, null);
        }
    }

    [Fact]
    public async Task A_run_without_a_token_says_how_to_get_one_and_sends_nothing()
    {
        await using var f = await ContainmentFixture.StartAsync();
        var ws = f.Dir.Combine("cli-ws");
        await CliRun.RunAsync("contain", "plan", "--input", Path.Combine(Fixtures, "input.json"), "--workspace", ws);

        var run = await CliRun.RunAsync("contain", "run", "--instance-url", f.Server.Url.ToString(), "--token-env", "BREACHLINE_NO_SUCH_VARIABLE", "--execute", "--workspace", ws);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("BREACHLINE_NO_SUCH_VARIABLE holds no access token", run.Error, StringComparison.Ordinal);
        Assert.Empty(f.Server.Seen);
    }

    [Fact]
    public async Task An_expired_token_exits_1_with_a_clear_message()
    {
        await using var f = await ContainmentFixture.StartAsync();
        var ws = f.Dir.Combine("cli-ws");
        var tokenVariable = "BREACHLINE_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(tokenVariable, "00D000000000001!expired");
        try
        {
            await CliRun.RunAsync("contain", "plan", "--input", Path.Combine(Fixtures, "input.json"), "--workspace", ws);

            var run = await CliRun.RunAsync("contain", "run", "--instance-url", f.Server.Url.ToString(), "--token-env", tokenVariable, "--api-version", FakeSalesforce.ApiVersion, "--execute", "--workspace", ws);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("error: Salesforce refused the access token (HTTP 401 INVALID_SESSION_ID", run.Error, StringComparison.Ordinal);
            Assert.Empty(f.Server.Writes);
        }
        finally
        {
            Environment.SetEnvironmentVariable(tokenVariable, null);
        }
    }

    [Fact]
    public async Task A_malformed_input_file_exits_3_naming_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("input.json"), "{ \"users\": [ { \"id\": 5 } ] }");

        var plan = await CliRun.RunAsync("contain", "plan", "--input", dir.Combine("input.json"), "--workspace", dir.Combine("ws"));

        Assert.Equal(3, plan.ExitCode);
        Assert.Contains("input.json", plan.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_contain_stage_plans_without_executing_and_sets_a_valid_containment_member()
    {
        using var dir = new TempDir();
        var workspace = Workspace.Open(dir.Combine("ws"));
        var context = new PipelineContext(workspace, OrgExport.Open(Path.Combine(Fixtures, "org")), TimeProvider.System, "tester");
        context.Set(ContainmentInput.Load(Path.Combine(Fixtures, "input.json")));

        await new ContainStage().RunAsync(context, new Progress<double>(), CancellationToken.None);

        var member = context.Document.Get("containment")!.AsArray();
        SchemaValidation.AssertValid(member, "containment.schema.json");
        Assert.Contains(member, e => e!["id"]!.GetValue<string>() == "revoke-app-tokens:Campus_Chat" && e["status"]!.GetValue<string>() == "planned");
        Assert.Contains(member, e => e!["step"]!.GetValue<string>() == "disable-open-sharing-rule" && e["status"]!.GetValue<string>() == "awaiting-deploy");
        Assert.All(member, e => Assert.Empty(e!["journal"]!.AsArray()));
        Assert.NotNull(context.Get<ContainmentPlan>());
    }

    [Fact]
    public async Task The_JWT_bearer_flow_signs_an_RS256_assertion_and_the_token_it_gets_works()
    {
        await using var f = await ContainmentFixture.StartAsync();
        using var rsa = RSA.Create(2048);
        var keyFile = f.Dir.Combine("responder.key");
        File.WriteAllText(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        using var publicKey = RSA.Create();
        publicKey.ImportRSAPublicKey(rsa.ExportRSAPublicKey(), out _);
        f.Server.JwtKey = publicKey;
        using var http = new HttpClient();
        var jwt = new JwtBearerAccessToken(
            new JwtBearerSettings(new Uri(f.Server.Url, "/services/oauth2/token"), f.Server.JwtClientId, "secops.admin@lakeshore.edu", keyFile, f.Server.JwtAudience),
            http,
            TimeProvider.System);

        var token = await jwt.GetAsync(CancellationToken.None);
        using var client = new SalesforceClient(new SalesforceClientOptions { InstanceUrl = f.Server.Url, ApiVersion = FakeSalesforce.ApiVersion }, jwt);
        var (rows, _) = await client.QueryAsync("SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '005000000000001AAA'", CancellationToken.None);

        Assert.StartsWith("00D000000000001!jwt-issued-", token, StringComparison.Ordinal);
        Assert.Single(rows);
        var post = Assert.Single(f.Server.Seen, r => r.Path == "/services/oauth2/token");
        Assert.Equal("", post.Authorization);
    }

    [Fact]
    public async Task A_JWT_signed_with_the_wrong_key_is_refused_with_a_clear_message()
    {
        await using var f = await ContainmentFixture.StartAsync();
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var keyFile = f.Dir.Combine("wrong.key");
        File.WriteAllText(keyFile, other.ExportPkcs8PrivateKeyPem());
        f.Server.JwtKey = rsa;
        using var http = new HttpClient();
        var jwt = new JwtBearerAccessToken(
            new JwtBearerSettings(new Uri(f.Server.Url, "/services/oauth2/token"), f.Server.JwtClientId, "secops.admin@lakeshore.edu", keyFile, f.Server.JwtAudience),
            http,
            TimeProvider.System);

        var e = await Assert.ThrowsAsync<SalesforceAuthException>(async () => await jwt.GetAsync(CancellationToken.None));

        Assert.Contains("invalid_grant", e.Message, StringComparison.Ordinal);
    }
}

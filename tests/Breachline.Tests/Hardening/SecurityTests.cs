using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Breachline.Common;
using Breachline.Containment;
using Breachline.Containment.Api;
using Breachline.Sample;
using Breachline.Tests.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breachline.Tests.Hardening;

/// <summary>The security pass: no write outside the chosen folders, no token to another host, no secret shown, owner-only files.</summary>
public sealed class SecurityTests : IDisposable
{
    private const string Token = "00D000000000001!AQ4AQFakeAccessTokenForTheHardeningTests";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_redirect_from_the_instance_to_another_address_is_not_followed_and_the_token_never_reaches_it()
    {
        await using var other = await LoopbackServer.StartAsync(_ => (200, "{}", null));
        await using var instance = await LoopbackServer.StartAsync(ctx => (307, "", other.Url + ctx.Request.Path));
        using var client = new SalesforceClient(new SalesforceClientOptions { InstanceUrl = new Uri(instance.Url), MaxRetries = 0 }, new StaticAccessToken(Token));

        var response = await client.SendAsync(new ApiRequest("GET", "/services/data/v64.0/sobjects"), CancellationToken.None);

        Assert.Equal(307, response.Status);
        Assert.Empty(other.Seen);
        Assert.Equal($"Bearer {Token}", Assert.Single(instance.Seen).Authorization);
    }

    [Fact]
    public async Task A_query_page_pointing_to_another_address_is_refused_before_anything_is_sent_there()
    {
        await using var other = await LoopbackServer.StartAsync(_ => (200, "{\"done\":true,\"records\":[]}", null));
        await using var instance = await LoopbackServer.StartAsync(_ =>
            (200, $"{{\"done\":false,\"totalSize\":4000,\"records\":[],\"nextRecordsUrl\":\"{other.Url}/services/data/v64.0/query/01g-2000\"}}", null));
        using var client = new SalesforceClient(new SalesforceClientOptions { InstanceUrl = new Uri(instance.Url), MaxRetries = 0 }, new StaticAccessToken(Token));

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => client.QueryAsync("SELECT Id FROM OauthToken", CancellationToken.None));

        Assert.Contains("which is not a query locator of this instance", e.Message, StringComparison.Ordinal);
        Assert.Empty(other.Seen);
    }

    [Fact]
    public void A_component_name_with_dot_dot_cannot_place_a_package_file_outside_the_package_folder()
    {
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "containment");
        var input = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, "input.json")))!;
        input["connectedApps"]![0]!["name"] = "../../../../../escaped";
        var inputPath = _dir.Combine("input.json");
        File.WriteAllText(inputPath, input.ToJsonString());
        var plan = ContainmentPlanner.Build(ContainmentInput.Load(inputPath), Playbook.LoadBuiltIn());

        var e = Assert.Throws<InputException>(() => SfdxPackage.Write(plan, Path.Combine(fixtures, "org"), _dir.Combine("pkg")));

        var p = Assert.Single(e.Problems);
        Assert.Equal("force-app/main/default/connectedApps/../../../../../escaped.connectedApp-meta.xml", p.File);
        Assert.Equal("a component name from the input would place this file outside the package folder; refused", p.Message);
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "escaped*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_scan_shows_a_planted_secret_only_masked_on_stdout_stderr_and_every_file_it_writes()
    {
        var org = SampleOrg.Generate(new SampleOptions(Students: 30, Days: 5), _dir.Combine("org")).Root;
        const string keyId = "AKIAQ7RZ5T3X9LMN2PVW";
        const string secret = "wJ8rXUtnFEMI/K7MDENG/bPxRfiCYQ7RZ5T3X9LM";
        var planted = Path.Combine(org, "integrations", "planted", "settings.py");
        Directory.CreateDirectory(Path.GetDirectoryName(planted)!);
        File.WriteAllText(planted, $"aws_access_key_id = \"{keyId}\"\naws_secret_access_key = \"{secret}\"\n");
        var ws = _dir.Combine("ws");
        var sarif = _dir.Combine("scan.sarif");

        var table = await CliRun.RunAsync("-w", ws, "scan", org);
        var json = await CliRun.RunAsync("-w", ws, "--format", "json", "scan", org, "--sarif", sarif);

        Assert.Equal(1, table.ExitCode);
        Assert.Contains("integrations/planted/settings.py", json.Out, StringComparison.Ordinal);
        var shown = new[] { table.Out, table.Error, json.Out, json.Error, File.ReadAllText(sarif) }
            .Concat(Directory.Exists(ws) ? Directory.EnumerateFiles(ws, "*", SearchOption.AllDirectories).Select(File.ReadAllText) : []);
        Assert.All(shown, text =>
        {
            Assert.DoesNotContain(keyId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Every_file_and_folder_a_command_creates_in_the_workspace_is_owner_only()
    {
        var org = SampleOrg.Generate(new SampleOptions(Students: 30, Days: 5), _dir.Combine("org")).Root;
        var ws = _dir.Combine("ws");

        Assert.Equal(0, (await CliRun.RunAsync("-w", ws, "incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z", "--aware-at", "2026-03-07T10:00:00Z", "--org", org)).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync("-w", ws, "collect", org)).ExitCode);
        await CliRun.RunAsync("-w", ws, "scan", org);

        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var entries = Directory.EnumerateFileSystemEntries(ws, "*", SearchOption.AllDirectories).Append(ws).ToList();
        Assert.True(entries.Count > 5);
        Assert.All(entries, path => Assert.True((File.GetUnixFileMode(path) & groupOrOther) == 0, $"{path} is {File.GetUnixFileMode(path)}"));
    }

    /// <summary>A Kestrel server on 127.0.0.1 that answers every request with one function and records what it saw.</summary>
    private sealed class LoopbackServer(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public ConcurrentQueue<(string Path, string? Authorization)> Queue { get; } = new();

        public IReadOnlyList<(string Path, string? Authorization)> Seen => [.. Queue];

        public static async Task<LoopbackServer> StartAsync(Func<HttpContext, (int Status, string Body, string? Location)> answer)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            LoopbackServer? server = null;
            app.Run(async ctx =>
            {
                server!.Queue.Enqueue((ctx.Request.Path.Value ?? "", ctx.Request.Headers.Authorization.FirstOrDefault()));
                var (status, body, location) = answer(ctx);
                ctx.Response.StatusCode = status;
                if (location is not null)
                {
                    ctx.Response.Headers.Location = location;
                }

                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(body);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new LoopbackServer(app, address);
            return server;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}

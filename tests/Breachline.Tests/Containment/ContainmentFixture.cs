using Breachline.Containment;
using Breachline.Containment.Api;
using Breachline.Storage;

namespace Breachline.Tests.Containment;

/// <summary>A workspace, a loopback fake org seeded with an incident, and a plan for it.</summary>
public sealed class ContainmentFixture : IAsyncDisposable
{
    public const string AttackerId = "005000000000001AAA";
    public const string ResponderId = "005000000000009AAA";
    public const string AppLabel = "Campus Chat";
    public const string GoodToken = "00D000000000001!good-access-token";

    private ContainmentFixture(TempDir dir, FakeSalesforce server)
    {
        Dir = dir;
        Server = server;
        Workspace = Workspace.Open(dir.Combine("ws"));
        Store = new ContainmentStore(Workspace);
    }

    public TempDir Dir { get; }

    public FakeSalesforce Server { get; }

    public Workspace Workspace { get; }

    public ContainmentStore Store { get; }

    public List<RetryNotice> Retries { get; } = [];

    public static ContainmentInput Input(bool deactivate = false) => new()
    {
        ConnectedApps = [new CompromisedApp("Campus_Chat", AppLabel, "0H4000000000001AAA", "metadata/force-app/main/default/connectedApps/Campus_Chat.connectedApp-meta.xml", "hunt: OAuth logins of Campus Chat from Tor exits")],
        Users = [new AttackerUser(AttackerId, "integration.sync@lakeshore.edu", "hunt: bulk export of Contact by this user", deactivate)],
        Ips = ["185.220.101.33", "208.68.36.90"],
        SharingRules = [new OpenSharingRule("Contact", "Share_Contacts", "guest", "metadata/force-app/main/default/sharingRules/Contact.sharingRules-meta.xml", 3, "finding F-0003 guest-exposure")],
        Credentials = [new HardcodedCredential("AKIA…(20)", "aws-access-key", "integrations/portal-sync/config.py", 12, null, "finding F-0007 hardcoded-credential")],
        IntegrationProfiles = [new ProfileRef("Portal Integration", "finding F-0005 over-permissive-oauth")],
        ApiEnabledProfiles = [new ProfileRef("Standard User", "finding F-0006 privilege-escalation")],
        TrustedIpRanges = [new IpRange("10.0.0.0", "10.255.255.255", "campus")],
        ExfiltratedObjects = ["Contact"],
        Responders = [new ProtectedUser(ResponderId, "secops.admin@lakeshore.edu", "System Administrator")],
    };

    public static async Task<ContainmentFixture> StartAsync(int attackerTokens = 3)
    {
        var dir = new TempDir();
        var server = await FakeSalesforce.StartAsync();
        server.SeedIncident(AppLabel, AttackerId, ResponderId, attackerTokens);
        return new ContainmentFixture(dir, server);
    }

    public ContainmentPlan Plan(ContainmentInput? input = null) => ContainmentPlanner.Build(input ?? Input(), Playbook.LoadBuiltIn());

    public SalesforceClient Client(string token = GoodToken, int maxRetries = 3) =>
        new(new SalesforceClientOptions
        {
            InstanceUrl = Server.Url,
            ApiVersion = FakeSalesforce.ApiVersion,
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(20),
        }, new StaticAccessToken(token), Retries.Add);

    public async Task<RunReport> RunAsync(bool execute, string token = GoodToken, ContainmentPlan? plan = null, CancellationToken ct = default)
    {
        using var client = Client(token);
        var runner = new ContainmentRunner(Store, client, new StaticAccessToken(token), TimeProvider.System, "test-responder");
        return await runner.RunAsync(plan ?? Plan(), execute, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Dir.Dispose();
    }
}

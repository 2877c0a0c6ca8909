using System.Text;
using Breachline.Common;
using Breachline.Evidence;
using Breachline.Storage;

namespace Breachline.Tests.Evidence;

/// <summary>A small org export in the real formats, and a workspace to collect it into.</summary>
internal sealed class EvidenceOrg : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 9, 13, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();

    public EvidenceOrg()
    {
        Write("org.yaml", "name: Example State University\norgId: 00D5e000000AbCdEAK\ntimeZone: America/Chicago\nkind: public-university\n");
        // Event Monitoring API log: every field quoted, TIMESTAMP with 0-3 fraction digits, rows not in time order.
        Write("logs/2026-03-01_API.csv",
            "\"EVENT_TYPE\",\"TIMESTAMP\",\"REQUEST_ID\",\"USER_ID\",\"CLIENT_IP\",\"ENTITY_NAME\",\"ROWS_PROCESSED\"\n" +
            "\"API\",\"20260301101500.25\",\"4abc\",\"0055e000001AbCdAAK\",\"203.0.113.7\",\"Contact\",\"2000\"\n" +
            "\"API\",\"20260301090102\",\"4abd\",\"0055e000001AbCdAAK\",\"203.0.113.7\",\"Contact\",\"10\"\n" +
            "\"API\",\"20260301235959.123\",\"4abe\",\"0055e000001AbCdAAK\",\"203.0.113.7\",\"hed__Term_Grade__c\",\"5\"\n");
        Write("logs/SetupAuditTrail.csv",
            "Id,Action,Section,CreatedDate,CreatedById,Display\n" +
            "0Ym5e00000AbCdE,changedConnectedAppPolicy,Connected Apps,2026-02-28T21:04:35.000+0000,0055e000001AbCdAAK,Changed policy\n" +
            "0Ym5e00000AbCdF,createdUser,Manage Users,2026-02-27T08:00:00.000+0000,0055e000001AbCdAAK,Created user\n");
        Write("gateway/access.jsonl",
            "{\"time\":\"2026-03-01T09:00:00Z\",\"method\":\"GET\",\"path\":\"/services/data/v60.0/query\",\"status\":200}\n" +
            "{\"time\":\"2026-03-01T12:30:00-05:00\",\"method\":\"POST\",\"path\":\"/services/async/60.0/job\",\"status\":201}\n");
        Write("records/Contact.csv", "Id,FirstName,LastName,Email\n0035e00000AbCdEAAV,Ada,Lovelace,ada@example.edu\n");
        Write("metadata/force-app/main/default/connectedApps/Portal.connectedApp-meta.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Portal</label>\n</ConnectedApp>\n");
        Write("integrations/portal-sync/config.json", "{ \"endpoint\": \"https://example.edu/sync\" }\n");
        // The same bytes twice: one object, two items.
        Write("integrations/portal-sync/config.copy.json", "{ \"endpoint\": \"https://example.edu/sync\" }\n");
    }

    public string Root => Path.Combine(_dir.Path, "org");

    public string WorkspacePath => Path.Combine(_dir.Path, "ws");

    public string Scratch => _dir.Path;

    public static int FileCount => 8;

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    public Workspace OpenWorkspace() => Workspace.Open(WorkspacePath);

    public EvidenceVault OpenVault(TimeProvider? time = null) => EvidenceVault.Open(OpenWorkspace(), time ?? new FixedTimeProvider(Now));

    public CollectResult Collect(CollectOptions? options = null)
    {
        using var vault = OpenVault();
        return vault.Collect(Root, "alice@example.edu", options);
    }

    public void Dispose() => _dir.Dispose();
}

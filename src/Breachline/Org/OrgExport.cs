using Breachline.Common;

namespace Breachline.Org;

/// <summary>
/// An org export folder (DESIGN.md §9): org.yaml, metadata/, logs/, records/, integrations/, gateway/,
/// customers.yaml. Every part is optional; <see cref="Open"/> only checks that the folder exists and
/// that org.yaml, when present, is valid.
/// </summary>
public sealed class OrgExport
{
    private OrgExport(string root, OrgFacts? facts)
    {
        Root = root;
        Facts = facts;
    }

    /// <summary>Absolute path of the export folder.</summary>
    public string Root { get; }

    /// <summary>The facts from org.yaml, or null when the export has none.</summary>
    public OrgFacts? Facts { get; }

    /// <summary>Salesforce metadata (SFDX source or mdapi layout).</summary>
    public string MetadataPath => Path.Combine(Root, "metadata");

    /// <summary>Event Monitoring CSV, SetupAuditTrail CSV, Real-Time Event Monitoring JSON.</summary>
    public string LogsPath => Path.Combine(Root, "logs");

    /// <summary>Record exports, one CSV per object.</summary>
    public string RecordsPath => Path.Combine(Root, "records");

    /// <summary>Integration source trees and middleware configuration.</summary>
    public string IntegrationsPath => Path.Combine(Root, "integrations");

    /// <summary>API gateway access logs, JSON lines.</summary>
    public string GatewayPath => Path.Combine(Root, "gateway");

    /// <summary>customers.yaml (vendors), as named by org.yaml or at its default place; null when absent.</summary>
    public string? CustomersPath
    {
        get
        {
            var path = Path.Combine(Root, Facts?.Customers ?? "customers.yaml");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>True when the export holds at least one of the parts a stage can read.</summary>
    public bool HasAnyPart =>
        Facts is not null
        || new[] { MetadataPath, LogsPath, RecordsPath, IntegrationsPath, GatewayPath }.Any(Directory.Exists);

    /// <summary>Opens an export folder and reads its org.yaml.</summary>
    /// <exception cref="InputException">The folder does not exist, or org.yaml is malformed.</exception>
    public static OrgExport Open(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new InputException(path, null, "org export folder does not exist");
        }

        var orgYaml = Path.Combine(root, "org.yaml");
        var facts = File.Exists(orgYaml) ? OrgFacts.Load(orgYaml) : null;
        return new OrgExport(root, facts);
    }
}

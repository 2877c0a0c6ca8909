using System.Xml.Linq;
using Breachline.Common;
using Breachline.Containment;

namespace Breachline.Tests.Containment;

public sealed class ContainmentPackageTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "containment");
    private static readonly XNamespace Md = SfdxPackage.Md;

    private static (PackageResult Result, string Root) Write(TempDir dir, ContainmentInput? input = null, bool withOrg = true)
    {
        var plan = ContainmentPlanner.Build(input ?? ContainmentInput.Load(Path.Combine(Fixtures, "input.json")), Playbook.LoadBuiltIn());
        var root = dir.Combine("pkg");
        return (SfdxPackage.Write(plan, withOrg ? Path.Combine(Fixtures, "org") : null, root), root);
    }

    [Fact]
    public void The_connected_app_is_blocked_admin_approved_and_ip_enforced_on_a_copy_of_its_original()
    {
        using var dir = new TempDir();

        var (result, root) = Write(dir);

        var app = XDocument.Load(Path.Combine(root, "force-app/main/default/connectedApps/Campus_Chat.connectedApp-meta.xml")).Root!;
        Assert.Equal("Block", app.Element(Md + "sessionPolicy")!.Element(Md + "policyAction")!.Value);
        Assert.Equal("true", app.Element(Md + "oauthConfig")!.Element(Md + "isAdminApproved")!.Value);
        Assert.Equal("ENFORCE", app.Element(Md + "oauthPolicy")!.Element(Md + "ipRelaxation")!.Value);
        Assert.Null(app.Element(Md + "profileName"));
        Assert.Equal("10.0.0.0", app.Element(Md + "ipRanges")!.Element(Md + "start")!.Value);
        // Everything else of the original survives (a ConnectedApp deploy replaces the whole app).
        Assert.Equal("https://chat.example.edu/oauth/callback", app.Element(Md + "oauthConfig")!.Element(Md + "callbackUrl")!.Value);
        // Elements stay in the metadata schema's order.
        var names = app.Elements().Select(e => e.Name.LocalName).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        var reversal = File.ReadAllText(Path.Combine(root, "reversal/force-app/main/default/connectedApps/Campus_Chat.connectedApp-meta.xml"));
        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures, "org/metadata/force-app/main/default/connectedApps/Campus_Chat.connectedApp-meta.xml")), reversal);
        Assert.Contains("block-app:Campus_Chat", result.Packaged);
    }

    [Fact]
    public void The_guest_rule_is_removed_by_destructive_changes_and_kept_for_reversal()
    {
        using var dir = new TempDir();

        var (_, root) = Write(dir);

        var destructive = XDocument.Load(Path.Combine(root, "manifest/destructiveChangesPost.xml")).Root!;
        var types = destructive.Element(Md + "types")!;
        Assert.Equal("SharingGuestRules", types.Element(Md + "name")!.Value);
        Assert.Equal("Contact.Share_Contacts", types.Element(Md + "members")!.Value);
        Assert.True(File.Exists(Path.Combine(root, "reversal/force-app/main/default/sharingRules/Contact.sharingRules-meta.xml")));
    }

    [Fact]
    public void Profiles_are_partial_and_the_manifest_lists_every_component()
    {
        using var dir = new TempDir();

        var (_, root) = Write(dir);

        var standard = XDocument.Load(Path.Combine(root, "force-app/main/default/profiles/Standard User.profile-meta.xml")).Root!;
        var permission = Assert.Single(standard.Elements(Md + "userPermissions"));
        Assert.Equal("ApiEnabled", permission.Element(Md + "name")!.Value);
        Assert.Equal("false", permission.Element(Md + "enabled")!.Value);
        var portal = XDocument.Load(Path.Combine(root, "force-app/main/default/profiles/Portal Integration.profile-meta.xml")).Root!;
        Assert.Equal("10.255.255.255", portal.Element(Md + "loginIpRanges")!.Element(Md + "endAddress")!.Value);
        var manifest = XDocument.Load(Path.Combine(root, "manifest/package.xml")).Root!;
        var members = manifest.Elements(Md + "types").ToDictionary(t => t.Element(Md + "name")!.Value, t => t.Elements(Md + "members").Select(m => m.Value).ToList());
        Assert.Equal(["Campus_Chat"], members["ConnectedApp"]);
        Assert.Equal(["Portal Integration", "Standard User"], members["Profile"]);
        Assert.Equal(["Breachline_Attack_Pattern"], members["TransactionSecurityPolicy"]);
        Assert.Equal(["BreachlineAttackPatternCondition", "BreachlineAttackPatternConditionTest"], members["ApexClass"]);
        Assert.DoesNotContain(members.Values.SelectMany(v => v), m => m.Contains("System Administrator", StringComparison.Ordinal));
    }

    [Fact]
    public void The_transaction_security_policy_runs_as_the_responder_and_its_condition_never_matches_a_responder()
    {
        using var dir = new TempDir();

        var (_, root) = Write(dir);

        var policy = XDocument.Load(Path.Combine(root, "force-app/main/default/transactionSecurityPolicies/Breachline_Attack_Pattern.transactionSecurityPolicy-meta.xml")).Root!;
        Assert.Equal("CustomApexPolicy", policy.Element(Md + "type")!.Value);
        Assert.Equal("ApiEvent", policy.Element(Md + "eventName")!.Value);
        Assert.Equal("secops.admin@lakeshore.edu", policy.Element(Md + "executionUser")!.Value);
        Assert.Equal("true", policy.Element(Md + "action")!.Element(Md + "block")!.Value);
        var apex = File.ReadAllText(Path.Combine(root, "force-app/main/default/classes/BreachlineAttackPatternCondition.cls"));
        Assert.Contains("implements TxnSecurity.EventCondition", apex, StringComparison.Ordinal);
        Assert.Contains("'185.220.101.33', '208.68.36.90'", apex, StringComparison.Ordinal);
        Assert.Contains("RESPONDERS = new Set<String>{ '005000000000009' }", apex, StringComparison.Ordinal);
        var reversal = XDocument.Load(Path.Combine(root, "reversal/force-app/main/default/transactionSecurityPolicies/Breachline_Attack_Pattern.transactionSecurityPolicy-meta.xml")).Root!;
        Assert.Equal("false", reversal.Element(Md + "active")!.Value);
    }

    [Fact]
    public void The_readme_checklist_names_the_credential_owner_and_only_the_masked_value()
    {
        using var dir = new TempDir();

        var (result, root) = Write(dir);

        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.Contains("sf project deploy start --manifest manifest/package.xml --post-destructive-changes manifest/destructiveChangesPost.xml", readme, StringComparison.Ordinal);
        Assert.Contains("- [ ] [rotate-credential:", readme, StringComparison.Ordinal);
        Assert.Contains("AKIA…(20)", readme, StringComparison.Ordinal);
        Assert.Contains(result.Manual, m => m.Contains("owner:", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_org_export_the_connected_app_changes_become_checklist_items_not_a_partial_deploy()
    {
        using var dir = new TempDir();

        var (result, root) = Write(dir, withOrg: false);

        Assert.False(Directory.Exists(Path.Combine(root, "force-app/main/default/connectedApps")));
        Assert.Equal(3, result.Manual.Count(m => m.Contains("Campus_Chat", StringComparison.Ordinal) && m.Contains("not in the org export", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_package_is_never_written_over_an_existing_folder()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("pkg"));
        File.WriteAllText(dir.Combine("pkg", "keep.txt"), "mine");

        Assert.Throws<UsageException>(() => Write(dir));
        Assert.Equal("mine", File.ReadAllText(dir.Combine("pkg", "keep.txt")));
    }
}

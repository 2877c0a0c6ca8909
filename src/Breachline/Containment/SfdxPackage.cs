using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Breachline.Common;

namespace Breachline.Containment;

/// <summary>What <c>contain package</c> wrote.</summary>
/// <param name="Folder">The package folder.</param>
/// <param name="Files">Files written, relative to the folder.</param>
/// <param name="Packaged">Metadata actions the package carries.</param>
/// <param name="Manual">Actions left to people (checklist lines), with why.</param>
public sealed record PackageResult(string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> Packaged, IReadOnlyList<string> Manual);

/// <summary>
/// Writes a plan's metadata actions as a deployable SFDX project: edited copies of the connected apps (a
/// ConnectedApp deploy replaces the whole app, so the original from the org export is the base), partial
/// profiles (profile deploys only touch the elements present), the Transaction Security policy with its Apex
/// condition and test, a destructive-changes manifest for the open sharing rules, a reversal/ folder with the
/// originals, and a README checklist of what people must do by hand.
/// </summary>
public static class SfdxPackage
{
    /// <summary>The metadata namespace of every file.</summary>
    public static readonly XNamespace Md = "http://soap.sforce.com/2006/04/metadata";

    private const string ConditionClass = "BreachlineAttackPatternCondition";

    /// <summary>Writes the package for <paramref name="plan"/> into <paramref name="folder"/> (created; must be empty or absent).</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="orgRoot">The org export, for the originals of connected apps, profiles and sharing rules; null when not at hand.</param>
    /// <param name="folder">Output folder.</param>
    /// <param name="apiVersion">Metadata API version, e.g. 64.0.</param>
    /// <exception cref="UsageException">The folder exists and is not empty.</exception>
    public static PackageResult Write(ContainmentPlan plan, string? orgRoot, string folder, string apiVersion = "64.0")
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new UsageException($"{folder} is not empty; give a new folder for the package");
        }

        var root = Path.GetFullPath(folder);
        var files = new List<string>();
        var packaged = new List<string>();
        var manual = new List<string>();
        var types = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var destructive = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var src = Path.Combine("force-app", "main", "default");

        void Save(string relative, string text)
        {
            // Component names come from the input (containment-input.json, metadata file names): a name such as
            // "../../x" must not place a file outside the package folder.
            var path = Path.GetFullPath(Path.Combine(root, relative));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InputException(relative.Replace('\\', '/'), null, "a component name from the input would place this file outside the package folder; refused");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, new UTF8Encoding(false));
            files.Add(relative.Replace('\\', '/'));
        }

        void Member(IDictionary<string, SortedSet<string>> into, string type, string member)
        {
            if (!into.TryGetValue(type, out var set))
            {
                into[type] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.Add(member);
        }

        string Checklist(PlannedAction a, string why) => $"[{a.Id}] {a.Title}: {a.Target.Display} — {why}";

        var metadata = plan.Actions.Where(a => a.Mode == "metadata").ToList();

        // Connected apps: every operation on one app edits one copy of its original.
        foreach (var group in metadata.Where(a => a.Target.Kind == "connectedApps").GroupBy(a => a.Target.Key, StringComparer.Ordinal))
        {
            var original = ReadOriginal(orgRoot, group.First().Target.Fields.GetValueOrDefault("file"));
            if (original is null)
            {
                manual.AddRange(group.Select(a => Checklist(a, $"its metadata file is not in the org export, so it cannot be deployed safely; by hand: {a.Manual}")));
                continue;
            }

            var doc = original.Value.Document;
            foreach (var action in group)
            {
                EditConnectedApp(doc, OperationOf(plan, action), plan.Input.TrustedIpRanges);
                packaged.Add(action.Id);
            }

            Save(Path.Combine(src, "connectedApps", $"{group.Key}.connectedApp-meta.xml"), ToXml(doc));
            Save(Path.Combine("reversal", src, "connectedApps", $"{group.Key}.connectedApp-meta.xml"), original.Value.Text);
            Member(types, "ConnectedApp", group.Key);
        }

        // Profiles: partial files; a profile deploy changes only what the file names.
        foreach (var group in metadata.Where(a => a.Target.Kind is "integrationProfiles" or "apiEnabledProfiles").GroupBy(a => a.Target.Key, StringComparer.Ordinal))
        {
            var profile = new XElement(Md + "Profile");
            var reversal = new XElement(Md + "Profile");
            foreach (var action in group)
            {
                if (action.NeedsInput is not null)
                {
                    manual.Add(Checklist(action, action.NeedsInput));
                    continue;
                }

                if (OperationOf(plan, action) == "profile-login-ip-ranges")
                {
                    foreach (var range in plan.Input.TrustedIpRanges)
                    {
                        profile.Add(new XElement(Md + "loginIpRanges",
                            range.Description is null ? null : new XElement(Md + "description", range.Description),
                            new XElement(Md + "endAddress", range.End),
                            new XElement(Md + "startAddress", range.Start)));
                    }
                }
                else
                {
                    profile.Add(new XElement(Md + "userPermissions", new XElement(Md + "enabled", "false"), new XElement(Md + "name", "ApiEnabled")));
                    reversal.Add(new XElement(Md + "userPermissions", new XElement(Md + "enabled", "true"), new XElement(Md + "name", "ApiEnabled")));
                }

                packaged.Add(action.Id);
            }

            if (!profile.HasElements)
            {
                continue;
            }

            // Metadata API reads elements in schema order: loginIpRanges before userPermissions.
            var ordered = new XElement(Md + "Profile", profile.Elements().OrderBy(e => e.Name.LocalName, StringComparer.Ordinal));
            Save(Path.Combine(src, "profiles", $"{group.Key}.profile-meta.xml"), ToXml(new XDocument(ordered)));
            Member(types, "Profile", group.Key);
            if (reversal.HasElements)
            {
                Save(Path.Combine("reversal", src, "profiles", $"{group.Key}.profile-meta.xml"), ToXml(new XDocument(reversal)));
            }

            if (group.Any(a => OperationOf(plan, a) == "profile-login-ip-ranges"))
            {
                manual.Add($"[{group.First().Id}] after deploy, check the login IP ranges of {group.Key} in Setup: a profile deploy adds ranges, and the ranges it had before are not known to Breachline unless the org export held the profile");
            }
        }

        // Open sharing rules: removed by destructive changes; the original file is kept for reversal.
        foreach (var action in metadata.Where(a => a.Target.Kind == "sharingRules"))
        {
            var kind = action.Target.Fields.GetValueOrDefault("kind") switch
            {
                "guest" => "SharingGuestRules",
                "owner" => "SharingOwnerRules",
                _ => "SharingCriteriaRules",
            };
            Member(destructive, kind, action.Target.Key);
            packaged.Add(action.Id);
            if (ReadOriginal(orgRoot, action.Target.Fields.GetValueOrDefault("file")) is { } original)
            {
                var obj = action.Target.Fields["object"];
                var reversalPath = Path.Combine("reversal", src, "sharingRules", $"{obj}.sharingRules-meta.xml");
                if (!files.Contains(reversalPath.Replace('\\', '/')))
                {
                    Save(reversalPath, original.Text);
                }
            }
        }

        // Transaction Security policy with its Apex condition.
        foreach (var action in metadata.Where(a => a.Target.Kind == "attackPattern"))
        {
            var responder = plan.Input.Responders.FirstOrDefault(r => r.Username is not null);
            if (responder is null)
            {
                manual.Add(Checklist(action, "a Transaction Security policy needs an execution user: name a responder with a username in the input"));
                continue;
            }

            var ips = Split(action.Target.Fields.GetValueOrDefault("ips"));
            var apps = Split(action.Target.Fields.GetValueOrDefault("apps"));
            var appIds = plan.Input.ConnectedApps.Select(a => a.Id).OfType<string>().ToList();
            var responderIds = plan.Input.Responders.Select(r => r.Id).ToList();
            Save(Path.Combine(src, "classes", $"{ConditionClass}.cls"), ConditionApex(ips, apps, appIds, responderIds));
            Save(Path.Combine(src, "classes", $"{ConditionClass}.cls-meta.xml"), ClassMeta(apiVersion));
            Save(Path.Combine(src, "classes", $"{ConditionClass}Test.cls"), ConditionTestApex(ips, apps, responderIds));
            Save(Path.Combine(src, "classes", $"{ConditionClass}Test.cls-meta.xml"), ClassMeta(apiVersion));
            Save(Path.Combine(src, "transactionSecurityPolicies", $"{ContainmentPlanner.PolicyName}.transactionSecurityPolicy-meta.xml"), Policy(responder.Username!, active: true));
            Save(Path.Combine("reversal", src, "transactionSecurityPolicies", $"{ContainmentPlanner.PolicyName}.transactionSecurityPolicy-meta.xml"), Policy(responder.Username!, active: false));
            Member(types, "ApexClass", ConditionClass);
            Member(types, "ApexClass", ConditionClass + "Test");
            Member(types, "TransactionSecurityPolicy", ContainmentPlanner.PolicyName);
            packaged.Add(action.Id);
        }

        foreach (var action in plan.Actions.Where(a => a.Mode == "manual"))
        {
            manual.Add($"[{action.Id}] {action.Title}: {action.Target.Display} — owner: {action.Owner}; {action.Manual}");
        }

        Save("sfdx-project.json", JsonSerializer.Serialize(new
        {
            packageDirectories = new[] { new { path = "force-app", @default = true } },
            name = "breachline-containment",
            sourceApiVersion = apiVersion,
        }, BreachlineJson.Options) + "\n");
        Save(Path.Combine("manifest", "package.xml"), Manifest(types, apiVersion));
        if (destructive.Count > 0)
        {
            Save(Path.Combine("manifest", "destructiveChangesPost.xml"), Manifest(destructive, apiVersion));
        }

        Save("README.md", Readme(plan, packaged, manual, destructive.Count > 0));
        return new PackageResult(root, files, packaged, manual);
    }

    private static string OperationOf(ContainmentPlan plan, PlannedAction action)
    {
        var playbook = plan.Playbook == Playbook.BuiltIn ? Playbook.LoadBuiltIn() : Playbook.Load(plan.Playbook);
        return playbook.Steps.First(s => s.Id == action.Step).Operation!;
    }

    private static void EditConnectedApp(XDocument doc, string operation, IReadOnlyList<IpRange> trusted)
    {
        var app = doc.Root!;
        switch (operation)
        {
            case "connected-app-block":
                SetChild(Child(app, "sessionPolicy"), "policyAction", "Block");
                break;
            case "connected-app-admin-approved":
                SetChild(Child(app, "oauthConfig"), "isAdminApproved", "true");
                // Admin-approved with no profile or permission set pre-authorised: nobody until an admin grants it.
                app.Elements(Md + "profileName").Remove();
                app.Elements(Md + "permissionSetName").Remove();
                break;
            case "connected-app-ip-enforce":
                SetChild(Child(app, "oauthPolicy"), "ipRelaxation", "ENFORCE");
                foreach (var range in trusted)
                {
                    Insert(app, new XElement(Md + "ipRanges",
                        range.Description is null ? null : new XElement(Md + "description", range.Description),
                        new XElement(Md + "end", range.End),
                        new XElement(Md + "start", range.Start)));
                }

                break;
            default:
                throw new InvalidOperationException($"operation {operation} is not a connected app operation");
        }
    }

    private static XElement Child(XElement parent, string name)
    {
        if (parent.Element(Md + name) is { } existing)
        {
            return existing;
        }

        var created = new XElement(Md + name);
        Insert(parent, created);
        return created;
    }

    private static void SetChild(XElement parent, string name, string value)
    {
        if (parent.Element(Md + name) is { } existing)
        {
            existing.Value = value;
            return;
        }

        Insert(parent, new XElement(Md + name, value));
    }

    // Metadata XML follows the WSDL's sequence, which for these types is alphabetical: insert in place.
    private static void Insert(XElement parent, XElement child)
    {
        var after = parent.Elements().FirstOrDefault(e => string.CompareOrdinal(e.Name.LocalName, child.Name.LocalName) > 0);
        if (after is null)
        {
            parent.Add(child);
        }
        else
        {
            after.AddBeforeSelf(child);
        }
    }

    private static (XDocument Document, string Text)? ReadOriginal(string? orgRoot, string? relative)
    {
        if (orgRoot is null || string.IsNullOrEmpty(relative))
        {
            return null;
        }

        var rootFull = Path.GetFullPath(orgRoot);
        var path = Path.GetFullPath(Path.Combine(rootFull, relative));
        if (!path.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            return (XDocument.Load(reader), text);
        }
        catch (XmlException e)
        {
            throw new InputException(path, e.LineNumber, $"not valid metadata XML: {e.Message}", inner: e);
        }
    }

    private static string ToXml(XDocument doc)
    {
        var sb = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(sb, CultureInfo.InvariantCulture), new XmlWriterSettings { Indent = true, IndentChars = "    ", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true }))
        {
            doc.Root!.WriteTo(writer);
        }

        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string Manifest(SortedDictionary<string, SortedSet<string>> types, string apiVersion) =>
        ToXml(new XDocument(new XElement(Md + "Package",
            types.Select(t => new XElement(Md + "types", t.Value.Select(m => new XElement(Md + "members", m)), new XElement(Md + "name", t.Key))),
            new XElement(Md + "version", apiVersion))));

    private static string Policy(string executionUser, bool active) =>
        ToXml(new XDocument(new XElement(Md + "TransactionSecurityPolicy",
            new XElement(Md + "action",
                new XElement(Md + "block", "true"),
                new XElement(Md + "endSession", "false"),
                new XElement(Md + "freezeUser", "false"),
                new XElement(Md + "notifications",
                    new XElement(Md + "inApp", "true"),
                    new XElement(Md + "sendEmail", "true"),
                    new XElement(Md + "user", executionUser)),
                new XElement(Md + "twoFactorAuthentication", "false")),
            new XElement(Md + "active", active ? "true" : "false"),
            new XElement(Md + "apexClass", ConditionClass),
            new XElement(Md + "description", "Breachline containment: block API calls from the attacker's addresses or through the compromised connected app"),
            new XElement(Md + "developerName", ContainmentPlanner.PolicyName),
            new XElement(Md + "eventName", "ApiEvent"),
            new XElement(Md + "masterLabel", "Breachline attack pattern"),
            new XElement(Md + "type", "CustomApexPolicy"),
            new XElement(Md + "executionUser", executionUser))));

    private static string ClassMeta(string apiVersion) =>
        ToXml(new XDocument(new XElement(Md + "ApexClass", new XElement(Md + "apiVersion", apiVersion), new XElement(Md + "status", "Active"))));

    private static string ApexSet(IEnumerable<string> values) =>
        "new Set<String>{ " + string.Join(", ", values.Select(v => "'" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'")) + " }";

    private static string ConditionApex(IReadOnlyList<string> ips, IReadOnlyList<string> apps, IReadOnlyList<string> appIds, IReadOnlyList<string> responders) => $$"""
        // Generated by Breachline containment. Blocks ApiEvent from the attacker's addresses or through the
        // compromised connected app; the responders' own users are never matched.
        global class {{ConditionClass}} implements TxnSecurity.EventCondition {
            private static final Set<String> ATTACKER_IPS = {{ApexSet(ips)}};
            private static final Set<String> COMPROMISED_APPS = {{ApexSet(apps)}};
            private static final Set<String> COMPROMISED_APP_IDS = {{ApexSet(appIds.Select(id => id[..15]))}};
            private static final Set<String> RESPONDERS = {{ApexSet(responders.Select(id => id[..15]))}};

            public Boolean evaluate(SObject event) {
                if (event instanceof ApiEvent) {
                    ApiEvent api = (ApiEvent) event;
                    return matches(api.UserId, api.SourceIp, api.Application, api.ConnectedAppId);
                }
                return false;
            }

            @TestVisible
            private static Boolean matches(String userId, String sourceIp, String application, String connectedAppId) {
                if (userId != null && RESPONDERS.contains(userId.left(15))) {
                    return false;
                }
                return (sourceIp != null && ATTACKER_IPS.contains(sourceIp))
                    || (application != null && COMPROMISED_APPS.contains(application))
                    || (connectedAppId != null && COMPROMISED_APP_IDS.contains(connectedAppId.left(15)));
            }
        }

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string ConditionTestApex(IReadOnlyList<string> ips, IReadOnlyList<string> apps, IReadOnlyList<string> responders)
    {
        var ip = ips.FirstOrDefault() ?? "203.0.113.7";
        var app = apps.FirstOrDefault() ?? "No Such App";
        var responder = responders.FirstOrDefault() ?? "005000000000000";
        return $$"""
            @IsTest
            private class {{ConditionClass}}Test {
                @IsTest
                static void a_call_from_an_attacker_address_is_blocked() {
                    {{(ips.Count > 0 ? $"System.assert({ConditionClass}.matches(null, '{ip}', null, null));" : $"System.assert(!{ConditionClass}.matches(null, '{ip}', null, null));")}}
                }

                @IsTest
                static void a_call_through_the_compromised_app_is_blocked() {
                    {{(apps.Count > 0 ? $"System.assert({ConditionClass}.matches(null, null, '{app.Replace("'", "\\'", StringComparison.Ordinal)}', null));" : $"System.assert(!{ConditionClass}.matches(null, null, 'No Such App', null));")}}
                }

                @IsTest
                static void a_responder_is_never_blocked() {
                    System.assert(!{{ConditionClass}}.matches('{{responder[..15]}}', '{{ip}}', null, null));
                }

                @IsTest
                static void an_ordinary_call_passes() {
                    System.assert(!new {{ConditionClass}}().evaluate(new ApiEvent(SourceIp = '198.51.100.1')));
                }
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static List<string> Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Readme(ContainmentPlan plan, List<string> packaged, List<string> manual, bool hasDestructive)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Breachline containment package");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Plan {plan.PlanId}. Deploy through your pipeline, or directly:");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine("sf project deploy start --manifest manifest/package.xml" + (hasDestructive ? " --post-destructive-changes manifest/destructiveChangesPost.xml" : "") + " --test-level RunSpecifiedTests --tests BreachlineAttackPatternConditionTest --target-org <alias>");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("Undo: deploy the files under reversal/ the same way (sharing rules: deploy reversal/force-app/main/default/sharingRules).");
        sb.AppendLine();
        sb.AppendLine("## Actions in this package");
        sb.AppendLine();
        foreach (var id in packaged)
        {
            var action = plan.Find(id)!;
            sb.AppendLine(CultureInfo.InvariantCulture, $"- [{action.Id}] {action.Title}: {action.Target.Display}. Why: {action.Reason}. Risk: {action.Risk} ({action.Disruption}) Reversal: {action.Reversal}");
        }

        sb.AppendLine();
        sb.AppendLine("## Checklist for people");
        sb.AppendLine();
        foreach (var line in manual)
        {
            sb.AppendLine("- [ ] " + line);
        }

        if (plan.Refused.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Refused by the lockout guard");
            sb.AppendLine();
            foreach (var refused in plan.Refused)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {refused.Step} on {refused.Target}: {refused.Why}");
            }
        }

        return sb.ToString();
    }
}

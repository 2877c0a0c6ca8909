using System.Xml;
using System.Xml.Linq;
using Breachline.Common;
using Breachline.Org;

namespace Breachline.Containment;

/// <summary>
/// Helpers for whoever fills a <see cref="ContainmentInput"/> from the scan's findings (path + line) and the
/// hunt's suspects (ids and API names): they read the org export for what containment needs and findings
/// do not carry — a connected app's label (what <c>OauthToken.AppName</c> holds) and the sharing rule a
/// finding's line falls in.
/// </summary>
public static class ContainmentInputs
{
    private static readonly string[] RuleKinds = ["sharingGuestRules", "sharingCriteriaRules", "sharingOwnerRules"];

    /// <summary>A compromised connected app by API name, with its label and file when the export has it.</summary>
    public static CompromisedApp ConnectedApp(OrgExport org, string name, string reason)
    {
        foreach (var relative in new[] { $"metadata/force-app/main/default/connectedApps/{name}.connectedApp-meta.xml", $"metadata/unpackaged/connectedApps/{name}.connectedApp" })
        {
            var path = Path.Combine(org.Root, relative);
            if (File.Exists(path))
            {
                var label = Load(path).Root?.Element(SfdxPackage.Md + "label")?.Value;
                return new CompromisedApp(name, label, null, relative, reason);
            }
        }

        return new CompromisedApp(name, null, null, null, reason);
    }

    /// <summary>The sharing rule that contains <paramref name="line"/> of a sharingRules file, or null when the line is outside every rule.</summary>
    /// <param name="org">The org export.</param>
    /// <param name="path">Path of the sharingRules file relative to the export (a finding's location).</param>
    /// <param name="line">A line inside the rule.</param>
    /// <param name="reason">The finding.</param>
    /// <exception cref="InputException">The file is not readable metadata XML.</exception>
    public static OpenSharingRule? SharingRuleAt(OrgExport org, string path, int line, string reason)
    {
        var full = Path.Combine(org.Root, path);
        if (!File.Exists(full))
        {
            return null;
        }

        var name = Path.GetFileName(path);
        var obj = name[..name.IndexOf(".sharingRules", StringComparison.Ordinal)];
        var rules = Load(full).Root?.Elements().Where(e => RuleKinds.Contains(e.Name.LocalName)).ToList() ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var start = ((IXmlLineInfo)rules[i]).LineNumber;
            var end = i + 1 < rules.Count ? ((IXmlLineInfo)rules[i + 1]).LineNumber - 1 : int.MaxValue;
            if (line >= start && line <= end && rules[i].Element(SfdxPackage.Md + "fullName")?.Value is { } fullName)
            {
                var kind = rules[i].Name.LocalName switch
                {
                    "sharingGuestRules" => "guest",
                    "sharingOwnerRules" => "owner",
                    _ => "criteria",
                };
                return new OpenSharingRule(obj, fullName, kind, path, start, reason);
            }
        }

        return null;
    }

    private static XDocument Load(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(path, settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new InputException(path, e.LineNumber, $"not valid metadata XML: {e.Message}", inner: e);
        }
    }
}

using Breachline.Forensics;
using Breachline.Org;
using Breachline.Posture;
using Breachline.Salesforce;
using nietras.SeparatedValues;

namespace Breachline.Controls;

/// <summary>
/// Which findings the attacker actually went through: those on the suspect connected app, on the suspect
/// user's profile or permission sets, on guest sharing of an object a guest suspect read, or in an integration
/// file that names a suspect identity. A control whose finding is on this path failed; elsewhere it is at risk.
/// </summary>
/// <param name="Findings">Finding id → why it is on the attack path.</param>
/// <param name="Files">Export-relative paths of files the attack went through.</param>
/// <param name="Integrations">Integration folders (under integrations/) the attack went through.</param>
/// <param name="ConnectedApps">Suspect connected app names as the metadata names them.</param>
public sealed record AttackPath(IReadOnlyDictionary<string, string> Findings, IReadOnlySet<string> Files, IReadOnlySet<string> Integrations, IReadOnlySet<string> ConnectedApps)
{
    /// <summary>No attack found: nothing is on the path.</summary>
    public static AttackPath None { get; } = new(new Dictionary<string, string>(), new HashSet<string>(), new HashSet<string>(), new HashSet<string>());

    /// <summary>Resolves the path from the hunt's suspects against the metadata, the records (User, Profile) and the integration files.</summary>
    public static AttackPath Resolve(HuntResult? hunt, OrgMetadata metadata, OrgExport org, IReadOnlyList<Finding> findings)
    {
        if (hunt is null || !hunt.FoundMaliciousActivity)
        {
            return None;
        }

        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var integrations = new HashSet<string>(StringComparer.Ordinal);
        var apps = metadata.ConnectedApps
            .Where(a => hunt.Suspects.ConnectedApps.Any(s => string.Equals(s, a.Name, StringComparison.OrdinalIgnoreCase) || string.Equals(s, a.Label?.Value, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        foreach (var app in apps)
        {
            files.TryAdd(app.Source.Path, $"connected app {app.Name} is the one the attacker used");
            foreach (var holderName in new[] { app.PermissionSetName?.Value, app.ProfileName?.Value }.OfType<string>())
            {
                if (metadata.PermissionHolders.FirstOrDefault(h => string.Equals(h.Name, holderName, StringComparison.OrdinalIgnoreCase) || string.Equals(h.Label?.Value, holderName, StringComparison.OrdinalIgnoreCase)) is { } holder)
                {
                    files.TryAdd(holder.Source.Path, $"{holder.Display} gives connected app {app.Name} its access");
                }
            }
        }

        var users = ReadUsers(org, hunt.Suspects.Users);
        var queried = hunt.Queries.Select(q => q.Object).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var user in users)
        {
            if (user.Profile is { } profileName && metadata.Profiles.FirstOrDefault(p => string.Equals(p.Name, profileName, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Label?.Value, profileName, StringComparison.OrdinalIgnoreCase)) is { } profile)
            {
                files.TryAdd(profile.Source.Path, $"{profile.Display} is the profile of suspect user {Mask(user.Username)}");
            }

            if (user.IsGuest)
            {
                foreach (var rule in metadata.SharingRules.Where(r => r.Kind == SharingRuleKind.Guest && queried.Contains(r.Object)))
                {
                    files.TryAdd(rule.Source.Path, $"guest sharing rule {rule.FullName} opens {rule.Object}, which the guest suspect read");
                }
            }
        }

        var identities = hunt.Suspects.Usernames
            .Concat(apps.Select(a => a.Label?.Value).OfType<string>())
            .Concat(apps.Select(a => a.Name))
            .Where(s => s.Length >= 6)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var integrationRoot = org.IntegrationsPath;
        if (identities.Count > 0 && Directory.Exists(integrationRoot))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            foreach (var file in Directory.EnumerateFiles(integrationRoot, "*", options).Order(StringComparer.Ordinal))
            {
                if (new FileInfo(file).Length > 4 * 1024 * 1024)
                {
                    continue;
                }

                var text = File.ReadAllText(file);
                if (identities.FirstOrDefault(i => text.Contains(i, StringComparison.OrdinalIgnoreCase)) is { } named)
                {
                    var relative = Path.GetRelativePath(org.Root, file).Replace('\\', '/');
                    files.TryAdd(relative, $"the file names {Mask(named)}, an identity the attacker used");
                    integrations.Add(relative.Split('/')[1]);
                }
            }
        }

        foreach (var finding in findings)
        {
            if (files.TryGetValue(finding.Location.Path, out var why))
            {
                reasons[finding.Id] = why;
            }
        }

        return new AttackPath(reasons, files.Keys.ToHashSet(StringComparer.Ordinal), integrations, apps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Masks an identifier for reports: first 4 characters and the length.</summary>
    public static string Mask(string value) => value.Length <= 4 ? value : $"{value[..4]}…({value.Length})";

    private static List<SuspectUser> ReadUsers(OrgExport org, IReadOnlyList<string> ids)
    {
        var users = new List<SuspectUser>();
        var userCsv = Path.Combine(org.RecordsPath, "User.csv");
        if (ids.Count == 0 || !File.Exists(userCsv))
        {
            return users;
        }

        var profiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var profileCsv = Path.Combine(org.RecordsPath, "Profile.csv");
        if (File.Exists(profileCsv))
        {
            using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(profileCsv);
            if (reader.Header.ColNames.Contains("Id") && reader.Header.ColNames.Contains("Name"))
            {
                foreach (var row in reader)
                {
                    profiles[row["Id"].ToString()] = row["Name"].ToString();
                }
            }
        }

        using var users15 = Sep.Reader(o => o with { Unescape = true }).FromFile(userCsv);
        var columns = users15.Header.ColNames;
        if (!columns.Contains("Id"))
        {
            return users;
        }

        var wanted = ids.Select(i => i.Length >= 15 ? i[..15] : i).ToHashSet(StringComparer.Ordinal);
        foreach (var row in users15)
        {
            var id = row["Id"].ToString();
            if (!wanted.Contains(id.Length >= 15 ? id[..15] : id))
            {
                continue;
            }

            var profileId = columns.Contains("ProfileId") ? row["ProfileId"].ToString() : "";
            users.Add(new SuspectUser(
                id,
                columns.Contains("Username") ? row["Username"].ToString() : id,
                profiles.GetValueOrDefault(profileId),
                columns.Contains("UserType") && string.Equals(row["UserType"].ToString(), "Guest", StringComparison.OrdinalIgnoreCase)));
        }

        return users;
    }

    private sealed record SuspectUser(string Id, string Username, string? Profile, bool IsGuest);
}

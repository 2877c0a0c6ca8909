using System.Text.RegularExpressions;
using Breachline.Forensics;
using Breachline.Pipeline;
using Breachline.Posture;

namespace Breachline.Containment;

/// <summary>
/// Fills <see cref="ContainmentInput"/> from what `run` already knows: the hunt's suspects (apps, users,
/// sessions, addresses, objects taken) and the scan's findings (open and guest sharing rules, hard-coded
/// credentials). Responders and trusted ranges are not in any log, so a plan built this way names none;
/// `contain run --execute` refuses such a plan until a responder adds them (contain plan --input).
/// </summary>
public static partial class ContainmentAdapter
{
    /// <summary>The input for the run's context, or null when neither the hunt nor the scan found anything to contain.</summary>
    public static ContainmentInput? From(PipelineContext context)
    {
        var hunt = context.Get<HuntResult>();
        var scan = context.Get<ScanResult>();
        var org = context.Org;
        var suspects = hunt?.Suspects ?? new HuntSuspects();
        var findings = scan?.Findings ?? [];

        var apps = suspects.ConnectedApps.Select(a => ContainmentInputs.ConnectedApp(org, a, "hunt: connected app the attacker used")).ToList();
        var users = suspects.Users.Select((id, i) => new AttackerUser(id, i < suspects.Usernames.Count ? suspects.Usernames[i] : null, "hunt: identity the attacker acted as")).ToList();
        var sessions = users.Count == 1
            ? suspects.Sessions.Select(s => new AttackerSession(users[0].Id, s, null, "hunt: attacker session")).ToList()
            : [];
        var rules = findings
            .Where(f => f.Pattern is "guest-exposure" or "open-sharing" && f.Location.Path.Contains("/sharingRules/", StringComparison.Ordinal) && f.Location.Line is not null)
            .Select(f => ContainmentInputs.SharingRuleAt(org, f.Location.Path, f.Location.Line!.Value, f.Id))
            .OfType<OpenSharingRule>()
            .DistinctBy(r => (r.Object, r.RuleName))
            .ToList();
        var credentials = findings
            .Where(f => f.Pattern == "hardcoded-credential")
            .Select(f => new HardcodedCredential(MaskedValue().Match(f.Detail) is { Success: true } m ? m.Value : $"see finding {f.Id}", f.Rule, f.Location.Path, f.Location.Line, null, f.Id))
            .ToList();

        if (apps.Count == 0 && users.Count == 0 && rules.Count == 0 && credentials.Count == 0)
        {
            return null;
        }

        return new ContainmentInput
        {
            ConnectedApps = apps,
            Users = users,
            Sessions = sessions,
            Ips = suspects.Ips,
            SharingRules = rules,
            Credentials = credentials,
            ExfiltratedObjects = [.. (hunt?.RowsByObject.Keys ?? [])],
        };
    }

    // Secrets reach findings already masked as the first four characters, an ellipsis and the length.
    [GeneratedRegex(@"\S{1,4}…\(\d+\)")]
    private static partial Regex MaskedValue();
}

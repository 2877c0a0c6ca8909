using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Containment;

/// <summary>What an action acts on.</summary>
/// <param name="Kind">The playbook source it came from (users, connectedApps, …).</param>
/// <param name="Key">Stable key within that kind (user id, app name, Object.Rule, …).</param>
/// <param name="Display">How people see it; credentials only masked.</param>
/// <param name="Fields">The item's fields, for the playbook's placeholders.</param>
public sealed record ActionTarget(string Kind, string Key, string Display, IReadOnlyDictionary<string, string> Fields);

/// <summary>One containment action of the plan.</summary>
/// <param name="Order">1-based position; actions run in this order.</param>
/// <param name="Id">Stable id <c>step:key</c>; the journal and resume use it.</param>
/// <param name="Step">Playbook step id.</param>
/// <param name="Title">What it does.</param>
/// <param name="Mode">api, metadata or manual.</param>
/// <param name="Target">What it acts on.</param>
/// <param name="Reason">The finding or hunt item that calls for it.</param>
/// <param name="Effect">Expected effect.</param>
/// <param name="Risk">low, medium or high disruption.</param>
/// <param name="Disruption">Who or what is disrupted.</param>
/// <param name="Reversal">How to undo it.</param>
/// <param name="DependsOn">Actions that must be done first.</param>
/// <param name="Manual">The Setup route or checklist text.</param>
/// <param name="Owner">Who must do it (manual actions).</param>
/// <param name="Citation">Source of the step.</param>
/// <param name="NeedsInput">What input is missing before it can be done, or null.</param>
public sealed record PlannedAction(
    int Order,
    string Id,
    string Step,
    string Title,
    string Mode,
    ActionTarget Target,
    string Reason,
    string Effect,
    string Risk,
    string Disruption,
    string Reversal,
    IReadOnlyList<string> DependsOn,
    string? Manual,
    string? Owner,
    string Citation,
    string? NeedsInput);

/// <summary>An action the playbook asked for that the plan refused, and why.</summary>
/// <param name="Step">Playbook step.</param>
/// <param name="Target">The target as shown.</param>
/// <param name="Why">Why it was refused (it would lock out a responder).</param>
public sealed record RefusedAction(string Step, string Target, string Why);

/// <summary>An ordered containment plan.</summary>
/// <param name="PlanId">Digest of the input and the actions: the same input gives the same id, so a rerun resumes.</param>
/// <param name="Playbook">Playbook it came from.</param>
/// <param name="Actions">The actions in order.</param>
/// <param name="Refused">Actions the lockout guard refused.</param>
/// <param name="Input">The input it was built from.</param>
public sealed record ContainmentPlan(string PlanId, string Playbook, IReadOnlyList<PlannedAction> Actions, IReadOnlyList<RefusedAction> Refused, ContainmentInput Input)
{
    /// <summary>The action with that id.</summary>
    public PlannedAction? Find(string id) => Actions.FirstOrDefault(a => a.Id == id);
}

/// <summary>Turns a containment input into a plan by the playbook's steps, never against a responder.</summary>
public static partial class ContainmentPlanner
{
    /// <summary>The name of the generated Transaction Security policy.</summary>
    public const string PolicyName = "Breachline_Attack_Pattern";

    /// <summary>Builds the plan.</summary>
    /// <exception cref="InputException">An id in the input is not a Salesforce id of the right kind.</exception>
    public static ContainmentPlan Build(ContainmentInput input, Playbook playbook, string inputName = "containment input")
    {
        Validate(input, inputName);
        var guard = new LockoutGuard(input);
        var actions = new List<PlannedAction>();
        var refused = new List<RefusedAction>();
        foreach (var step in playbook.Steps)
        {
            foreach (var (target, reason, owner) in Targets(step.For, input))
            {
                if (step.When is { } when && !string.Equals(target.Fields.GetValueOrDefault(when), "true", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (guard.Refuses(target) is { } why)
                {
                    refused.Add(new RefusedAction(step.Id, target.Display, why));
                    continue;
                }

                var dependsOn = new List<string>();
                foreach (var dependency in step.DependsOn)
                {
                    var ofStep = actions.Where(a => a.Step == dependency).ToList();
                    var sameTarget = ofStep.Where(a => a.Target.Kind == target.Kind && a.Target.Key == target.Key).ToList();
                    dependsOn.AddRange((sameTarget.Count > 0 ? sameTarget : ofStep).Select(a => a.Id));
                }

                var needs = step.Needs == "trustedIpRanges" && input.TrustedIpRanges.Count == 0
                    ? "trustedIpRanges: name the campus, VPN and integration host ranges in the input"
                    : null;
                actions.Add(new PlannedAction(
                    actions.Count + 1,
                    $"{step.Id}:{target.Key}",
                    step.Id,
                    step.Title,
                    step.Mode,
                    target,
                    reason,
                    step.Effect,
                    step.Risk,
                    step.Disruption,
                    step.Reversal,
                    dependsOn,
                    step.Manual,
                    step.Mode == "manual" ? owner : null,
                    step.Citation,
                    needs));
            }
        }

        return new ContainmentPlan(Digest(input, actions), playbook.Source, actions, refused, input);
    }

    private static IEnumerable<(ActionTarget Target, string Reason, string? Owner)> Targets(string source, ContainmentInput input)
    {
        static Dictionary<string, string> F(params (string Key, string? Value)[] pairs) =>
            pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

        switch (source)
        {
            case "connectedApps":
                foreach (var app in input.ConnectedApps)
                {
                    var label = app.Label ?? app.Name;
                    yield return (new ActionTarget(source, app.Name, label == app.Name ? app.Name : $"{label} ({app.Name})", F(("name", app.Name), ("label", label), ("id", app.Id), ("file", app.File))), app.Reason, null);
                }

                break;
            case "users":
                foreach (var user in input.Users)
                {
                    var display = user.Username is null ? user.Id : $"{user.Username} ({user.Id})";
                    yield return (new ActionTarget(source, user.Id, display, F(("id", user.Id), ("username", user.Username), ("deactivate", user.Deactivate ? "true" : "false"))), user.Reason, null);
                }

                break;
            case "sharingRules":
                foreach (var rule in input.SharingRules)
                {
                    var key = $"{rule.Object}.{rule.RuleName}";
                    yield return (new ActionTarget(source, key, $"{key} ({rule.Kind})", F(("object", rule.Object), ("ruleName", rule.RuleName), ("kind", rule.Kind), ("file", rule.File), ("line", rule.Line?.ToString(CultureInfo.InvariantCulture)))), rule.Reason, null);
                }

                break;
            case "credentials":
                foreach (var credential in input.Credentials)
                {
                    var where = credential.Line is { } l ? $"{credential.File}:{l}" : credential.File;
                    var owner = credential.Owner ?? $"owner of the system the {credential.Kind} opens (find who runs {credential.File})";
                    yield return (new ActionTarget(source, $"{where}#{credential.MaskedId}", $"{credential.Kind} {credential.MaskedId} at {where}", F(("maskedId", credential.MaskedId), ("kind", credential.Kind), ("file", credential.File), ("line", credential.Line?.ToString(CultureInfo.InvariantCulture)), ("owner", owner))), credential.Reason, owner);
                }

                break;
            case "integrationProfiles":
            case "apiEnabledProfiles":
                foreach (var profile in source == "integrationProfiles" ? input.IntegrationProfiles : input.ApiEnabledProfiles)
                {
                    yield return (new ActionTarget(source, profile.Name, profile.Name, F(("name", profile.Name))), profile.Reason, null);
                }

                break;
            case "attackPattern":
                if (input.ConnectedApps.Count > 0 || input.Ips.Count > 0)
                {
                    var apps = string.Join(",", input.ConnectedApps.Select(a => a.Label ?? a.Name));
                    var reason = string.Join("; ", input.ConnectedApps.Select(a => a.Reason).Concat(input.Ips.Count > 0 ? [$"attacker IPs {string.Join(", ", input.Ips)}"] : []));
                    yield return (new ActionTarget(source, PolicyName, PolicyName, F(("name", PolicyName), ("ips", string.Join(",", input.Ips)), ("apps", apps), ("objects", string.Join(",", input.ExfiltratedObjects)))), reason, null);
                }

                break;
            default:
                throw new InvalidOperationException($"playbook source '{source}' passed validation but has no targets");
        }
    }

    private static void Validate(ContainmentInput input, string file)
    {
        var problems = new List<InputProblem>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                problems.Add(new InputProblem(file, null, message, field));
            }
        }

        for (var i = 0; i < input.Users.Count; i++)
        {
            Check(SalesforceId.IsUserId(input.Users[i].Id), $"users[{i}].id", $"'{input.Users[i].Id}' is not a user id (005 + 12 or 15 characters)");
        }

        for (var i = 0; i < input.Responders.Count; i++)
        {
            Check(SalesforceId.IsUserId(input.Responders[i].Id), $"responders[{i}].id", $"'{input.Responders[i].Id}' is not a user id (005 + 12 or 15 characters)");
        }

        for (var i = 0; i < input.ConnectedApps.Count; i++)
        {
            Check(!string.IsNullOrWhiteSpace(input.ConnectedApps[i].Name), $"connectedApps[{i}].name", "is required");
        }

        for (var i = 0; i < input.Ips.Count; i++)
        {
            Check(System.Net.IPAddress.TryParse(input.Ips[i], out _), $"ips[{i}]", $"'{input.Ips[i]}' is not an IP address");
        }

        for (var i = 0; i < input.TrustedIpRanges.Count; i++)
        {
            var range = input.TrustedIpRanges[i];
            Check(System.Net.IPAddress.TryParse(range.Start, out _) && System.Net.IPAddress.TryParse(range.End, out _), $"trustedIpRanges[{i}]", $"'{range.Start}'-'{range.End}' is not a range of IP addresses");
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }
    }

    private static string Digest(ContainmentInput input, List<PlannedAction> actions)
    {
        var text = JsonSerializer.Serialize(input, BreachlineJson.Options) + "\n" + string.Join("\n", actions.Select(a => a.Id));
        return "plan-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

/// <summary>Salesforce record ids.</summary>
public static partial class SalesforceId
{
    /// <summary>True for a 15- or 18-character user id (prefix 005).</summary>
    public static bool IsUserId(string? id) => id is not null && UserIdPattern().IsMatch(id);

    /// <summary>True for any 15- or 18-character record id.</summary>
    public static bool IsRecordId(string? id) => id is not null && RecordIdPattern().IsMatch(id);

    /// <summary>Two ids name the same record (15-character ids are the case-sensitive prefix of 18-character ones).</summary>
    public static bool Same(string a, string b) =>
        a.Length >= 15 && b.Length >= 15 && string.Equals(a[..15], b[..15], StringComparison.Ordinal);

    [GeneratedRegex("^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();

    [GeneratedRegex("^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$", RegexOptions.CultureInvariant)]
    private static partial Regex RecordIdPattern();
}

/// <summary>
/// Refuses every action that could lock the responders out: acting on their users, on their profiles, or on
/// the app they come in through. Rows of responders met at run time are dropped by the runner as well.
/// </summary>
public sealed class LockoutGuard(ContainmentInput input)
{
    /// <summary>Why the action on <paramref name="target"/> is refused, or null when it is safe.</summary>
    public string? Refuses(ActionTarget target)
    {
        switch (target.Kind)
        {
            case "users":
                var user = input.Responders.FirstOrDefault(r => IsResponder(r, target.Fields.GetValueOrDefault("id"), target.Fields.GetValueOrDefault("username")));
                return user is null ? null : $"would lock out responder {user.Username ?? user.Id}";
            case "integrationProfiles" or "apiEnabledProfiles":
                var holder = input.Responders.FirstOrDefault(r => r.Profile is not null && string.Equals(r.Profile, target.Key, StringComparison.OrdinalIgnoreCase));
                return holder is null ? null : $"profile {target.Key} is responder {holder.Username ?? holder.Id}'s profile; restricting it would lock them out";
            case "connectedApps":
                var app = input.ResponderApps.FirstOrDefault(a =>
                    string.Equals(a, target.Key, StringComparison.OrdinalIgnoreCase) || string.Equals(a, target.Fields.GetValueOrDefault("label"), StringComparison.OrdinalIgnoreCase));
                return app is null ? null : $"the responders work through connected app {app}";
            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="userId"/> is a responder's user id.</summary>
    public bool IsProtectedUser(string? userId) =>
        userId is not null && input.Responders.Any(r => SalesforceId.Same(r.Id, userId));

    private static bool IsResponder(ProtectedUser responder, string? id, string? username) =>
        (id is not null && SalesforceId.Same(responder.Id, id))
        || (username is not null && responder.Username is not null && string.Equals(responder.Username, username, StringComparison.OrdinalIgnoreCase));
}

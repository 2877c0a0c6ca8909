using System.Text.Json;
using Breachline.Common;

namespace Breachline.Containment;

/// <summary>
/// Everything containment needs to know, gathered from the scan (findings) and the hunt (suspects). This is
/// the contract between those stages and containment: the lead's adapter fills it from their results, and
/// a responder may write it by hand as JSON (<c>contain plan --input FILE</c>). Every item carries the
/// reason it is here (a finding id or hunt item), which the plan repeats so every action can be traced.
/// </summary>
public sealed record ContainmentInput
{
    /// <summary>Connected apps whose tokens the attacker held or used.</summary>
    public IReadOnlyList<CompromisedApp> ConnectedApps { get; init; } = [];

    /// <summary>Users the attacker logged in as or acted through.</summary>
    public IReadOnlyList<AttackerUser> Users { get; init; } = [];

    /// <summary>Sessions the hunt tied to the attacker (for the record; sessions are killed per user).</summary>
    public IReadOnlyList<AttackerSession> Sessions { get; init; } = [];

    /// <summary>Source IP addresses the attacker used.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>Sharing rules that open records to the guest user or to everyone.</summary>
    public IReadOnlyList<OpenSharingRule> SharingRules { get; init; } = [];

    /// <summary>Credentials found hard-coded in integration code or metadata (already masked).</summary>
    public IReadOnlyList<HardcodedCredential> Credentials { get; init; } = [];

    /// <summary>Profiles of integration users that should only log in from the integration's addresses.</summary>
    public IReadOnlyList<ProfileRef> IntegrationProfiles { get; init; } = [];

    /// <summary>Default (non-admin) profiles that grant API Enabled to everyone holding them.</summary>
    public IReadOnlyList<ProfileRef> ApiEnabledProfiles { get; init; } = [];

    /// <summary>Address ranges the institution trusts (campus, VPN, integration hosts) for IP restrictions.</summary>
    public IReadOnlyList<IpRange> TrustedIpRanges { get; init; } = [];

    /// <summary>Objects the attacker read, for the Transaction Security policy's condition.</summary>
    public IReadOnlyList<string> ExfiltratedObjects { get; init; } = [];

    /// <summary>The responders' own admin users and the app they use: no action may lock them out.</summary>
    public IReadOnlyList<ProtectedUser> Responders { get; init; } = [];

    /// <summary>Connected apps the responders themselves use (e.g. the JWT app Breachline runs through).</summary>
    public IReadOnlyList<string> ResponderApps { get; init; } = [];

    /// <summary>Reads an input file written as JSON in Breachline's camelCase shape.</summary>
    /// <exception cref="InputException">The file cannot be read or is not that shape.</exception>
    public static ContainmentInput Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ContainmentInput>(stream, BreachlineJson.Options)
                ?? throw new InputException(path, 1, "the file is empty");
        }
        catch (JsonException e)
        {
            throw new InputException(path, e.LineNumber is { } l ? (int)l + 1 : null, e.Message, e.Path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, $"cannot read: {e.Message}", inner: e);
        }
    }
}

/// <summary>A connected app the attacker held tokens of.</summary>
/// <param name="Name">API name (the metadata file's name, e.g. <c>Campus_Chat</c>).</param>
/// <param name="Label">Label as <c>OauthToken.AppName</c> shows it; defaults to the name.</param>
/// <param name="Id">Connected app id (0H4…), when known.</param>
/// <param name="File">Its metadata file inside the org export, when known (the package edits a copy of it).</param>
/// <param name="Reason">Finding id or hunt item that names it.</param>
public sealed record CompromisedApp(string Name, string? Label, string? Id, string? File, string Reason);

/// <summary>A user the attacker logged in as.</summary>
/// <param name="Id">User id (005…).</param>
/// <param name="Username">Username, for people reading the plan.</param>
/// <param name="Reason">Hunt item that names the user.</param>
/// <param name="Deactivate">True when the user must also be deactivated, not only frozen.</param>
public sealed record AttackerUser(string Id, string? Username, string Reason, bool Deactivate = false);

/// <summary>A session tied to the attacker by the hunt.</summary>
/// <param name="UserId">Whose session.</param>
/// <param name="SessionKey">SESSION_KEY of the event logs, when known.</param>
/// <param name="SourceIp">Where it came from.</param>
/// <param name="Reason">Hunt item.</param>
public sealed record AttackerSession(string UserId, string? SessionKey, string? SourceIp, string Reason);

/// <summary>A sharing rule that opens records too widely.</summary>
/// <param name="Object">Object the rule shares, e.g. <c>Contact</c>.</param>
/// <param name="RuleName">The rule's fullName.</param>
/// <param name="Kind">guest, criteria or owner (the element it is written as).</param>
/// <param name="File">Its sharingRules file inside the org export.</param>
/// <param name="Line">Line of the rule in that file.</param>
/// <param name="Reason">Finding id.</param>
public sealed record OpenSharingRule(string Object, string RuleName, string Kind, string? File, int? Line, string Reason);

/// <summary>A credential found hard-coded; never carries the secret itself.</summary>
/// <param name="MaskedId">The masked value (first 4 characters + length).</param>
/// <param name="Kind">What it is: aws-access-key, salesforce-password, api-key, …</param>
/// <param name="File">Where it was found, relative to the org export.</param>
/// <param name="Line">Line in that file.</param>
/// <param name="Owner">Who owns the system it opens, when known; the checklist names the owner to ask.</param>
/// <param name="Reason">Finding id.</param>
public sealed record HardcodedCredential(string MaskedId, string Kind, string File, int? Line, string? Owner, string Reason);

/// <summary>A profile by name.</summary>
/// <param name="Name">Profile name as in metadata (file name without suffix), e.g. <c>Integration User</c>.</param>
/// <param name="Reason">Finding id.</param>
public sealed record ProfileRef(string Name, string Reason);

/// <summary>An IPv4 address range.</summary>
/// <param name="Start">First address.</param>
/// <param name="End">Last address.</param>
/// <param name="Description">What it is (campus, VPN, integration host).</param>
public sealed record IpRange(string Start, string End, string? Description = null);

/// <summary>A responder's admin user that must keep working whatever containment does.</summary>
/// <param name="Id">User id (005…).</param>
/// <param name="Username">Username.</param>
/// <param name="Profile">Profile name, so profile restrictions never touch it.</param>
public sealed record ProtectedUser(string Id, string? Username, string? Profile);

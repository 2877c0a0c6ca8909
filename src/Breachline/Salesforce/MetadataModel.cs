using Breachline.Common;

namespace Breachline.Salesforce;

/// <summary>One element's text and the line it sits on, so a finding can cite it.</summary>
/// <param name="Value">The trimmed text of the element.</param>
/// <param name="Line">1-based line of the element's start tag.</param>
public sealed record MetaValue(string Value, int Line)
{
    /// <summary>True when the value is the XML boolean <c>true</c>.</summary>
    public bool IsTrue => string.Equals(Value, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the value is the XML boolean <c>false</c>.</summary>
    public bool IsFalse => string.Equals(Value, "false", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A connected app (<c>connectedApps/*.connectedApp[-meta.xml]</c>), with the OAuth settings that decide what a stolen token can do.</summary>
public sealed record ConnectedApp(
    string Name,
    EvidenceRef Source,
    MetaValue? Label,
    MetaValue? CallbackUrl,
    IReadOnlyList<MetaValue> Scopes,
    MetaValue? IsAdminApproved,
    MetaValue? IsIntrospectAllTokens,
    MetaValue? IsPkceRequired,
    MetaValue? IsRefreshTokenRotationEnabled,
    MetaValue? IsConsumerSecretOptional,
    MetaValue? IsSecretRequiredForRefreshToken,
    MetaValue? IsClientCredentialEnabled,
    MetaValue? OauthClientCredentialUser,
    MetaValue? ConsumerKey,
    MetaValue? ConsumerSecret,
    MetaValue? IpRelaxation,
    MetaValue? RefreshTokenPolicy,
    MetaValue? ProfileName,
    MetaValue? PermissionSetName,
    MetaValue? SessionPolicyAction,
    MetaValue? OauthConfig)
{
    /// <summary>The scope value, when the app has it (scope names compare case-insensitively).</summary>
    public MetaValue? Scope(string name) => Scopes.FirstOrDefault(s => string.Equals(s.Value, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Whether permissions come from a profile or a permission set.</summary>
public enum PermissionHolderKind
{
    /// <summary>A profile (<c>profiles/*.profile[-meta.xml]</c>).</summary>
    Profile,

    /// <summary>A permission set (<c>permissionsets/*.permissionset[-meta.xml]</c>).</summary>
    PermissionSet,
}

/// <summary>A user permission such as ModifyAllData, enabled or not.</summary>
public sealed record UserPermission(string Name, bool Enabled, int Line);

/// <summary>CRUD and view/modify-all on one object.</summary>
public sealed record ObjectPermission(string Object, bool AllowRead, bool AllowCreate, bool AllowEdit, bool AllowDelete, bool ViewAllRecords, bool ModifyAllRecords, int Line);

/// <summary>Field-level security on one field (<c>Object.Field</c>).</summary>
public sealed record FieldPermission(string Field, bool Readable, bool Editable, int Line);

/// <summary>A profile or permission set: who gets which permissions.</summary>
public sealed record PermissionHolder(
    PermissionHolderKind Kind,
    string Name,
    EvidenceRef Source,
    MetaValue? Label,
    MetaValue? License,
    MetaValue? Custom,
    MetaValue? Description,
    IReadOnlyList<UserPermission> UserPermissions,
    IReadOnlyList<ObjectPermission> ObjectPermissions,
    IReadOnlyList<FieldPermission> FieldPermissions,
    int LoginIpRangeCount)
{
    /// <summary>True for the System Administrator profile (mdapi name <c>Admin</c>), whose broad rights are by design.</summary>
    public bool IsSystemAdministrator =>
        Kind == PermissionHolderKind.Profile
        && (Name is "Admin" or "System Administrator" || string.Equals(Label?.Value, "System Administrator", StringComparison.OrdinalIgnoreCase));

    /// <summary>True for a site guest user's profile (Guest User License).</summary>
    public bool IsGuest =>
        License?.Value.Contains("Guest", StringComparison.OrdinalIgnoreCase) == true
        || Name.Contains("Guest", StringComparison.OrdinalIgnoreCase) && Kind == PermissionHolderKind.Profile;

    /// <summary>The enabled user permission of that name, or null.</summary>
    public UserPermission? Enabled(string permission) =>
        UserPermissions.FirstOrDefault(p => p.Enabled && string.Equals(p.Name, permission, StringComparison.OrdinalIgnoreCase));

    /// <summary>Short form for messages: <c>profile Admin</c> or <c>permission set Encryption</c>.</summary>
    public string Display => Kind == PermissionHolderKind.Profile ? $"profile {Name}" : $"permission set {Name}";
}

/// <summary>A custom or standard object's settings, and the fields found for it.</summary>
public sealed record CustomObject(
    string Name,
    EvidenceRef? Source,
    MetaValue? Label,
    MetaValue? SharingModel,
    MetaValue? ExternalSharingModel,
    MetaValue? EnableHistory,
    MetaValue? Visibility,
    IReadOnlyList<CustomField> Fields);

/// <summary>One field, from its own <c>.field-meta.xml</c> (SFDX) or a <c>&lt;fields&gt;</c> element of the object file (mdapi).</summary>
public sealed record CustomField(
    string Object,
    string Name,
    EvidenceRef Source,
    MetaValue? Label,
    MetaValue? Type,
    MetaValue? MaskType,
    MetaValue? TrackHistory,
    MetaValue? SecurityClassification,
    MetaValue? Description)
{
    /// <summary><c>Object.Field</c>, as field permissions name it.</summary>
    public string QualifiedName => $"{Object}.{Name}";

    /// <summary>True for Classic Encryption (EncryptedText) fields.</summary>
    public bool IsEncrypted => string.Equals(Type?.Value, "EncryptedText", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The kind of a sharing rule.</summary>
public enum SharingRuleKind
{
    /// <summary><c>sharingCriteriaRules</c>: records matching criteria.</summary>
    Criteria,

    /// <summary><c>sharingOwnerRules</c>: records owned by a group or role.</summary>
    Owner,

    /// <summary><c>sharingGuestRules</c>: records shared to a site's guest user.</summary>
    Guest,

    /// <summary><c>sharingTerritoryRules</c>.</summary>
    Territory,
}

/// <summary>One criteria item of a sharing rule.</summary>
public sealed record CriteriaItem(string Field, string Operation, string Value, int Line);

/// <summary>A sharing rule: which records of an object are opened to whom, and how far.</summary>
public sealed record SharingRule(
    string Object,
    SharingRuleKind Kind,
    string FullName,
    EvidenceRef Source,
    MetaValue? AccessLevel,
    string SharedToKind,
    MetaValue? SharedTo,
    IReadOnlyList<CriteriaItem> Criteria);

/// <summary>An org settings file (<c>settings/*.settings[-meta.xml]</c>), kept as its top-level elements.</summary>
public sealed record OrgSettings(string Name, EvidenceRef Source, IReadOnlyDictionary<string, MetaValue> Values)
{
    /// <summary>The value of one top-level element, or null.</summary>
    public MetaValue? this[string element] => Values.GetValueOrDefault(element);
}

/// <summary>A remote site setting: an endpoint Apex may call.</summary>
public sealed record RemoteSite(string Name, EvidenceRef Source, MetaValue? Url, MetaValue? IsActive, MetaValue? DisableProtocolSecurity);

/// <summary>A named credential (legacy or the API 56+ model).</summary>
public sealed record NamedCredential(
    string Name,
    EvidenceRef Source,
    MetaValue? Type,
    MetaValue? Endpoint,
    MetaValue? Protocol,
    MetaValue? PrincipalType,
    MetaValue? Password,
    MetaValue? ExternalCredential,
    MetaValue? AllowMergeFieldsInBody,
    MetaValue? AllowMergeFieldsInHeader);

/// <summary>An external credential: how a named credential authenticates.</summary>
public sealed record ExternalCredential(string Name, EvidenceRef Source, MetaValue? AuthenticationProtocol, IReadOnlyList<MetaValue> Principals);

/// <summary>A Salesforce site or Experience site (<c>sites/*.site[-meta.xml]</c>) and its guest profile.</summary>
public sealed record Site(string Name, EvidenceRef Source, MetaValue? Active, MetaValue? GuestProfile, MetaValue? SiteType, IReadOnlyDictionary<string, MetaValue> Values);

/// <summary>A Transaction Security policy: a real-time check on events such as report exports.</summary>
public sealed record TransactionSecurityPolicy(string Name, EvidenceRef Source, MetaValue? Active, MetaValue? EventName, MetaValue? Block, MetaValue? Type);

/// <summary>A metadata file that could not be read, and why; the scan goes on without it.</summary>
public sealed record MetadataProblem(string Path, int? Line, string Message);

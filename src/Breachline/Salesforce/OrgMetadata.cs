using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using Breachline.Common;

namespace Breachline.Salesforce;

/// <summary>
/// The posture-relevant Salesforce metadata of one org, read from SFDX source (<c>force-app/…/*-meta.xml</c>)
/// or mdapi (<c>unpackaged/…</c>, no <c>-meta.xml</c> suffix) layouts, or both mixed. Every element keeps its
/// file, line and the file's SHA-256, so findings cite exactly what was read. Files that cannot be read are
/// listed in <see cref="Problems"/>; they never stop the others.
/// </summary>
public sealed class OrgMetadata
{
    private static readonly string[] SkippedFolders = ["node_modules", ".git", ".sfdx", ".sf"];

    private OrgMetadata()
    {
    }

    /// <summary>An org with no metadata (an export without a metadata folder).</summary>
    public static OrgMetadata Empty { get; } = new();

    /// <summary>Connected apps.</summary>
    public IReadOnlyList<ConnectedApp> ConnectedApps { get; private set; } = [];

    /// <summary>Profiles.</summary>
    public IReadOnlyList<PermissionHolder> Profiles { get; private set; } = [];

    /// <summary>Permission sets.</summary>
    public IReadOnlyList<PermissionHolder> PermissionSets { get; private set; } = [];

    /// <summary>Objects, with their fields (an object that only has field files still appears, with no object settings).</summary>
    public IReadOnlyList<CustomObject> Objects { get; private set; } = [];

    /// <summary>Sharing rules of every object.</summary>
    public IReadOnlyList<SharingRule> SharingRules { get; private set; } = [];

    /// <summary>Org settings files by name (Sharing, Security, ConnectedApp, …).</summary>
    public IReadOnlyList<OrgSettings> Settings { get; private set; } = [];

    /// <summary>Remote site settings.</summary>
    public IReadOnlyList<RemoteSite> RemoteSites { get; private set; } = [];

    /// <summary>Named credentials.</summary>
    public IReadOnlyList<NamedCredential> NamedCredentials { get; private set; } = [];

    /// <summary>External credentials.</summary>
    public IReadOnlyList<ExternalCredential> ExternalCredentials { get; private set; } = [];

    /// <summary>Sites and Experience sites.</summary>
    public IReadOnlyList<Site> Sites { get; private set; } = [];

    /// <summary>Transaction Security policies.</summary>
    public IReadOnlyList<TransactionSecurityPolicy> TransactionSecurityPolicies { get; private set; } = [];

    /// <summary>Files that could not be read, each with the reason.</summary>
    public IReadOnlyList<MetadataProblem> Problems { get; private set; } = [];

    /// <summary>How many metadata files were read.</summary>
    public int FilesRead { get; private set; }

    /// <summary>Profiles and permission sets together.</summary>
    public IEnumerable<PermissionHolder> PermissionHolders => Profiles.Concat(PermissionSets);

    /// <summary>The settings file of that name (e.g. <c>Sharing</c>), or null.</summary>
    public OrgSettings? SettingsNamed(string name) =>
        Settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The object of that API name, or null.</summary>
    public CustomObject? Object(string name) =>
        Objects.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every field of every object.</summary>
    public IEnumerable<CustomField> Fields => Objects.SelectMany(o => o.Fields);

    /// <summary>
    /// Reads every metadata file under <paramref name="metadataDir"/>. Paths in the result are relative to
    /// <paramref name="pathsRelativeTo"/> (the org export root, so they read <c>metadata/force-app/…</c>);
    /// by default, relative to <paramref name="metadataDir"/> itself.
    /// </summary>
    /// <exception cref="InputException">The folder does not exist.</exception>
    public static OrgMetadata Load(string metadataDir, string? pathsRelativeTo = null)
    {
        if (!Directory.Exists(metadataDir))
        {
            throw new InputException(metadataDir, null, "metadata folder does not exist");
        }

        var root = Path.GetFullPath(pathsRelativeTo ?? metadataDir);
        var builder = new Builder();
        foreach (var file in EnumerateFiles(Path.GetFullPath(metadataDir)))
        {
            var kind = Classify(file);
            if (kind is null)
            {
                continue;
            }

            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            try
            {
                if (new FileInfo(file).Length == 0)
                {
                    // Not opened: a named pipe or a device reports 0 too, and opening one for reading blocks.
                    builder.Problems.Add(new MetadataProblem(relative, null, "is empty (or not a regular file); not read"));
                    continue;
                }

                // Hashed as a stream: a hostile multi-gigabyte file costs no more memory than the XML cap allows.
                string sha;
                using (var stream = File.OpenRead(file))
                {
                    sha = Convert.ToHexStringLower(SHA256.HashData(stream));
                }

                var document = SecureXml.Load(file);
                builder.Add(kind.Value, file, new FileContext(relative, sha), document.Root!);
                builder.FilesRead++;
            }
            catch (MetadataFileException e)
            {
                builder.Problems.Add(new MetadataProblem(relative, e.Line, e.Message));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                builder.Problems.Add(new MetadataProblem(relative, null, $"cannot be read: {e.Message}"));
            }
        }

        return builder.Build();
    }

    /// <summary>Files in a stable order, skipping tool folders; symbolic links to folders are not followed out of the tree.</summary>
    private static IEnumerable<string> EnumerateFiles(string dir)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(dir, "*", options).Order(StringComparer.Ordinal))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(dir, "*", options).Order(StringComparer.Ordinal))
        {
            if (SkippedFolders.Contains(Path.GetFileName(sub)))
            {
                continue;
            }

            foreach (var file in EnumerateFiles(sub))
            {
                yield return file;
            }
        }
    }

    private enum FileKind
    {
        ConnectedApp,
        Profile,
        PermissionSet,
        Object,
        Field,
        SharingRules,
        Settings,
        RemoteSite,
        NamedCredential,
        ExternalCredential,
        Site,
        TransactionSecurityPolicy,
    }

    private static readonly (string Suffix, FileKind Kind)[] Suffixes =
    [
        (".connectedApp", FileKind.ConnectedApp),
        (".profile", FileKind.Profile),
        (".permissionset", FileKind.PermissionSet),
        (".object", FileKind.Object),
        (".field", FileKind.Field),
        (".sharingRules", FileKind.SharingRules),
        (".settings", FileKind.Settings),
        (".remoteSite", FileKind.RemoteSite),
        (".namedCredential", FileKind.NamedCredential),
        (".externalCredential", FileKind.ExternalCredential),
        (".site", FileKind.Site),
        (".transactionSecurityPolicy", FileKind.TransactionSecurityPolicy),
    ];

    private static FileKind? Classify(string file)
    {
        var name = Path.GetFileName(file);
        if (name.EndsWith("-meta.xml", StringComparison.Ordinal))
        {
            name = name[..^"-meta.xml".Length];
        }

        foreach (var (suffix, kind) in Suffixes)
        {
            // mdapi field definitions live inside the object file; a bare ".field" file is SFDX only.
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length
                && !(kind == FileKind.Field && !file.EndsWith("-meta.xml", StringComparison.Ordinal)))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>The base name of a metadata file: <c>Admin.profile-meta.xml</c> → <c>Admin</c>.</summary>
    private static string BaseName(string file)
    {
        var name = Path.GetFileName(file);
        if (name.EndsWith("-meta.xml", StringComparison.Ordinal))
        {
            name = name[..^"-meta.xml".Length];
        }

        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    private sealed record FileContext(string Path, string Sha256)
    {
        public EvidenceRef Ref(XElement element) => new(Sha256, Path, LineOf(element));
    }

    private static int LineOf(XElement element) => ((IXmlLineInfo)element).HasLineInfo() ? ((IXmlLineInfo)element).LineNumber : 1;

    private static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent is null ? [] : parent.Elements().Where(e => e.Name.LocalName == name);

    private static MetaValue? Value(XElement? parent, string name) =>
        Child(parent, name) is { } e ? new MetaValue(e.Value.Trim(), LineOf(e)) : null;

    private static string Text(XElement? parent, string name) => Child(parent, name)?.Value.Trim() ?? "";

    private static bool Flag(XElement? parent, string name) =>
        string.Equals(Text(parent, name), "true", StringComparison.OrdinalIgnoreCase);

    private sealed class Builder
    {
        private readonly List<ConnectedApp> _apps = [];
        private readonly List<PermissionHolder> _profiles = [];
        private readonly List<PermissionHolder> _permissionSets = [];
        private readonly Dictionary<string, ObjectParts> _objects = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<SharingRule> _sharingRules = [];
        private readonly List<OrgSettings> _settings = [];
        private readonly List<RemoteSite> _remoteSites = [];
        private readonly List<NamedCredential> _namedCredentials = [];
        private readonly List<ExternalCredential> _externalCredentials = [];
        private readonly List<Site> _sites = [];
        private readonly List<TransactionSecurityPolicy> _policies = [];

        public List<MetadataProblem> Problems { get; } = [];

        public int FilesRead { get; set; }

        public void Add(FileKind kind, string file, FileContext ctx, XElement root)
        {
            var name = BaseName(file);
            switch (kind)
            {
                case FileKind.ConnectedApp:
                    _apps.Add(ReadConnectedApp(name, ctx, root));
                    break;
                case FileKind.Profile:
                    _profiles.Add(ReadHolder(PermissionHolderKind.Profile, name, ctx, root));
                    break;
                case FileKind.PermissionSet:
                    _permissionSets.Add(ReadHolder(PermissionHolderKind.PermissionSet, name, ctx, root));
                    break;
                case FileKind.Object:
                    var parts = Parts(name);
                    parts.Root = root;
                    parts.Context = ctx;
                    // mdapi: fields are children of the object file.
                    foreach (var field in Children(root, "fields"))
                    {
                        parts.Fields.Add(ReadField(name, Text(field, "fullName"), ctx, field));
                    }

                    break;
                case FileKind.Field:
                    // SFDX: objects/<Object>/fields/<Field>.field-meta.xml
                    var objectName = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))) ?? "";
                    Parts(objectName).Fields.Add(ReadField(objectName, name, ctx, root));
                    break;
                case FileKind.SharingRules:
                    ReadSharingRules(name, ctx, root);
                    break;
                case FileKind.Settings:
                    _settings.Add(new OrgSettings(name, ctx.Ref(root), TopLevel(root)));
                    break;
                case FileKind.RemoteSite:
                    _remoteSites.Add(new RemoteSite(name, ctx.Ref(root), Value(root, "url"), Value(root, "isActive"), Value(root, "disableProtocolSecurity")));
                    break;
                case FileKind.NamedCredential:
                    _namedCredentials.Add(ReadNamedCredential(name, ctx, root));
                    break;
                case FileKind.ExternalCredential:
                    _externalCredentials.Add(new ExternalCredential(
                        name,
                        ctx.Ref(root),
                        Value(root, "authenticationProtocol"),
                        [.. Children(root, "externalCredentialParameters").Select(p => Value(p, "parameterName")).OfType<MetaValue>()]));
                    break;
                case FileKind.Site:
                    _sites.Add(new Site(name, ctx.Ref(root), Value(root, "active"), Value(root, "guestProfile"), Value(root, "siteType"), TopLevel(root)));
                    break;
                case FileKind.TransactionSecurityPolicy:
                    _policies.Add(new TransactionSecurityPolicy(name, ctx.Ref(root), Value(root, "active"), Value(root, "eventName"), Value(Child(root, "action"), "block"), Value(root, "type")));
                    break;
                default:
                    throw new InvalidOperationException($"unhandled metadata kind {kind}");
            }
        }

        public OrgMetadata Build() => new()
        {
            ConnectedApps = _apps,
            Profiles = _profiles,
            PermissionSets = _permissionSets,
            Objects = [.. _objects.Values.Select(p => p.Build()).OrderBy(o => o.Name, StringComparer.Ordinal)],
            SharingRules = _sharingRules,
            Settings = _settings,
            RemoteSites = _remoteSites,
            NamedCredentials = _namedCredentials,
            ExternalCredentials = _externalCredentials,
            Sites = _sites,
            TransactionSecurityPolicies = _policies,
            Problems = Problems,
            FilesRead = FilesRead,
        };

        private ObjectParts Parts(string name)
        {
            if (!_objects.TryGetValue(name, out var parts))
            {
                parts = new ObjectParts(name);
                _objects[name] = parts;
            }

            return parts;
        }

        private static Dictionary<string, MetaValue> TopLevel(XElement root)
        {
            var values = new Dictionary<string, MetaValue>(StringComparer.Ordinal);
            foreach (var element in root.Elements().Where(e => !e.HasElements))
            {
                values.TryAdd(element.Name.LocalName, new MetaValue(element.Value.Trim(), LineOf(element)));
            }

            return values;
        }

        private static ConnectedApp ReadConnectedApp(string name, FileContext ctx, XElement root)
        {
            var oauth = Child(root, "oauthConfig");
            var policy = Child(root, "oauthPolicy");
            return new ConnectedApp(
                name,
                ctx.Ref(root),
                Value(root, "label"),
                Value(oauth, "callbackUrl"),
                [.. Children(oauth, "scopes").Select(s => new MetaValue(s.Value.Trim(), LineOf(s)))],
                Value(oauth, "isAdminApproved"),
                Value(oauth, "isIntrospectAllTokens"),
                Value(oauth, "isPkceRequired"),
                Value(oauth, "isRefreshTokenRotationEnabled"),
                Value(oauth, "isConsumerSecretOptional"),
                Value(oauth, "isSecretRequiredForRefreshToken"),
                Value(oauth, "isClientCredentialEnabled"),
                Value(oauth, "oauthClientCredentialUser"),
                Value(oauth, "consumerKey"),
                Value(oauth, "consumerSecret"),
                Value(policy, "ipRelaxation"),
                Value(policy, "refreshTokenPolicy"),
                Value(root, "profileName"),
                Value(root, "permissionSetName"),
                Value(Child(root, "sessionPolicy"), "policyAction"),
                oauth is null ? null : new MetaValue("", LineOf(oauth)));
        }

        private static PermissionHolder ReadHolder(PermissionHolderKind kind, string name, FileContext ctx, XElement root) => new(
            kind,
            name,
            ctx.Ref(root),
            Value(root, "label"),
            Value(root, kind == PermissionHolderKind.Profile ? "userLicense" : "license") ?? Value(root, "userLicense"),
            Value(root, "custom"),
            Value(root, "description"),
            [.. Children(root, "userPermissions").Select(p => new UserPermission(Text(p, "name"), Flag(p, "enabled"), Value(p, "name")?.Line ?? LineOf(p)))],
            [.. Children(root, "objectPermissions").Select(p => new ObjectPermission(
                Text(p, "object"),
                Flag(p, "allowRead"),
                Flag(p, "allowCreate"),
                Flag(p, "allowEdit"),
                Flag(p, "allowDelete"),
                Flag(p, "viewAllRecords"),
                Flag(p, "modifyAllRecords"),
                LineOf(p),
                Value(p, "allowRead")?.Line ?? LineOf(p),
                Value(p, "allowEdit")?.Line ?? LineOf(p)))],
            [.. Children(root, "fieldPermissions").Select(p => new FieldPermission(
                Text(p, "field"),
                Flag(p, "readable"),
                Flag(p, "editable"),
                LineOf(p),
                Value(p, "readable")?.Line ?? LineOf(p),
                Value(p, "editable")?.Line ?? LineOf(p)))],
            Children(root, "loginIpRanges").Count());

        private static CustomField ReadField(string objectName, string name, FileContext ctx, XElement element) => new(
            objectName,
            name,
            ctx.Ref(element),
            Value(element, "label"),
            Value(element, "type"),
            Value(element, "maskType"),
            Value(element, "trackHistory"),
            Value(element, "securityClassification"),
            Value(element, "description"));

        private void ReadSharingRules(string objectName, FileContext ctx, XElement root)
        {
            var kinds = new (string Element, SharingRuleKind Kind)[]
            {
                ("sharingCriteriaRules", SharingRuleKind.Criteria),
                ("sharingOwnerRules", SharingRuleKind.Owner),
                ("sharingGuestRules", SharingRuleKind.Guest),
                ("sharingTerritoryRules", SharingRuleKind.Territory),
            };
            foreach (var (element, kind) in kinds)
            {
                foreach (var rule in Children(root, element))
                {
                    var sharedTo = Child(rule, "sharedTo")?.Elements().FirstOrDefault();
                    _sharingRules.Add(new SharingRule(
                        objectName,
                        kind,
                        Text(rule, "fullName"),
                        ctx.Ref(rule),
                        Value(rule, "accessLevel"),
                        sharedTo?.Name.LocalName ?? "",
                        sharedTo is null ? null : new MetaValue(sharedTo.Value.Trim(), LineOf(sharedTo)),
                        [.. Children(rule, "criteriaItems").Select(c => new CriteriaItem(Text(c, "field"), Text(c, "operation"), Text(c, "value"), LineOf(c)))]));
                }
            }
        }

        private static NamedCredential ReadNamedCredential(string name, FileContext ctx, XElement root)
        {
            // API 56+: the URL and the external credential are parameters; legacy files carry endpoint/protocol directly.
            MetaValue? Parameter(string type) =>
                Children(root, "namedCredentialParameters")
                    .Where(p => string.Equals(Text(p, "parameterType"), type, StringComparison.OrdinalIgnoreCase))
                    .Select(p => Value(p, "parameterValue") ?? Value(p, "externalCredential"))
                    .FirstOrDefault();
            return new NamedCredential(
                name,
                ctx.Ref(root),
                Value(root, "namedCredentialType"),
                Value(root, "endpoint") ?? Parameter("Url"),
                Value(root, "protocol"),
                Value(root, "principalType"),
                Value(root, "password"),
                Parameter("Authentication"),
                Value(root, "allowMergeFieldsInBody"),
                Value(root, "allowMergeFieldsInHeader"));
        }
    }

    private sealed class ObjectParts(string name)
    {
        public XElement? Root { get; set; }

        public FileContext? Context { get; set; }

        public List<CustomField> Fields { get; } = [];

        public CustomObject Build() => new(
            name,
            Root is null ? null : Context!.Ref(Root),
            Value(Root, "label"),
            Value(Root, "sharingModel"),
            Value(Root, "externalSharingModel"),
            Value(Root, "enableHistory"),
            Value(Root, "visibility"),
            [.. Fields.OrderBy(f => f.Name, StringComparer.Ordinal)]);
    }
}

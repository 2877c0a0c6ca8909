using System.Text.RegularExpressions;
using Breachline.Common;
using Breachline.Salesforce;

namespace Breachline.Posture;

/// <summary>One place a rule fired, before the rule's metadata is attached.</summary>
/// <param name="Location">Where.</param>
/// <param name="Detail">What was seen.</param>
/// <param name="Evidence">The file read, or null for an absence.</param>
/// <param name="Severity">A severity that overrides the rule's (secrets carry their own).</param>
/// <param name="RuleSuffix">Appended to the rule id (the secret pattern's id).</param>
public sealed record CheckHit(FindingLocation Location, string Detail, EvidenceRef? Evidence, Severity? Severity = null, string? RuleSuffix = null);

/// <summary>A check the rule files can name: its parameters and its evaluation.</summary>
/// <param name="Required">Parameters a rule must give.</param>
/// <param name="Optional">Parameters a rule may give.</param>
/// <param name="Run">Evaluates one rule over the scan inputs.</param>
/// <param name="Validate">Extra validation of the parameters; returns a problem or null.</param>
public sealed record CheckDefinition(
    IReadOnlyList<string> Required,
    IReadOnlyList<string> Optional,
    Func<PostureRule, ScanInputs, IEnumerable<CheckHit>> Run,
    Func<IReadOnlyDictionary<string, IReadOnlyList<string>>, string?>? Validate = null);

/// <summary>
/// The checks rules are built from. A check knows how to look (at connected apps, sharing, permissions,
/// logs, integration files); the rule file says what to look for and why it matters.
/// </summary>
public static class PostureChecks
{
    /// <summary>Every check by name.</summary>
    public static IReadOnlyDictionary<string, CheckDefinition> Catalogue { get; } = new Dictionary<string, CheckDefinition>(StringComparer.Ordinal)
    {
        ["connected-app-scope"] = new(["scopes"], ["alsoScopes", "onlyWhen"], ConnectedAppScope),
        ["connected-app-setting"] = new(["element"], ["values", "missing", "onlyWithScopes", "onlyWhen"], ConnectedAppSetting, ValidateElement),
        ["object-sharing"] = new(["objects", "element", "values"], [], ObjectSharing),
        ["sharing-rule"] = new(["objects"], ["kinds", "sharedTo", "accessLevels"], SharingRuleCheck),
        ["guest-object-access"] = new(["objects"], ["access"], GuestObjectAccess),
        ["guest-field-access"] = new(["objects"], ["access"], GuestFieldAccess),
        ["object-setting"] = new(["objects", "element"], ["values", "missing"], ObjectSetting, p => p["element"][0] is "enableHistory" or "visibility" ? null : "with.element must be enableHistory or visibility"),
        ["org-setting"] = new(["settings", "element"], ["values", "missing"], OrgSetting),
        ["site-setting"] = new(["element", "values"], [], SiteSetting),
        ["user-permission"] = new(["permissions"], ["includeSystemAdministrator", "holders"], UserPermission),
        ["user-permission-pair"] = new(["permissions"], ["includeSystemAdministrator"], UserPermissionPair),
        ["integration-user"] = new(["namePattern", "permission", "lacking"], [], IntegrationUser, ValidateRegex("namePattern")),
        ["permission-spread"] = new(["permissions", "max"], [], PermissionSpread, p => int.TryParse(p["max"][0], out _) ? null : "with.max must be a whole number"),
        ["field-history"] = new(["objects", "fields"], ["types"], FieldHistory),
        ["event-monitoring-coverage"] = new(["eventTypes"], [], EventMonitoringCoverage),
        ["remote-site"] = new([], ["schemes", "element", "values"], RemoteSiteCheck),
        ["named-credential"] = new([], ["schemes", "element", "values"], NamedCredentialCheck),
        ["integration-text"] = new(["patterns"], ["files", "unless"], IntegrationText, ValidateRegex("patterns", "files", "unless")),
        ["secrets"] = new(["folders"], [], Secrets, p => p["folders"].All(f => f is "integrations" or "records" or "metadata" or "logs" or "gateway") ? null : "with.folders must name export folders: integrations, records, metadata, logs, gateway"),
    };

    private static readonly string[] ConnectedAppElements =
    [
        "isAdminApproved", "isIntrospectAllTokens", "isPkceRequired", "isRefreshTokenRotationEnabled", "isConsumerSecretOptional",
        "isSecretRequiredForRefreshToken", "isClientCredentialEnabled", "oauthClientCredentialUser", "consumerKey", "consumerSecret",
        "ipRelaxation", "refreshTokenPolicy", "profileName", "permissionSetName", "sessionPolicyAction", "callbackUrl",
    ];

    private static string? ValidateElement(IReadOnlyDictionary<string, IReadOnlyList<string>> p) =>
        ConnectedAppElements.Contains(p["element"][0]) ? null : $"with.element '{p["element"][0]}' is not a connected app setting the reader keeps ({string.Join(", ", ConnectedAppElements)})";

    private static Func<IReadOnlyDictionary<string, IReadOnlyList<string>>, string?> ValidateRegex(params string[] keys) => p =>
    {
        foreach (var key in keys)
        {
            foreach (var pattern in p.TryGetValue(key, out var v) ? v : [])
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    return $"with.{key} '{pattern}' is not a valid regular expression: {e.Message}";
                }
            }
        }

        return null;
    };

    private static MetaValue? Element(ConnectedApp app, string element) => element switch
    {
        "isAdminApproved" => app.IsAdminApproved,
        "isIntrospectAllTokens" => app.IsIntrospectAllTokens,
        "isPkceRequired" => app.IsPkceRequired,
        "isRefreshTokenRotationEnabled" => app.IsRefreshTokenRotationEnabled,
        "isConsumerSecretOptional" => app.IsConsumerSecretOptional,
        "isSecretRequiredForRefreshToken" => app.IsSecretRequiredForRefreshToken,
        "isClientCredentialEnabled" => app.IsClientCredentialEnabled,
        "oauthClientCredentialUser" => app.OauthClientCredentialUser,
        "consumerKey" => app.ConsumerKey,
        "consumerSecret" => app.ConsumerSecret,
        "ipRelaxation" => app.IpRelaxation,
        "refreshTokenPolicy" => app.RefreshTokenPolicy,
        "profileName" => app.ProfileName,
        "permissionSetName" => app.PermissionSetName,
        "sessionPolicyAction" => app.SessionPolicyAction,
        "callbackUrl" => app.CallbackUrl,
        _ => throw new InvalidOperationException($"unvalidated element {element}"),
    };

    private static bool In(string? value, IReadOnlyList<string> values) =>
        value is not null && values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)
            || (v.EndsWith('*') && value.StartsWith(v[..^1], StringComparison.OrdinalIgnoreCase)));

    private static EvidenceRef At(EvidenceRef file, int line) => file with { Line = line };

    private static CheckHit Hit(EvidenceRef file, int line, string detail) =>
        new(new FindingLocation(file.Path, line), detail, At(file, line));

    /// <summary>True when an object (or field) API name is in the list; the EDA namespace is ignored and "*" ends a prefix or starts a suffix.</summary>
    public static bool NameMatches(string name, IEnumerable<string> patterns)
    {
        var bare = StripNamespace(name);
        foreach (var raw in patterns)
        {
            var pattern = StripNamespace(raw);
            if (pattern.EndsWith('*') ? bare.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
                : pattern.StartsWith('*') ? bare.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(bare, pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string StripNamespace(string name) =>
        name.StartsWith("hed__", StringComparison.OrdinalIgnoreCase) ? name[5..] : name;

    private static IEnumerable<CheckHit> ConnectedAppScope(PostureRule rule, ScanInputs inputs)
    {
        foreach (var app in inputs.Metadata.ConnectedApps)
        {
            if (rule.Param("alsoScopes").Any(s => app.Scope(s) is null) || !ConditionsHold(rule, app))
            {
                continue;
            }

            foreach (var scope in app.Scopes.Where(s => In(s.Value, rule.Param("scopes"))))
            {
                var also = rule.Param("alsoScopes").Count > 0 ? $" together with {string.Join(", ", rule.Param("alsoScopes"))}" : "";
                yield return Hit(app.Source, scope.Line, $"connected app {app.Name} grants the {scope.Value} scope{also}");
            }
        }
    }

    private static IEnumerable<CheckHit> ConnectedAppSetting(PostureRule rule, ScanInputs inputs)
    {
        var element = rule.One("element")!;
        foreach (var app in inputs.Metadata.ConnectedApps)
        {
            if (rule.Param("onlyWithScopes").Count > 0 && !app.Scopes.Any(s => In(s.Value, rule.Param("onlyWithScopes"))))
            {
                continue;
            }

            if (!ConditionsHold(rule, app))
            {
                continue;
            }

            var value = Element(app, element);
            if (value is null)
            {
                if (rule.One("missing") == "true")
                {
                    var line = app.OauthConfig?.Line ?? app.Source.Line ?? 1;
                    yield return Hit(app.Source, line, $"connected app {app.Name} does not set {element} (the default applies)");
                }
            }
            else if (In(value.Value, rule.Param("values")))
            {
                yield return Hit(app.Source, value.Line, $"connected app {app.Name} sets {element} to {value.Value}");
            }
        }
    }

    private static bool ConditionsHold(PostureRule rule, ConnectedApp app) =>
        rule.Param("onlyWhen").All(condition =>
        {
            var parts = condition.Split('=', 2);
            return parts.Length == 2 && ConnectedAppElements.Contains(parts[0]) && In(Element(app, parts[0])?.Value, [parts[1]]);
        });

    private static IEnumerable<CheckHit> ObjectSharing(PostureRule rule, ScanInputs inputs)
    {
        var element = rule.One("element");
        foreach (var obj in inputs.Metadata.Objects.Where(o => o.Source is not null && NameMatches(o.Name, rule.Param("objects"))))
        {
            var value = element == "externalSharingModel" ? obj.ExternalSharingModel : obj.SharingModel;
            if (value is not null && In(value.Value, rule.Param("values")))
            {
                yield return Hit(obj.Source!, value.Line, $"object {obj.Name} has {element} {value.Value}");
            }
        }
    }

    private static IEnumerable<CheckHit> SharingRuleCheck(PostureRule rule, ScanInputs inputs)
    {
        foreach (var sharing in inputs.Metadata.SharingRules.Where(r => NameMatches(r.Object, rule.Param("objects"))))
        {
            if (rule.Param("kinds").Count > 0 && !In(sharing.Kind.ToString(), rule.Param("kinds")))
            {
                continue;
            }

            if (rule.Param("sharedTo").Count > 0 && !In(sharing.SharedToKind, rule.Param("sharedTo")))
            {
                continue;
            }

            if (rule.Param("accessLevels").Count > 0 && !In(sharing.AccessLevel?.Value, rule.Param("accessLevels")))
            {
                continue;
            }

            // Cite the grantee: that is the line that opens the records.
            var line = sharing.SharedTo?.Line ?? sharing.Source.Line ?? 1;
            yield return Hit(sharing.Source, line, $"{sharing.Kind.ToString().ToLowerInvariant()} sharing rule {sharing.FullName} on {sharing.Object} gives {sharing.AccessLevel?.Value ?? "?"} access to {sharing.SharedToKind} {sharing.SharedTo?.Value}".TrimEnd());
        }
    }

    private static IEnumerable<CheckHit> GuestObjectAccess(PostureRule rule, ScanInputs inputs)
    {
        var edit = rule.Param("access").Contains("edit");
        foreach (var holder in GuestProfiles(inputs))
        {
            foreach (var permission in holder.ObjectPermissions.Where(o => NameMatches(o.Object, rule.Param("objects"))))
            {
                if (edit ? permission.AllowEdit || permission.AllowCreate || permission.AllowDelete : permission.AllowRead || permission.ViewAllRecords)
                {
                    yield return Hit(holder.Source, edit ? permission.EditLine : permission.ReadLine, $"guest {holder.Display} can {(edit ? "change" : "read")} {permission.Object} records");
                }
            }
        }
    }

    private static IEnumerable<PermissionHolder> GuestProfiles(ScanInputs inputs)
    {
        var named = inputs.Metadata.Sites.Select(s => s.GuestProfile?.Value).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return inputs.Metadata.Profiles.Where(p => p.IsGuest || named.Contains(p.Name) || named.Contains(p.Label?.Value ?? ""));
    }

    private static IEnumerable<CheckHit> GuestFieldAccess(PostureRule rule, ScanInputs inputs)
    {
        var edit = rule.Param("access").Contains("edit");
        foreach (var holder in GuestProfiles(inputs))
        {
            foreach (var permission in holder.FieldPermissions.Where(f => NameMatches(f.Object, rule.Param("objects"))))
            {
                if (edit ? permission.Editable : permission.Readable)
                {
                    yield return Hit(holder.Source, edit ? permission.EditableLine : permission.ReadableLine, $"guest {holder.Display} can {(edit ? "change" : "read")} field {permission.Field}");
                }
            }
        }
    }

    private static IEnumerable<CheckHit> ObjectSetting(PostureRule rule, ScanInputs inputs)
    {
        var element = rule.One("element")!;
        foreach (var obj in inputs.Metadata.Objects.Where(o => o.Source is not null && NameMatches(o.Name, rule.Param("objects"))))
        {
            var value = element switch
            {
                "enableHistory" => obj.EnableHistory,
                "visibility" => obj.Visibility,
                _ => null,
            };
            if (value is null)
            {
                if (rule.One("missing") == "true")
                {
                    yield return Hit(obj.Source!, obj.Source!.Line ?? 1, $"object {obj.Name} does not set {element} (the default applies)");
                }
            }
            else if (In(value.Value, rule.Param("values")))
            {
                yield return Hit(obj.Source!, value.Line, $"object {obj.Name} sets {element} to {value.Value}");
            }
        }
    }

    private static IEnumerable<CheckHit> OrgSetting(PostureRule rule, ScanInputs inputs)
    {
        var element = rule.One("element")!;
        foreach (var settings in inputs.Metadata.Settings.Where(s => In(s.Name, rule.Param("settings"))))
        {
            var value = settings[element];
            if (value is null)
            {
                if (rule.One("missing") == "true")
                {
                    yield return Hit(settings.Source, settings.Source.Line ?? 1, $"{settings.Name} settings do not set {element}");
                }
            }
            else if (In(value.Value, rule.Param("values")))
            {
                yield return Hit(settings.Source, value.Line, $"{settings.Name} settings set {element} to {value.Value}");
            }
        }
    }

    private static IEnumerable<CheckHit> SiteSetting(PostureRule rule, ScanInputs inputs)
    {
        var element = rule.One("element")!;
        foreach (var site in inputs.Metadata.Sites)
        {
            if (site.Values.TryGetValue(element, out var value) && In(value.Value, rule.Param("values")))
            {
                yield return Hit(site.Source, value.Line, $"site {site.Name} sets {element} to {value.Value}");
            }
        }
    }

    private static IEnumerable<PermissionHolder> Holders(PostureRule rule, ScanInputs inputs)
    {
        var includeAdmin = rule.One("includeSystemAdministrator") == "true";
        var kinds = rule.Param("holders");
        return inputs.Metadata.PermissionHolders.Where(h =>
            (includeAdmin || !h.IsSystemAdministrator)
            && (kinds.Count == 0 || In(h.Kind == PermissionHolderKind.Profile ? "profile" : "permission-set", kinds)));
    }

    private static IEnumerable<CheckHit> UserPermission(PostureRule rule, ScanInputs inputs)
    {
        foreach (var holder in Holders(rule, inputs))
        {
            foreach (var permission in holder.UserPermissions.Where(p => p.Enabled && In(p.Name, rule.Param("permissions"))))
            {
                yield return Hit(holder.Source, permission.Line, $"{holder.Display} has {permission.Name}");
            }
        }
    }

    private static IEnumerable<CheckHit> UserPermissionPair(PostureRule rule, ScanInputs inputs)
    {
        foreach (var holder in Holders(rule, inputs))
        {
            var enabled = rule.Param("permissions").Select(holder.Enabled).ToList();
            if (enabled.All(p => p is not null))
            {
                // The first permission of the rule's list is the one that completes the path (e.g. AssignPermissionSets).
                yield return Hit(holder.Source, enabled[0]!.Line, $"{holder.Display} has {string.Join(" and ", enabled.Select(p => p!.Name))}");
            }
        }
    }

    private static IEnumerable<CheckHit> IntegrationUser(PostureRule rule, ScanInputs inputs)
    {
        var name = new Regex(rule.One("namePattern")!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        // Only a profile decides whether its users may log in to the UI; a permission set without ApiUserOnly says nothing.
        foreach (var holder in inputs.Metadata.Profiles.Where(h => !h.IsSystemAdministrator && (name.IsMatch(h.Name) || name.IsMatch(h.Label?.Value ?? ""))))
        {
            if (holder.Enabled(rule.One("permission")!) is { } has && holder.Enabled(rule.One("lacking")!) is null)
            {
                yield return Hit(holder.Source, has.Line, $"integration {holder.Display} has {has.Name} without {rule.One("lacking")}");
            }
        }
    }

    private static IEnumerable<CheckHit> PermissionSpread(PostureRule rule, ScanInputs inputs)
    {
        var max = int.Parse(rule.One("max")!, System.Globalization.CultureInfo.InvariantCulture);
        var holders = inputs.Metadata.PermissionHolders
            .Where(h => !h.IsSystemAdministrator)
            .Select(h => (Holder: h, Permission: h.UserPermissions.FirstOrDefault(p => p.Enabled && In(p.Name, rule.Param("permissions")))))
            .Where(x => x.Permission is not null)
            .ToList();
        if (holders.Count <= max)
        {
            yield break;
        }

        foreach (var (holder, permission) in holders)
        {
            yield return Hit(holder.Source, permission!.Line, $"{holder.Display} has {permission.Name} ({holders.Count} holders besides System Administrator; at most {max} expected)");
        }
    }

    private static IEnumerable<CheckHit> FieldHistory(PostureRule rule, ScanInputs inputs)
    {
        // An object without history cannot track any field; that is reported once, on the object (object-setting).
        var historyOff = inputs.Metadata.Objects.Where(o => o.EnableHistory?.IsFalse == true).Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var field in inputs.Metadata.Fields.Where(f => NameMatches(f.Object, rule.Param("objects")) && !historyOff.Contains(f.Object)))
        {
            var sensitive = NameMatches(field.Name, rule.Param("fields")) || In(field.Type?.Value, rule.Param("types"));
            if (!sensitive || field.TrackHistory?.IsTrue == true)
            {
                continue;
            }

            var line = field.TrackHistory?.Line ?? field.Source.Line ?? 1;
            yield return Hit(field.Source, line, $"field {field.QualifiedName} ({field.Type?.Value ?? "?"}) has no field history");
        }
    }

    private static IEnumerable<CheckHit> EventMonitoringCoverage(PostureRule rule, ScanInputs inputs)
    {
        var present = inputs.EventTypes;
        foreach (var eventType in rule.Param("eventTypes").Where(t => !present.Contains(t)))
        {
            yield return new CheckHit(
                new FindingLocation("logs", null),
                present.Count == 0
                    ? $"the export holds no Event Monitoring logs, so {eventType} events cannot be reviewed"
                    : $"no {eventType} events in the export's Event Monitoring logs (present: {string.Join(", ", present.Order(StringComparer.Ordinal))})",
                null);
        }
    }

    private static IEnumerable<CheckHit> RemoteSiteCheck(PostureRule rule, ScanInputs inputs)
    {
        foreach (var site in inputs.Metadata.RemoteSites.Where(s => s.IsActive?.IsFalse != true))
        {
            if (rule.Param("schemes").Count > 0 && site.Url is { } url && rule.Param("schemes").Any(s => url.Value.StartsWith(s + "://", StringComparison.OrdinalIgnoreCase)))
            {
                yield return Hit(site.Source, url.Line, $"remote site {site.Name} calls {url.Value}");
            }

            if (rule.One("element") == "disableProtocolSecurity" && site.DisableProtocolSecurity is { } flag && In(flag.Value, rule.Param("values")))
            {
                yield return Hit(site.Source, flag.Line, $"remote site {site.Name} sets disableProtocolSecurity to {flag.Value}");
            }
        }
    }

    private static IEnumerable<CheckHit> NamedCredentialCheck(PostureRule rule, ScanInputs inputs)
    {
        foreach (var credential in inputs.Metadata.NamedCredentials)
        {
            if (rule.Param("schemes").Count > 0 && credential.Endpoint is { } url && rule.Param("schemes").Any(s => url.Value.StartsWith(s + "://", StringComparison.OrdinalIgnoreCase)))
            {
                yield return Hit(credential.Source, url.Line, $"named credential {credential.Name} calls {url.Value}");
            }

            var value = rule.One("element") switch
            {
                "password" => credential.Password,
                "allowMergeFieldsInBody" => credential.AllowMergeFieldsInBody,
                "allowMergeFieldsInHeader" => credential.AllowMergeFieldsInHeader,
                "protocol" => credential.Protocol,
                _ => null,
            };
            if (value is not null && (rule.Param("values").Count == 0 ? value.Value.Length > 0 : In(value.Value, rule.Param("values"))))
            {
                yield return Hit(credential.Source, value.Line, $"named credential {credential.Name} sets {rule.One("element")}{(rule.One("element") == "password" ? "" : " to " + value.Value)}");
            }
        }
    }

    private static IEnumerable<CheckHit> IntegrationText(PostureRule rule, ScanInputs inputs)
    {
        var patterns = rule.Param("patterns").Select(p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToList();
        var files = rule.Param("files").Select(p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToList();
        var unless = rule.Param("unless").Select(p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToList();
        foreach (var file in inputs.IntegrationTextFiles)
        {
            if (files.Count > 0 && !files.Any(f => f.IsMatch(file.Path)))
            {
                continue;
            }

            for (var i = 0; i < file.Lines.Count; i++)
            {
                var text = file.Lines[i];
                if (patterns.FirstOrDefault(p => p.IsMatch(text)) is { } hit && !unless.Any(u => u.IsMatch(text)))
                {
                    var shown = hit.Match(text).Value.Trim();
                    yield return new CheckHit(new FindingLocation(file.Path, i + 1), $"{file.Path} line {i + 1}: {Shorten(shown)}", new EvidenceRef(file.Sha256, file.Path, i + 1));
                }
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static IEnumerable<CheckHit> Secrets(PostureRule rule, ScanInputs inputs)
    {
        foreach (var folder in rule.Param("folders"))
        {
            foreach (var secret in inputs.SecretsIn(folder).Findings)
            {
                yield return new CheckHit(
                    new FindingLocation(secret.Path, secret.Line, secret.Column),
                    $"{secret.Title} {secret.Display} at {secret.Path}:{secret.Line}:{secret.Column}",
                    new EvidenceRef(inputs.Sha256Of(secret.Path), secret.Path, secret.Line),
                    secret.Severity,
                    secret.RuleId);
            }
        }
    }
}

using System.Globalization;
using Breachline.Common;
using Breachline.Exposure.Soql;
using Breachline.Salesforce;

namespace Breachline.Exposure;

/// <summary>The identity a malicious query ran as, and where its permissions come from.</summary>
/// <param name="UserId">18-character user id, as the log gives it.</param>
/// <param name="Username">Username from the User export.</param>
/// <param name="Profile">Profile name.</param>
/// <param name="PermissionSets">Assigned permission sets.</param>
/// <param name="IsGuest">A site guest user (only guest sharing rules open records to it).</param>
/// <param name="Known">False when the user, its profile or the metadata could not be found: then everything is taken as readable.</param>
/// <param name="Notes">What could not be resolved.</param>
public sealed record Identity(string? UserId, string? Username, string? Profile, IReadOnlyList<string> PermissionSets, bool IsGuest, bool Known, IReadOnlyList<string> Notes)
{
    internal IReadOnlyList<PermissionHolder> Holders { get; init; } = [];

    /// <summary>The holder granting an enabled user permission, or null.</summary>
    internal PermissionHolder? Granting(string permission) => Holders.FirstOrDefault(h => h.Enabled(permission) is not null);
}

/// <summary>Whether an identity could read an object, and which rule decided.</summary>
public sealed record ObjectAccess(bool Read, bool ViewAll, string Rule);

/// <summary>Which records of an object an identity could see, as a filter, and which rule decided.</summary>
public sealed record RecordVisibility(SoqlExpr Filter, string Rule);

/// <summary>Whether a field came back readable, masked (Classic Encryption without View Encrypted Data) or not at all, and why.</summary>
public sealed record FieldAccess(bool Readable, bool Masked, string Rule);

/// <summary>
/// What a compromised user or integration could read: object permissions (profile + permission sets, View All /
/// Modify All Data, View All / Modify All Records), field-level security, Classic Encryption (EncryptedText is
/// returned masked unless the identity has View Encrypted Data), and record sharing (org-wide defaults, guest
/// sharing rules, criteria rules). Where the export cannot answer, the answer that exposes more is taken and
/// said so in the rule.
/// </summary>
public sealed class AccessModel
{
    // Fields every user who can read the object can read: Salesforce does not put them under field-level security.
    private static readonly HashSet<string> AlwaysReadable = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "Name", "FirstName", "LastName", "OwnerId", "CreatedById", "CreatedDate", "LastModifiedById", "LastModifiedDate",
        "SystemModstamp", "IsDeleted", "RecordTypeId", "CurrencyIsoCode",
    };

    private static readonly HashSet<string> PublicSharing = new(StringComparer.OrdinalIgnoreCase)
    {
        "Read", "ReadWrite", "ReadWriteTransfer", "FullAccess", "ReadSelect", "PublicRead", "PublicReadWrite",
    };

    private readonly OrgMetadata? _metadata;
    private readonly Dictionary<string, Identity> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _permissionSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _assignments = new(StringComparer.Ordinal);

    /// <summary>Builds the model from the metadata (null when the export has none) and the User/Profile/PermissionSet exports.</summary>
    public AccessModel(OrgMetadata? metadata, RecordStore records, List<InputProblem> problems)
    {
        _metadata = metadata;
        if (records.Find("User") is { } users)
        {
            foreach (var u in records.ReadColumns(users, ["Id", "Username", "ProfileId", "UserType"], problems))
            {
                _users[Short(u[0])] = u;
            }
        }

        if (records.Find("Profile") is { } profiles)
        {
            foreach (var p in records.ReadColumns(profiles, ["Id", "Name"], problems))
            {
                _profiles[Short(p[0])] = p[1];
            }
        }

        if (records.Find("PermissionSet") is { } sets)
        {
            foreach (var p in records.ReadColumns(sets, ["Id", "Name"], problems))
            {
                _permissionSets[Short(p[0])] = p[1];
            }
        }

        if (records.Find("PermissionSetAssignment") is { } assignments)
        {
            foreach (var a in records.ReadColumns(assignments, ["AssigneeId", "PermissionSetId"], problems))
            {
                if (!_assignments.TryGetValue(Short(a[0]), out var list))
                {
                    _assignments[Short(a[0])] = list = [];
                }

                list.Add(Short(a[1]));
            }
        }
    }

    /// <summary>The first 15 characters of a Salesforce id: the case-sensitive part 15- and 18-character forms share.</summary>
    public static string Short(string id) => id.Length == 18 ? id[..15] : id;

    /// <summary>The 15-character form of an id read in place (18-character ids carry a case checksum).</summary>
    public static ReadOnlySpan<char> Short(ReadOnlySpan<char> id) => id.Length == 18 ? id[..15] : id;

    /// <summary>Resolves the identity of a user id.</summary>
    public Identity Resolve(string? userId)
    {
        var key = userId is null ? "" : Short(userId);
        if (_identities.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var notes = new List<string>();
        Identity identity;
        if (userId is null || !_users.TryGetValue(key, out var user))
        {
            notes.Add(userId is null ? "the log names no user" : $"user {userId} is not in records/User.csv");
            identity = new Identity(userId, null, null, [], false, false, notes);
        }
        else
        {
            var profile = _profiles.GetValueOrDefault(Short(user[2]));
            var sets = _assignments.GetValueOrDefault(key, []).Select(id => _permissionSets.GetValueOrDefault(id)).OfType<string>().ToList();
            var holders = new List<PermissionHolder>();
            var known = _metadata is not null && profile is not null;
            if (_metadata is null)
            {
                notes.Add("the export has no metadata/: permissions unknown");
            }
            else if (profile is null)
            {
                notes.Add($"profile {user[2]} of the user is not in records/Profile.csv");
            }
            else if (ProfileHolder(profile) is { } holder)
            {
                holders.Add(holder);
            }
            else
            {
                known = false;
                notes.Add($"profile '{profile}' is not in metadata/profiles");
            }

            foreach (var set in sets)
            {
                if (_metadata?.PermissionSets.FirstOrDefault(p => string.Equals(p.Name, set, StringComparison.OrdinalIgnoreCase)) is { } h)
                {
                    holders.Add(h);
                }
                else if (_metadata is not null)
                {
                    known = false;
                    notes.Add($"permission set '{set}' is not in metadata/permissionsets");
                }
            }

            var guest = string.Equals(user[3], "Guest", StringComparison.OrdinalIgnoreCase) || holders.Any(h => h.Kind == PermissionHolderKind.Profile && h.IsGuest);
            identity = new Identity(userId, user[1], profile, sets, guest, known, notes) { Holders = holders };
        }

        _identities[key] = identity;
        return identity;
    }

    private PermissionHolder? ProfileHolder(string name) =>
        _metadata!.Profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.Label?.Value, name, StringComparison.OrdinalIgnoreCase))
        ?? (name == "System Administrator" ? _metadata.Profiles.FirstOrDefault(p => p.IsSystemAdministrator) : null);

    /// <summary>Whether the identity could read <paramref name="obj"/>; <paramref name="returnedRows"/> is the log's evidence.</summary>
    public ObjectAccess Object(Identity identity, string obj, bool returnedRows)
    {
        if (!identity.Known)
        {
            return new ObjectAccess(true, true, $"identity not resolved ({string.Join("; ", identity.Notes)}): every record taken as readable (conservative)");
        }

        foreach (var permission in new[] { "ViewAllData", "ModifyAllData" })
        {
            if (identity.Granting(permission) is { } h)
            {
                return new ObjectAccess(true, true, $"{permission} on {h.Display}");
            }
        }

        var read = identity.Holders
            .SelectMany(h => h.ObjectPermissions.Where(p => string.Equals(p.Object, obj, StringComparison.OrdinalIgnoreCase)).Select(p => (h, p)))
            .Where(x => x.p.AllowRead || x.p.ViewAllRecords || x.p.ModifyAllRecords)
            .ToList();
        if (read.FirstOrDefault(x => x.p.ViewAllRecords || x.p.ModifyAllRecords) is { h: not null } all)
        {
            return new ObjectAccess(true, true, $"{(all.p.ModifyAllRecords ? "Modify All" : "View All")} on {obj} in {all.h.Display}");
        }

        if (read.Count > 0)
        {
            return new ObjectAccess(true, false, $"Read on {obj} in {read[0].h.Display}");
        }

        return returnedRows
            ? new ObjectAccess(true, false, $"no object permission on {obj} in the export, but the log shows the query returned rows: taken as readable")
            : new ObjectAccess(false, false, $"no profile or permission set of the identity grants Read on {obj}");
    }

    /// <summary>Which records of <paramref name="obj"/> the identity could see.</summary>
    public RecordVisibility Records(Identity identity, ObjectAccess access, string obj, RecordFile file)
    {
        if (!access.Read)
        {
            return new RecordVisibility(FalseExpr.Instance, access.Rule);
        }

        if (access.ViewAll)
        {
            return new RecordVisibility(TrueExpr.Instance, access.Rule);
        }

        var rules = _metadata?.SharingRules.Where(r => string.Equals(r.Object, obj, StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
        if (identity.IsGuest)
        {
            var guestRules = rules.Where(r => r.Kind == SharingRuleKind.Guest).ToList();
            if (guestRules.Count == 0)
            {
                return new RecordVisibility(FalseExpr.Instance, $"guest user: no guest sharing rule on {obj}, so no record is visible");
            }

            return new RecordVisibility(AnyOf(guestRules.Select(Criteria)), "guest user: records matching guest sharing rule(s) " + string.Join(", ", guestRules.Select(r => $"{r.FullName} ({r.Source})")));
        }

        var model = _metadata?.Object(obj)?.SharingModel;
        if (model is null)
        {
            return new RecordVisibility(TrueExpr.Instance, $"no sharing model for {obj} in the metadata: every record taken as visible (conservative)");
        }

        if (PublicSharing.Contains(model.Value))
        {
            return new RecordVisibility(TrueExpr.Instance, $"org-wide default {model.Value} on {obj}");
        }

        if (model.Value.StartsWith("ControlledBy", StringComparison.OrdinalIgnoreCase))
        {
            return new RecordVisibility(TrueExpr.Instance, $"org-wide default {model.Value} on {obj}: the parent's sharing is not evaluated, every record taken as visible (conservative)");
        }

        if (!file.Has("OwnerId") || identity.UserId is null)
        {
            return new RecordVisibility(TrueExpr.Instance, $"org-wide default {model.Value} on {obj}, but the export has no OwnerId column: every record taken as visible (conservative)");
        }

        // Private: records the identity owns, plus every criteria rule (role and group membership is not in the
        // export, so each rule is taken to include the identity).
        var owned = new ConditionExpr(FieldPath.Of("OwnerId"), SoqlOperator.In, [StringValue.Of(identity.UserId), StringValue.Of(Short(identity.UserId))]);
        var criteria = rules.Where(r => r.Kind == SharingRuleKind.Criteria).Select(Criteria);
        return new RecordVisibility(AnyOf([owned, .. criteria]), $"org-wide default {model.Value} on {obj}: records owned by the identity or matching a criteria sharing rule");
    }

    /// <summary>Whether a field came back readable, and in clear.</summary>
    /// <param name="identity">Who ran the query.</param>
    /// <param name="obj">Object.</param>
    /// <param name="field">Field API name.</param>
    /// <param name="returnedRows">The log shows the query naming this field returned rows.</param>
    public FieldAccess Field(Identity identity, string obj, string field, bool returnedRows)
    {
        var encrypted = _metadata?.Object(obj)?.Fields.FirstOrDefault(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase)) is { IsEncrypted: true };
        string rule;
        if (!identity.Known)
        {
            rule = "identity not resolved: taken as readable (conservative)";
        }
        else if ((identity.Granting("ViewAllData") ?? identity.Granting("ModifyAllData")) is { } admin)
        {
            rule = $"{(admin.Enabled("ViewAllData") is not null ? "ViewAllData" : "ModifyAllData")} on {admin.Display}";
        }
        else if (identity.Holders.SelectMany(h => h.FieldPermissions.Where(p => p.Readable && string.Equals(p.Field, $"{obj}.{field}", StringComparison.OrdinalIgnoreCase)).Select(p => (h, p))).FirstOrDefault() is { h: not null } grant)
        {
            rule = string.Create(CultureInfo.InvariantCulture, $"field permission readable in {grant.h.Display} (line {grant.p.Line})");
        }
        else if (AlwaysReadable.Contains(field))
        {
            rule = "not under field-level security";
        }
        else if (returnedRows)
        {
            rule = "the query named it and returned rows (the API refuses a field the identity cannot read)";
        }
        else
        {
            return new FieldAccess(false, false, "no profile or permission set grants read on the field");
        }

        if (!encrypted)
        {
            return new FieldAccess(true, false, rule);
        }

        if (!identity.Known)
        {
            return new FieldAccess(true, false, "EncryptedText; identity not resolved, so View Encrypted Data is assumed (conservative)");
        }

        return identity.Granting("ViewEncryptedData") is { } ved
            ? new FieldAccess(true, false, $"{rule}; EncryptedText returned in clear: ViewEncryptedData on {ved.Display}")
            : new FieldAccess(true, true, $"{rule}; EncryptedText returned masked: no View Encrypted Data");
    }

    private static SoqlExpr AnyOf(IEnumerable<SoqlExpr> parts)
    {
        SoqlExpr? result = null;
        foreach (var p in parts)
        {
            result = result is null ? p : new OrExpr(result, p);
        }

        return result ?? FalseExpr.Instance;
    }

    /// <summary>A sharing rule's criteria as a filter. A boolean filter is read as OR of the items (more records: conservative).</summary>
    private static SoqlExpr Criteria(SharingRule rule)
    {
        if (rule.Criteria.Count == 0)
        {
            return TrueExpr.Instance;
        }

        var items = rule.Criteria.Select(Item).ToList();
        return items.Aggregate((a, b) => new AndExpr(a, b));
    }

    private static SoqlExpr Item(CriteriaItem item)
    {
        var field = FieldPath.Of(item.Field);
        var values = item.Value.Length == 0 ? [] : item.Value.Split(',', StringSplitOptions.TrimEntries);
        SoqlValue Typed(string v) =>
            decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new NumberValue(d)
            : v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("false", StringComparison.OrdinalIgnoreCase) ? new BoolValue(v.Equals("true", StringComparison.OrdinalIgnoreCase))
            : StringValue.Of(v);
        return item.Operation switch
        {
            "equals" => values.Length == 0 ? new ConditionExpr(field, SoqlOperator.Equal, [NullValue.Instance]) : new ConditionExpr(field, SoqlOperator.In, [.. values.Select(Typed)]),
            "notEqual" => values.Length == 0 ? new ConditionExpr(field, SoqlOperator.NotEqual, [NullValue.Instance]) : new ConditionExpr(field, SoqlOperator.NotIn, [.. values.Select(Typed)]),
            "lessThan" when values.Length == 1 => new ConditionExpr(field, SoqlOperator.Less, [Typed(values[0])]),
            "greaterThan" when values.Length == 1 => new ConditionExpr(field, SoqlOperator.Greater, [Typed(values[0])]),
            "lessOrEqual" when values.Length == 1 => new ConditionExpr(field, SoqlOperator.LessOrEqual, [Typed(values[0])]),
            "greaterOrEqual" when values.Length == 1 => new ConditionExpr(field, SoqlOperator.GreaterOrEqual, [Typed(values[0])]),
            "contains" => AnyOf(values.Select(v => (SoqlExpr)new ConditionExpr(field, SoqlOperator.Like, [Pattern("%", v, "%")]))),
            "notContain" => new NotExpr(AnyOf(values.Select(v => (SoqlExpr)new ConditionExpr(field, SoqlOperator.Like, [Pattern("%", v, "%")])))),
            "startsWith" => AnyOf(values.Select(v => (SoqlExpr)new ConditionExpr(field, SoqlOperator.Like, [Pattern("", v, "%")]))),
            "includes" => new ConditionExpr(field, SoqlOperator.Includes, [.. values.Select(StringValue.Of)]),
            "excludes" => new ConditionExpr(field, SoqlOperator.Excludes, [.. values.Select(StringValue.Of)]),
            _ => TrueExpr.Instance,
        };
    }

    private static StringValue Pattern(string before, string value, string after)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        return new StringValue(before + value + after, before + escaped + after);
    }
}

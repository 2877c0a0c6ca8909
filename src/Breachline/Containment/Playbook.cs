using System.Text.Json;
using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Containment;

/// <summary>The containment playbook: steps as data (<c>data/containment/playbook.yaml</c>), validated at load.</summary>
public sealed class Playbook
{
    /// <summary>The schema identifier every playbook file carries.</summary>
    public const string SchemaId = "breachline/containment-playbook/v1";

    /// <summary>Logical name of the shipped playbook.</summary>
    public const string BuiltIn = "data/containment/playbook.yaml";

    /// <summary>Parts of the containment input a step can be driven by, with the fields each item offers.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Sources = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["connectedApps"] = new HashSet<string>(StringComparer.Ordinal) { "name", "label", "id", "file" },
        ["users"] = new HashSet<string>(StringComparer.Ordinal) { "id", "username", "deactivate" },
        ["sharingRules"] = new HashSet<string>(StringComparer.Ordinal) { "object", "ruleName", "kind", "file", "line" },
        ["credentials"] = new HashSet<string>(StringComparer.Ordinal) { "maskedId", "kind", "file", "line", "owner" },
        ["integrationProfiles"] = new HashSet<string>(StringComparer.Ordinal) { "name" },
        ["apiEnabledProfiles"] = new HashSet<string>(StringComparer.Ordinal) { "name" },
        ["attackPattern"] = new HashSet<string>(StringComparer.Ordinal) { "name", "ips", "apps", "objects" },
    };

    /// <summary>Metadata operations the package writer knows.</summary>
    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(StringComparer.Ordinal)
    {
        "connected-app-block", "connected-app-admin-approved", "connected-app-ip-enforce",
        "profile-login-ip-ranges", "profile-remove-api-enabled", "sharing-rule-delete", "transaction-security-policy",
    };

    private static readonly string[] Modes = ["api", "metadata", "manual"];
    private static readonly string[] Risks = ["low", "medium", "high"];
    private static readonly string[] Methods = ["GET", "POST", "PATCH", "DELETE"];
    private static readonly string[] Needs = ["trustedIpRanges"];
    private static readonly Regex Placeholder = new(@"\{([A-Za-z.]+)\}", RegexOptions.CultureInvariant);

    private Playbook(string source, IReadOnlyList<PlaybookStep> steps)
    {
        Source = source;
        Steps = steps;
    }

    /// <summary>Where the playbook was read from.</summary>
    public string Source { get; }

    /// <summary>Steps in the order their actions run.</summary>
    public IReadOnlyList<PlaybookStep> Steps { get; }

    private static readonly Lazy<Playbook> Shipped = new(() => Validate(DataFile.LoadEmbedded<PlaybookFile>(BuiltIn), BuiltIn));

    /// <summary>The playbook shipped with Breachline (read and validated once per process).</summary>
    public static Playbook LoadBuiltIn() => Shipped.Value;

    /// <summary>A playbook from disk (an institution's own).</summary>
    /// <exception cref="InputException">Unreadable, or any entry invalid (all problems listed).</exception>
    public static Playbook Load(string path) => Validate(DataFile.LoadFile<PlaybookFile>(path), path);

    /// <summary>Parses and validates playbook text.</summary>
    public static Playbook Parse(string yaml, string fileName) => Validate(DataFile.Parse<PlaybookFile>(yaml, fileName), fileName);

    private static Playbook Validate(PlaybookFile file, string name)
    {
        var errors = new DataFileErrors(name);
        if (file.Schema != SchemaId)
        {
            errors.Add(1, null, "schema", $"must be '{SchemaId}'");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in file.Steps)
        {
            var entry = string.IsNullOrEmpty(step.Id) ? "(step)" : step.Id;
            void Require(string? value, string field)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(step.Line, entry, field, "is required");
                }
            }

            Require(step.Id, "id");
            Require(step.Title, "title");
            Require(step.Effect, "effect");
            Require(step.Disruption, "disruption");
            Require(step.Reversal, "reversal");
            Require(step.Citation, "citation");
            if (!string.IsNullOrEmpty(step.Id) && !seen.Add(step.Id))
            {
                errors.Add(step.Line, entry, "id", "is used by an earlier step");
            }

            if (step.CheckedOn is null || !DateOnly.TryParseExact(step.CheckedOn, "yyyy-MM-dd", out _))
            {
                errors.Add(step.Line, entry, "checkedOn", "must be the date the step was last checked, yyyy-MM-dd");
            }

            if (!Sources.TryGetValue(step.For, out var fields))
            {
                errors.Add(step.Line, entry, "for", $"must be one of {string.Join(", ", Sources.Keys)}");
                fields = new HashSet<string>();
            }

            if (!Modes.Contains(step.Mode))
            {
                errors.Add(step.Line, entry, "mode", $"must be one of {string.Join(", ", Modes)}");
            }

            if (!Risks.Contains(step.Risk))
            {
                errors.Add(step.Line, entry, "risk", $"must be one of {string.Join(", ", Risks)}");
            }

            if (step.When is { } when && !fields.Contains(when))
            {
                errors.Add(step.Line, entry, "when", $"'{when}' is not a field of {step.For}");
            }

            if (step.Needs is { } needs && !Needs.Contains(needs))
            {
                errors.Add(step.Line, entry, "needs", $"must be one of {string.Join(", ", Needs)}");
            }

            foreach (var dependency in step.DependsOn)
            {
                if (!seen.Contains(dependency) || dependency == step.Id)
                {
                    errors.Add(step.Line, entry, "dependsOn", $"'{dependency}' is not an earlier step");
                }
            }

            switch (step.Mode)
            {
                case "api":
                    ValidateApi(step, entry, fields, errors);
                    break;
                case "metadata":
                    if (step.Operation is null || !Operations.Contains(step.Operation))
                    {
                        errors.Add(step.Line, entry, "operation", $"must be one of {string.Join(", ", Operations)}");
                    }

                    Require(step.Manual, "manual");
                    break;
                case "manual":
                    Require(step.Manual, "manual");
                    break;
            }

            if (step.Mode != "api" && step.Api is not null)
            {
                errors.Add(step.Line, entry, "api", "is only for mode api");
            }
        }

        if (file.Steps.Count == 0)
        {
            errors.Add(1, null, "steps", "the playbook has no steps");
        }

        errors.ThrowIfAny();
        return new Playbook(name, file.Steps);
    }

    private static void ValidateApi(PlaybookStep step, string entry, IReadOnlySet<string> fields, DataFileErrors errors)
    {
        if (step.Api is not { } api)
        {
            errors.Add(step.Line, entry, "api", "is required for mode api");
            return;
        }

        if (string.IsNullOrWhiteSpace(api.Query) || !api.Query.StartsWith("SELECT ", StringComparison.Ordinal))
        {
            errors.Add(step.Line, entry, "api.query", "must be a SOQL SELECT");
        }
        else
        {
            foreach (Match m in Placeholder.Matches(api.Query))
            {
                if (!fields.Contains(m.Groups[1].Value))
                {
                    errors.Add(step.Line, entry, "api.query", $"{{{m.Groups[1].Value}}} is not a field of {step.For}");
                }
            }
        }

        if (api.Request is not { } request)
        {
            errors.Add(step.Line, entry, "api.request", "is required");
            return;
        }

        if (!Methods.Contains(request.Method))
        {
            errors.Add(step.Line, entry, "api.request.method", $"must be one of {string.Join(", ", Methods)}");
        }

        if (!request.Path.StartsWith("/services/", StringComparison.Ordinal) && !request.Path.StartsWith("{api}/", StringComparison.Ordinal))
        {
            errors.Add(step.Line, entry, "api.request.path", "must start with /services/ or {api}/ (requests only ever go to the instance)");
        }

        if (request.Json is { } json)
        {
            try
            {
                using var _ = JsonDocument.Parse(json);
            }
            catch (JsonException e)
            {
                errors.Add(step.Line, entry, "api.request.json", $"is not JSON: {e.Message}");
            }
        }

        if (request.Json is not null && request.Form is not null)
        {
            errors.Add(step.Line, entry, "api.request", "has both json and form; a request has one body");
        }
    }
}

/// <summary>The YAML shape of a playbook file.</summary>
public sealed class PlaybookFile
{
    /// <summary>Must be <see cref="Playbook.SchemaId"/>.</summary>
    public string Schema { get; set; } = "";

    /// <summary>The steps, in order.</summary>
    public List<PlaybookStep> Steps { get; set; } = [];
}

/// <summary>One containment step: what it does to each item of its source, and what that costs.</summary>
public sealed class PlaybookStep : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Stable id, e.g. <c>freeze-users</c>; action ids start with it.</summary>
    public string Id { get; set; } = "";

    /// <summary>What the step does, as the plan shows it.</summary>
    public string Title { get; set; } = "";

    /// <summary>The input part that yields one action per item (see <see cref="Playbook.Sources"/>).</summary>
    public string For { get; set; } = "";

    /// <summary>api, metadata or manual.</summary>
    public string Mode { get; set; } = "";

    /// <summary>A yes/no field of the item that must be true.</summary>
    public string? When { get; set; }

    /// <summary>Input the step cannot do without.</summary>
    public string? Needs { get; set; }

    /// <summary>Steps whose actions (on the same target, else all of them) must be done first.</summary>
    public List<string> DependsOn { get; set; } = [];

    /// <summary>Expected effect.</summary>
    public string Effect { get; set; } = "";

    /// <summary>low, medium or high disruption to legitimate users.</summary>
    public string Risk { get; set; } = "";

    /// <summary>Who or what is disrupted.</summary>
    public string Disruption { get; set; } = "";

    /// <summary>How to undo it.</summary>
    public string Reversal { get; set; } = "";

    /// <summary>The Setup route for people doing it by hand; the checklist text of manual steps.</summary>
    public string? Manual { get; set; }

    /// <summary>Metadata operation (mode metadata).</summary>
    public string? Operation { get; set; }

    /// <summary>REST calls (mode api).</summary>
    public ApiSpec? Api { get; set; }

    /// <summary>Where the step comes from.</summary>
    public string Citation { get; set; } = "";

    /// <summary>Date the citation was last checked (yyyy-MM-dd).</summary>
    public string? CheckedOn { get; set; }
}

/// <summary>How an api step finds what remains and changes it.</summary>
public sealed class ApiSpec
{
    /// <summary>SOQL finding the rows still to change.</summary>
    public string Query { get; set; } = "";

    /// <summary>Row field holding a user id; rows of protected users are never touched.</summary>
    public string? ProtectedUserField { get; set; }

    /// <summary>Rows already in the wanted state.</summary>
    public SkipWhen? SkipWhen { get; set; }

    /// <summary>The write sent for each remaining row.</summary>
    public RequestSpec? Request { get; set; }

    /// <summary>Row fields that are secrets: masked in output and journal.</summary>
    public List<string> SecretFields { get; set; } = [];

    /// <summary>Statuses meaning the row was already changed (a repeat after a crash).</summary>
    public List<int> DoneStatuses { get; set; } = [];
}

/// <summary>Rows whose field equals a value are already done.</summary>
public sealed class SkipWhen
{
    /// <summary>Row field.</summary>
    public string Field { get; set; } = "";

    /// <summary>Value (compared as text, case-insensitively); YAML key <c>equals</c>.</summary>
    [YamlDotNet.Serialization.YamlMember(Alias = "equals")]
    public string Value { get; set; } = "";
}

/// <summary>A REST write.</summary>
public sealed class RequestSpec
{
    /// <summary>HTTP method.</summary>
    public string Method { get; set; } = "";

    /// <summary>Path under the instance URL; {api} and {row.Field} are filled in.</summary>
    public string Path { get; set; } = "";

    /// <summary>JSON body, as JSON text.</summary>
    public string? Json { get; set; }

    /// <summary>Form body (application/x-www-form-urlencoded).</summary>
    public Dictionary<string, string>? Form { get; set; }
}

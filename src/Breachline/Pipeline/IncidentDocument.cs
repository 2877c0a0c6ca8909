using System.Text.Json;
using System.Text.Json.Nodes;
using Breachline.Common;

namespace Breachline.Pipeline;

/// <summary>
/// incident.json being assembled (DESIGN.md §9, schema in docs/incident.schema.json). Each stage sets its
/// own section; members are written in the documented order whatever order stages finish in, and a stage
/// that did not run leaves its member absent rather than empty.
/// </summary>
public sealed class IncidentDocument
{
    /// <summary>The schema identifier written as the first member.</summary>
    public const string SchemaId = "breachline/incident/v1";

    /// <summary>Top-level members in the order they are written.</summary>
    public static readonly IReadOnlyList<string> MemberOrder =
        ["incident", "clock", "tracks", "findings", "hunt", "exposure", "obligations", "controls", "containment", "evidence"];

    private readonly Dictionary<string, JsonNode?> _sections = new(StringComparer.Ordinal);

    /// <summary>Sets a section from any serialisable value.</summary>
    /// <exception cref="ArgumentException">The name is not a documented member.</exception>
    public void Set<T>(string member, T value)
    {
        if (!MemberOrder.Contains(member))
        {
            throw new ArgumentException($"'{member}' is not a documented incident.json member", nameof(member));
        }

        _sections[member] = JsonSerializer.SerializeToNode(value, BreachlineJson.Options);
    }

    /// <summary>Reads a document written earlier (out/incident.json), keeping its members.</summary>
    /// <exception cref="Common.InputException">The file is not an incident document of this schema.</exception>
    public static IncidentDocument Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new Common.InputException(path, null, $"cannot read the incident document: {e.Message}", inner: e);
        }

        if (root is not JsonObject obj || obj["schema"]?.GetValue<string>() != SchemaId)
        {
            throw new Common.InputException(path, null, $"not an incident document of schema {SchemaId}", "schema");
        }

        var document = new IncidentDocument();
        foreach (var member in MemberOrder.Where(m => obj[m] is not null))
        {
            document._sections[member] = obj[member]!.DeepClone();
        }

        return document;
    }

    /// <summary>The section as written, or null.</summary>
    public JsonNode? Get(string member) => _sections.GetValueOrDefault(member);

    /// <summary>The whole document.</summary>
    public JsonObject ToJson()
    {
        var root = new JsonObject { ["schema"] = SchemaId };
        foreach (var member in MemberOrder)
        {
            if (_sections.TryGetValue(member, out var node))
            {
                root[member] = node?.DeepClone();
            }
        }

        return root;
    }

    /// <summary>Serialises the whole document, indented, with a final newline.</summary>
    public string ToJsonText() => ToJson().ToJsonString(BreachlineJson.Options) + "\n";
}

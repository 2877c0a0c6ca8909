using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Breachline.Common;

/// <summary>The one JSON shape Breachline writes: camelCase, indented, enums as camelCase strings.</summary>
public static class BreachlineJson
{
    /// <summary>Options for every document Breachline writes or reads back.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            // Reports are read by people; keep '<', '&' and non-ASCII names readable. HTML output escapes on its own.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

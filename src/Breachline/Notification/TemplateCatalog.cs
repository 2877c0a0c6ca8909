using System.Text;
using Breachline.Common;

namespace Breachline.Notification;

/// <summary>Notice draft templates (data/notify/templates.yaml): the content each law requires, and a body to fill.</summary>
public sealed class TemplateCatalog
{
    private readonly Dictionary<string, TemplateEntry> _templates;

    private TemplateCatalog(IEnumerable<TemplateEntry> templates) =>
        _templates = templates.ToDictionary(t => t.Id, StringComparer.Ordinal);

    /// <summary>The shipped templates.</summary>
    public static TemplateCatalog Shipped { get; } = Load(DataFile.LoadEmbedded<TemplateFile>("data/notify/templates.yaml"), "data/notify/templates.yaml");

    /// <summary>True when a template exists.</summary>
    public bool Contains(string id) => _templates.ContainsKey(id);

    /// <summary>A template by id.</summary>
    public TemplateEntry Get(string id) => _templates[id];

    /// <summary>Fills a template's placeholders; an unknown placeholder stays visible so counsel sees the gap.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        var sb = new StringBuilder(text.Length + 256);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf("}}", open, StringComparison.Ordinal);
            if (open < 0 || close < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }

            sb.Append(text, i, open - i);
            var key = text[(open + 2)..close];
            sb.Append(values.TryGetValue(key, out var value) ? value : "{{" + key + "}}");
            i = close + 2;
        }

        return sb.ToString();
    }

    internal static TemplateCatalog Load(TemplateFile file, string name)
    {
        var errors = new DataFileErrors(name);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in file.Templates)
        {
            if (string.IsNullOrWhiteSpace(t.Id))
            {
                errors.Add(t.Line, null, "id", "is required");
            }
            else if (!ids.Add(t.Id))
            {
                errors.Add(t.Line, t.Id, "id", "is used twice");
            }

            if (string.IsNullOrWhiteSpace(t.Body))
            {
                errors.Add(t.Line, t.Id, "body", "is required");
            }

            if (t.Requires.Count == 0)
            {
                errors.Add(t.Line, t.Id, "requires", "is required: the content the law asks for");
            }
        }

        errors.ThrowIfAny();
        return new TemplateCatalog(file.Templates);
    }
}

/// <summary>data/notify/templates.yaml.</summary>
public sealed class TemplateFile
{
    /// <summary>When the templates were last reviewed.</summary>
    public string CheckedOn { get; set; } = "";

    /// <summary>The templates.</summary>
    public List<TemplateEntry> Templates { get; set; } = [];
}

/// <summary>One draft template.</summary>
public sealed class TemplateEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Id named by notices' content field.</summary>
    public string Id { get; set; } = "";

    /// <summary>Title.</summary>
    public string Title { get; set; } = "";

    /// <summary>Content the law requires, with where the requirement comes from.</summary>
    public List<string> Requires { get; set; } = [];

    /// <summary>Body with placeholders.</summary>
    public string Body { get; set; } = "";
}

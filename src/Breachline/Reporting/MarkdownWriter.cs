using System.Text;

namespace Breachline.Reporting;

/// <summary>A minimal Markdown writer that escapes table cells and text for tickets and wikis.</summary>
/// <param name="identities">How personal identifiers are shown (masked unless said otherwise).</param>
public sealed class MarkdownWriter(IdentityDisclosure? identities = null)
{
    private readonly StringBuilder _builder = new();

    /// <summary>How the sections show personal identifiers.</summary>
    public IdentityDisclosure Identities { get; } = identities ?? IdentityDisclosure.Masking;

    /// <summary>A heading of the given level.</summary>
    public MarkdownWriter Heading(int level, string text)
    {
        _builder.Append('#', level).Append(' ').Append(Escape(text)).Append("\n\n");
        return this;
    }

    /// <summary>A paragraph of escaped text.</summary>
    public MarkdownWriter Paragraph(string text)
    {
        _builder.Append(Escape(text)).Append("\n\n");
        return this;
    }

    /// <summary>Markdown written as is (constant markup only: fences, lists the caller escaped).</summary>
    public MarkdownWriter Raw(string markdown)
    {
        _builder.Append(markdown);
        return this;
    }

    /// <summary>A bullet list.</summary>
    public MarkdownWriter Bullets(IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            _builder.Append("- ").Append(Escape(item)).Append('\n');
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>A table with escaped cells.</summary>
    public MarkdownWriter Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        _builder.Append("| ").Append(string.Join(" | ", headers.Select(Cell))).Append(" |\n");
        _builder.Append('|').Append(string.Concat(headers.Select(_ => " --- |"))).Append('\n');
        foreach (var row in rows)
        {
            _builder.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>A fenced block (e.g. a Mermaid diagram).</summary>
    public MarkdownWriter Fence(string language, string body)
    {
        _builder.Append("```").Append(language).Append('\n').Append(body.TrimEnd('\n')).Append("\n```\n\n");
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _builder.ToString();

    private static string Cell(string? text) => Escape(text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    // Markdown reads *, _, `, [ and < as markup; report text is data, never markup.
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}

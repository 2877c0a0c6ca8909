using Breachline.Pipeline;

namespace Breachline.Reporting;

/// <summary>Writes out/incident.json, out/report.html and out/report.md from the assembled incident document.</summary>
public sealed class ReportStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "report";

    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var outputs = await ReportWriter.WriteAsync(context.Document, context.Workspace.OutPath, ReportFormats.All, cancellationToken);
        context.Set(outputs);
        progress.Report(1);
    }
}

/// <summary>Which report files to write.</summary>
[Flags]
public enum ReportFormats
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>incident.json.</summary>
    Json = 1,

    /// <summary>report.html.</summary>
    Html = 2,

    /// <summary>report.md.</summary>
    Markdown = 4,

    /// <summary>All three.</summary>
    All = Json | Html | Markdown,
}

/// <summary>The files a report run wrote (null where that format was not asked for).</summary>
public sealed record ReportOutputs(string? IncidentJson, string? ReportHtml, string? ReportMarkdown);

/// <summary>Writes the report files, each atomically (temp file then rename) so a reader never sees half a file.</summary>
public static class ReportWriter
{
    /// <summary>Writes the asked formats into <paramref name="outDir"/>.</summary>
    public static async Task<ReportOutputs> WriteAsync(IncidentDocument document, string outDir, ReportFormats formats, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDir);
        var root = document.ToJson();
        var sections = ReportSections.All();
        string? json = null, html = null, markdown = null;
        if (formats.HasFlag(ReportFormats.Json))
        {
            json = Path.Combine(outDir, "incident.json");
            await WriteAtomicAsync(json, document.ToJsonText(), cancellationToken);
        }

        if (formats.HasFlag(ReportFormats.Html))
        {
            html = Path.Combine(outDir, "report.html");
            await WriteAtomicAsync(html, HtmlReport.Render(root, sections), cancellationToken);
        }

        if (formats.HasFlag(ReportFormats.Markdown))
        {
            markdown = Path.Combine(outDir, "report.md");
            await WriteAtomicAsync(markdown, MarkdownReport.Render(root, sections), cancellationToken);
        }

        return new ReportOutputs(json, html, markdown);
    }

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }
}

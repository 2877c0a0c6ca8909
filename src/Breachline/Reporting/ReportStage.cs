using Breachline.Pipeline;

namespace Breachline.Reporting;

/// <summary>Writes out/incident.json and out/report.html from the assembled incident document.</summary>
public sealed class ReportStage : IPipelineStage
{
    /// <inheritdoc />
    public string Name => "report";

    /// <inheritdoc />
    public async Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var outputs = await ReportWriter.WriteAsync(context.Document, context.Workspace.OutPath, cancellationToken);
        context.Set(outputs);
        progress.Report(1);
    }
}

/// <summary>The files a report run wrote.</summary>
/// <param name="IncidentJson">Path of incident.json.</param>
/// <param name="ReportHtml">Path of report.html.</param>
public sealed record ReportOutputs(string IncidentJson, string ReportHtml);

/// <summary>Writes the report files, each atomically (temp file then rename) so a reader never sees half a file.</summary>
public static class ReportWriter
{
    /// <summary>Writes incident.json and report.html into <paramref name="outDir"/>.</summary>
    public static async Task<ReportOutputs> WriteAsync(IncidentDocument document, string outDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDir);
        var json = Path.Combine(outDir, "incident.json");
        var html = Path.Combine(outDir, "report.html");
        await WriteAtomicAsync(json, document.ToJsonText(), cancellationToken);
        await WriteAtomicAsync(html, HtmlReport.Render(document.ToJson(), ReportSections.All()), cancellationToken);
        return new ReportOutputs(json, html);
    }

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }
}

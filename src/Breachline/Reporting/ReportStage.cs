using Breachline.Evidence;
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
        ReportWriter.Preserve(outputs, context.Workspace, context.Time, context.Actor, "incident report written by breachline run");
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
public sealed record ReportOutputs(string? IncidentJson, string? ReportHtml, string? ReportMarkdown)
{
    /// <summary>The files written.</summary>
    public IEnumerable<string> Files => new[] { IncidentJson, ReportHtml, ReportMarkdown }.OfType<string>();
}

/// <summary>Writes the report files, each atomically (temp file then rename) so a reader never sees half a file.</summary>
public static class ReportWriter
{
    /// <summary>
    /// Writes the asked formats into <paramref name="outDir"/>. A report with identifiers in clear is written as
    /// report-unmasked.html / report-unmasked.md, so it never silently replaces the masked copy readers are sent.
    /// </summary>
    public static async Task<ReportOutputs> WriteAsync(IncidentDocument document, string outDir, ReportFormats formats, CancellationToken cancellationToken, IdentityDisclosure? identities = null)
    {
        identities ??= IdentityDisclosure.Masking;
        Directory.CreateDirectory(outDir);
        var root = document.ToJson();
        var sections = ReportSections.All();
        var name = identities.Masked ? "report" : "report-unmasked";
        string? json = null, html = null, markdown = null;
        if (formats.HasFlag(ReportFormats.Json))
        {
            json = Path.Combine(outDir, "incident.json");
            await WriteAtomicAsync(json, document.ToJsonText(), cancellationToken);
        }

        if (formats.HasFlag(ReportFormats.Html))
        {
            html = Path.Combine(outDir, name + ".html");
            await WriteAtomicAsync(html, HtmlReport.Render(root, sections, identities), cancellationToken);
        }

        if (formats.HasFlag(ReportFormats.Markdown))
        {
            markdown = Path.Combine(outDir, name + ".md");
            await WriteAtomicAsync(markdown, MarkdownReport.Render(root, sections, identities), cancellationToken);
        }

        return new ReportOutputs(json, html, markdown);
    }

    /// <summary>
    /// Collects the written files into the evidence vault (kind report), so the report a regulator receives can
    /// be matched byte for byte to a custody entry. Returns the collected items.
    /// </summary>
    public static IReadOnlyList<EvidenceItem> Preserve(ReportOutputs outputs, Storage.Workspace workspace, TimeProvider time, string actor, string purpose)
    {
        using var vault = EvidenceVault.Open(workspace, time);
        return [.. outputs.Files.Select(path => vault.CollectOutput(path, EvidenceKind.Report, actor, purpose))];
    }

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }
}

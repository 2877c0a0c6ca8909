using Breachline.Common;
using Breachline.Forensics;
using Breachline.Incidents;
using Breachline.Org;
using Breachline.Posture;
using Breachline.Salesforce;
using Breachline.Storage;
using NodaTime;

namespace Breachline.Controls;

/// <summary>The files the controls stage writes beside incident.json (out/controls/).</summary>
/// <param name="DataFlowSvg">The data-flow map drawn as SVG.</param>
/// <param name="DataFlowMermaid">The same map as Mermaid text.</param>
/// <param name="AuditorNotice">The 24-hour auditor notice draft (Markdown).</param>
/// <param name="Disclosure">The DC 4 disclosure draft (Markdown), when the incident falls in the audit period.</param>
public sealed record ControlsOutputs(string DataFlowSvg, string DataFlowMermaid, string AuditorNotice, string? Disclosure);

/// <summary>
/// The `controls` use case: gather the scan findings, the hunt and the incident clock (running scan and hunt
/// when no earlier stage handed their results over) and run the gap analysis.
/// </summary>
public static class ControlsEngine
{
    /// <summary>Analyses an org export. <paramref name="scan"/> and <paramref name="hunt"/> are computed when null.</summary>
    public static ControlsResult Analyze(OrgExport org, ScanResult? scan, HuntResult? hunt, Workspace? workspace, TimeProvider time, CancellationToken cancellationToken = default)
    {
        scan ??= PostureScan.Run(org.Root, cancellationToken: cancellationToken);
        if (hunt is null && (Directory.Exists(org.LogsPath) || Directory.Exists(org.GatewayPath)))
        {
            hunt = HuntEngine.Run(org.Root, new HuntOptions { Zone = IncidentTime.Zone(org.Facts?.TimeZone ?? "UTC") }, null, cancellationToken);
        }

        var metadata = Directory.Exists(org.MetadataPath) ? OrgMetadata.Load(org.MetadataPath, org.Root) : OrgMetadata.Empty;
        Incident? incident = null;
        IReadOnlyList<Deadline> deadlines = [];
        IReadOnlyList<ResponseTask> tasks = [];
        if (workspace is not null)
        {
            var service = new IncidentService(workspace, time);
            incident = service.Find();
            if (incident is not null)
            {
                deadlines = service.Deadlines();
                tasks = service.Tasks();
            }
        }

        var input = new ControlsInput(org, scan.Findings, hunt, incident, deadlines, tasks, Instant.FromDateTimeOffset(time.GetUtcNow()), metadata);
        return GapAnalysis.Run(input);
    }

    /// <summary>The track POA&amp;M tasks go on.</summary>
    public const string ComplianceTrack = "compliance";

    /// <summary>
    /// Puts one compliance task per POA&amp;M item on the incident's tracks (id <c>poam-cc6.1</c>, the item's
    /// owner and due date). Idempotent: a re-run updates title and due date and keeps what responders set.
    /// Nothing is added when the playbook has no compliance track.
    /// </summary>
    public static IReadOnlyList<TaskAddition> PutOnTrack(ControlsResult result, IncidentService incidents, string actor)
    {
        if (!incidents.Tracks().Any(t => t.Name == ComplianceTrack))
        {
            return [];
        }

        return [.. result.Poam.Select(p => incidents.AddTask(
            new NewTask(TaskId(p), ComplianceTrack, p.Title, p.Owner, p.Due is { } due ? Instant.FromDateTimeOffset(due) : null),
            actor))];
    }

    /// <summary>The compliance task id of a POA&amp;M item: <c>poam-</c> and the criterion in lower case.</summary>
    public static string TaskId(PoamItem item) => $"poam-{item.Criterion.ToLowerInvariant()}";

    /// <summary>Writes the data-flow map, the auditor notice draft and the disclosure draft into <paramref name="dir"/>.</summary>
    public static ControlsOutputs WriteFiles(ControlsResult result, string? organisation, string dir)
    {
        Directory.CreateDirectory(dir);
        var svg = Path.Combine(dir, "dataflow.svg");
        var mermaid = Path.Combine(dir, "dataflow.mmd");
        var notice = Path.Combine(dir, "auditor-notice.md");
        File.WriteAllText(svg, result.DataFlows.ToSvg());
        File.WriteAllText(mermaid, result.DataFlows.ToMermaid());
        File.WriteAllText(notice, AuditorNotice.Draft(result, organisation));
        string? disclosure = null;
        if (result.Period.Disclosure is { } d)
        {
            disclosure = Path.Combine(dir, "disclosure.md");
            File.WriteAllText(disclosure, DisclosureMarkdown(result.Period, d));
        }

        return new ControlsOutputs(svg, mermaid, notice, disclosure);
    }

    /// <summary>The DC 4 disclosure draft as Markdown.</summary>
    public static string DisclosureMarkdown(AuditPeriodAssessment period, SystemDescriptionDisclosure d) =>
        "# DRAFT — system description disclosure of a system incident (DC 4)\n\n" +
        $"Audit period {period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}; the incident falls {(period.Position == PeriodPosition.Inside ? "inside" : "partly inside")} it. " +
        (period.DisclosureRequired ? "Controls did not operate effectively, so DC 4 asks for this disclosure." : "No control failure is established yet; disclose if one is.") + "\n\n" +
        $"## Nature\n\n{d.Nature}\n\n## Timing\n\n{d.Timing}\n\n## Extent\n\n{d.Extent}\n\n## Disposition\n\n{d.Disposition}\n\n" +
        $"Operating effectiveness affected: {(period.AffectedControls.Count == 0 ? "none established" : string.Join(", ", period.AffectedControls))}.\n";
}

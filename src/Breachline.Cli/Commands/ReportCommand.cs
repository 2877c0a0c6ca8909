using System.CommandLine;
using Breachline.Common;
using Breachline.Incidents;
using Breachline.Reporting;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`report`: the incident report as HTML, Markdown and JSON.</summary>
internal static class ReportCommand
{
    public static Command Create(CommandRunner runner)
    {
        var outDir = new Option<string?>("--out") { Description = "Folder to write into (default: the workspace's out/)" };
        var unmasked = new Option<bool>("--unmasked")
        {
            Description = "Show personal identifiers in clear, in report-unmasked.html/.md beside the masked report; the rendering is recorded in the custody log as an access",
        };
        var command = new Command("report",
            "Write the incident report from the last run, with the clock read again as of now (or --as-of): report.html (self-contained, printable), report.md, incident.json. " +
            "--format html|md|json writes one of them; without --format, all three.\n\n" +
            "Example: breachline report --format html --out ./for-counsel --as-of 2026-03-09T08:00")
        {
            outDir,
            unmasked,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var formats = !ctx.FormatGiven
                ? ReportFormats.All
                : ctx.FormatName switch
                {
                    "html" => ReportFormats.Html,
                    "md" => ReportFormats.Markdown,
                    "json" => ReportFormats.Json,
                    var other => throw new UsageException($"report writes html, md or json, not {other}"),
                };
            var inClear = ctx.Parse.GetValue(unmasked);
            if (inClear && formats == ReportFormats.Json)
            {
                throw new UsageException("--unmasked applies to the html and md reports; incident.json is the same either way");
            }

            var workspace = ctx.OpenWorkspace();
            var zone = new IncidentService(workspace, TimeProvider.System).Get().Zone;
            var outputs = await IncidentReport.WriteAsync(workspace, ctx.Time(zone), ctx.Actor, formats, ctx.Parse.GetValue(outDir), ct,
                inClear ? IdentityDisclosure.InClear : IdentityDisclosure.Masking);
            foreach (var path in new[] { outputs.ReportHtml, outputs.ReportMarkdown, outputs.IncidentJson }.OfType<string>())
            {
                ctx.Console.MarkupLine($"wrote {Markup.Escape(path)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

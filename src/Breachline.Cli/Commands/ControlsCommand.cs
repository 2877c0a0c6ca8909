using System.CommandLine;
using Breachline.Common;
using Breachline.Controls;
using Breachline.Org;
using Breachline.Storage;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`breachline controls`: SOC 2 gap analysis, data-flow map, auditor notice and OSCAL export.</summary>
internal static class ControlsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command(
            "controls",
            "SOC 2 Trust Services Criteria the incident failed or put at risk, the plan of action (POA&M), the data-flow map, " +
            "the 24-hour auditor notice and OSCAL exports. Uses the workspace's incident clock when there is one.\n\n" +
            "Example: breachline controls gap ./org --format json");
        command.Subcommands.Add(Gap(runner));
        command.Subcommands.Add(Notice(runner));
        command.Subcommands.Add(Export(runner));
        command.Subcommands.Add(Map(runner));
        return command;
    }

    private static Argument<string> OrgArgument() => new("ORG_DIR") { Description = "Org export folder (metadata/, logs/, integrations/, records/, org.yaml)" };

    private static Command Gap(CommandRunner runner)
    {
        var org = OrgArgument();
        var all = new Option<bool>("--all") { Description = "List every criterion, also those with no evidence of failure" };
        var command = new Command("gap", "The gap table: per criterion its status (deficient, at-risk, no-evidence-of-failure), gap, remediation, owner, due date and the findings behind it. Exit 1 when a criterion is deficient.\n\nExample: breachline controls gap ./org") { org, all };
        runner.Bind(command, (ctx, ct) =>
        {
            var result = Analyze(ctx, ctx.Parse.GetValue(org)!, ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { controls = result.Gaps, poam = result.Poam, facts = result.Facts, period = result.Period, dataFlows = result.DataFlows.Flows });
            }
            else
            {
                var table = new Table().AddColumns("Criterion", "Status", "Gap", "Owner", "Due", "Findings");
                foreach (var g in ctx.Parse.GetValue(all) ? result.Gaps : result.Affected)
                {
                    var colour = g.Status switch { ControlStatus.Deficient => "red", ControlStatus.AtRisk => "yellow", _ => "green" };
                    table.AddRow(
                        Markup.Escape($"{g.Id} {g.Title}"),
                        $"[{colour}]{Word(g.Status)}[/]",
                        Markup.Escape(g.Gap),
                        Markup.Escape(g.Owner),
                        Markup.Escape(g.Due?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "—"),
                        g.Findings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                ctx.Console.Write(table);
                ctx.Console.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture,
                    $"{result.Deficient.Count()} deficient, {result.AtRisk.Count()} at risk, {result.Gaps.Count - result.Affected.Count()} other criteria with no evidence of failure; POA&M: {result.Poam.Count} items; audit period: {result.Period.Position}");
            }

            return Task.FromResult(result.Deficient.Any() ? ExitCodes.ActionNeeded : ExitCodes.Success);
        });
        return command;
    }

    private static Command Notice(CommandRunner runner)
    {
        var org = OrgArgument();
        var output = new Option<string>("--out", "-o") { Description = "File to write the DRAFT notice to (Markdown)", Required = true };
        var command = new Command("auditor-notice", "Write the 24-hour notice to the SOC 2 service auditor as a DRAFT: what is known, what is not yet known, affected criteria, next update. Its deadline is the protocol's soc2-auditor-notice on the clock.\n\nExample: breachline controls auditor-notice ./org --out notice.md") { org, output };
        runner.Bind(command, (ctx, ct) =>
        {
            var export = OrgExport.Open(ctx.Parse.GetValue(org)!);
            var result = Analyze(ctx, export, ct);
            var path = ctx.Parse.GetValue(output)!;
            File.WriteAllText(path, AuditorNotice.Draft(result, export.Facts?.Name));
            ctx.Out.WriteLine($"wrote DRAFT auditor notice {path}" + (result.AuditorDeadline?.Definition.Due is { } due ? $"; due {IncidentTime.Format(due, result.Incident!.Zone)}" : ""));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Export(CommandRunner runner)
    {
        var org = OrgArgument();
        var oscal = new Option<string>("--oscal") { Description = "Folder to write assessment-results.json and poam.json (OSCAL 1.1.3) into", Required = true };
        var command = new Command("export", "Export the gap analysis as OSCAL assessment results and a plan of action and milestones.\n\nExample: breachline controls export ./org --oscal out/oscal") { org, oscal };
        runner.Bind(command, (ctx, ct) =>
        {
            var result = Analyze(ctx, ctx.Parse.GetValue(org)!, ct);
            var files = OscalExport.Write(result, ctx.Parse.GetValue(oscal)!);
            ctx.Out.WriteLine($"wrote {files.AssessmentResults} and {files.Poam}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Map(CommandRunner runner)
    {
        var org = OrgArgument();
        var svg = new Option<string?>("--svg") { Description = "Write the map as SVG to this file" };
        var mermaid = new Option<string?>("--mermaid") { Description = "Write the map as Mermaid text to this file" };
        var command = new Command("map", "The data-flow map: systems and flows across the CRM boundary from metadata, integrations and org.yaml, with their boundary gaps.\n\nExample: breachline controls map ./org --svg map.svg") { org, svg, mermaid };
        runner.Bind(command, (ctx, ct) =>
        {
            var result = Analyze(ctx, ctx.Parse.GetValue(org)!, ct);
            var map = result.DataFlows;
            if (ctx.Parse.GetValue(svg) is { } svgPath)
            {
                File.WriteAllText(svgPath, map.ToSvg());
            }

            if (ctx.Parse.GetValue(mermaid) is { } mermaidPath)
            {
                File.WriteAllText(mermaidPath, map.ToMermaid());
            }

            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(map);
            }
            else
            {
                var table = new Table().AddColumns("Flow", "From → To", "Auth", "Transport", "Logged", "Gaps");
                foreach (var f in map.Flows)
                {
                    table.AddRow(
                        Markup.Escape((f.OnAttackPath ? "⚑ " : "") + f.Name),
                        Markup.Escape($"{f.From} → {f.To}"),
                        Markup.Escape(f.Authentication ?? "?"),
                        Markup.Escape(f.Transport ?? "?"),
                        f.Logging is null ? "?" : f.Logging.Value ? "yes" : "[red]no[/]",
                        f.Gaps.Count == 0 ? "" : "[red]" + Markup.Escape(string.Join("; ", f.Gaps.Select(g => g.Kind).Distinct())) + "[/]");
                }

                ctx.Console.Write(table);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static ControlsResult Analyze(CliContext ctx, string orgDir, CancellationToken ct) => Analyze(ctx, OrgExport.Open(orgDir), ct);

    private static ControlsResult Analyze(CliContext ctx, OrgExport export, CancellationToken ct)
    {
        var workspace = Workspace.Exists(ctx.WorkspacePath) ? Workspace.Open(ctx.WorkspacePath) : null;
        var zone = IncidentTime.Zone(export.Facts?.TimeZone ?? "UTC");
        return ControlsEngine.Analyze(export, null, null, workspace, ctx.Time(zone), ct);
    }

    private static string Word(ControlStatus status) => status switch
    {
        ControlStatus.Deficient => "deficient",
        ControlStatus.AtRisk => "at-risk",
        _ => "no-evidence-of-failure",
    };
}

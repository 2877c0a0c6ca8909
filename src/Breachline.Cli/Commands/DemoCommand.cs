using System.CommandLine;
using Breachline.Common;
using Breachline.Sample;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`demo`: the built-in sample org through the whole protocol.</summary>
internal static class DemoCommand
{
    public static Command Create(CommandRunner runner)
    {
        var outDir = new Option<string>("--out") { Description = "Folder for the demo's org export and workspace", DefaultValueFactory = _ => "./breachline-demo" };
        var command = new Command("demo",
            "Generate the built-in sample university org (an integration's OAuth token stolen and used for Bulk API exports), run the whole protocol on it, and print where the report is. " +
            "The clock is read 30 hours after awareness unless --as-of is given.\n\n" +
            "Example: breachline demo --out ./breachline-demo")
        {
            outDir,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var plan = Demo.Prepare(ctx.Parse.GetValue(outDir)!);
            var zone = IncidentTime.Zone(plan.Sample.Truth.Incident.TimeZone);
            var demoContext = ctx.AsOfText is null ? ctx.WithAsOf(IncidentTime.Format(plan.AsOf, zone)) : ctx;
            if (ctx.Format == OutputFormat.Table)
            {
                ctx.Console.MarkupLine($"Sample org: [bold]{Markup.Escape(plan.Sample.Truth.Org.Name)}[/] — {Markup.Escape(plan.Sample.Truth.Incident.Summary)}");
                ctx.Console.MarkupLine($"Org export: {Markup.Escape(plan.Sample.Root)}");
                ctx.Console.MarkupLine($"Clock read as of {Markup.Escape(demoContext.AsOfText!)} (pass --as-of to change)");
            }

            var outcome = await RunCommand.Execute(demoContext, plan.Run, zone, ct);
            var code = RunCommand.Summarise(demoContext, outcome);
            if (ctx.Format == OutputFormat.Table && outcome.Outputs?.ReportHtml is { } html)
            {
                ctx.Console.Markup("[green]Open the report:[/] ");
                ctx.Out.WriteLine(html);
            }

            return code;
        });
        return command;
    }
}

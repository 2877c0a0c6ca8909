using System.CommandLine;
using Breachline.Common;
using Breachline.Incidents;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`deadline list|done|waive`: the deadlines on the incident clock.</summary>
internal static class DeadlineCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("deadline", "The deadlines on the incident clock (protocol, law, contract).");

        var list = new Command("list", "List every deadline, overdue first.\n\nExample: breachline deadline list --as-of 2026-03-09T12:00");
        runner.Bind(list, ctx =>
        {
            var status = Service(ctx).Status();
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(status.Clock.Deadlines);
                return status.AnyOverdue ? ExitCodes.ActionNeeded : ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("Id", "Deadline", "Source", "Due", "Status", "Time left");
            foreach (var d in status.Clock.Deadlines)
            {
                table.AddRow(Markup.Escape(d.Id), Markup.Escape(d.Title), Markup.Escape(d.Source.ToString().ToLowerInvariant()),
                    Markup.Escape(d.Due is { } due ? StatusCommand.Time(due) : d.DueText ?? "—"),
                    d.Status == DeadlineStatus.Overdue ? "[red bold]overdue[/]" : Markup.Escape(d.Status.ToString().ToLowerInvariant()),
                    Markup.Escape(d.TimeLeft ?? ""));
            }

            ctx.Console.Write(table);
            return status.AnyOverdue ? ExitCodes.ActionNeeded : ExitCodes.Success;
        });
        command.Subcommands.Add(list);

        var doneId = new Argument<string>("DEADLINE") { Description = "Deadline id (see 'deadline list')" };
        var note = new Option<string?>("--note") { Description = "How it was met (e.g. the notice's reference)" };
        var done = new Command("done", "Mark a deadline met.\n\nExample: breachline deadline done soc2-auditor-notice --note \"emailed the engagement partner\"") { doneId, note };
        runner.Bind(done, ctx => Print(ctx, Service(ctx).CompleteDeadline(ctx.Parse.GetValue(doneId)!, ctx.Parse.GetValue(note), ctx.Actor)));
        command.Subcommands.Add(done);

        var waiveId = new Argument<string>("DEADLINE") { Description = "Deadline id" };
        var reason = new Option<string>("--reason") { Description = "Why it is set aside (required)", Required = true };
        var waive = new Command("waive", "Set a deadline aside, with the reason.\n\nExample: breachline deadline waive law:US-TX:regulator --reason \"fewer than 250 Texas residents\"") { waiveId, reason };
        runner.Bind(waive, ctx => Print(ctx, Service(ctx).WaiveDeadline(ctx.Parse.GetValue(waiveId)!, ctx.Parse.GetValue(reason)!, ctx.Actor)));
        command.Subcommands.Add(waive);
        return command;
    }

    private static int Print(CliContext ctx, Deadline deadline)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(deadline);
        }
        else
        {
            ctx.Console.MarkupLine($"{Markup.Escape(deadline.Definition.Id)}: {Markup.Escape(deadline.Status.ToString().ToLowerInvariant())}");
        }

        return ExitCodes.Success;
    }

    private static IncidentService Service(CliContext ctx) => ctx.Incidents();
}

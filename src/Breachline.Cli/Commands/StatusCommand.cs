using System.CommandLine;
using System.Globalization;
using Breachline.Common;
using Breachline.Incidents;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`status`: the incident clock at a glance.</summary>
internal static class StatusCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("status",
            "The incident clock at a glance: time since awareness, each deadline with time left (overdue marked), each track's progress, the next three actions. Exit code 1 when a deadline is overdue.\n\n" +
            "Example: breachline status --as-of 2026-03-08T18:00");
        runner.Bind(command, ctx =>
        {
            return Print(ctx, ctx.Incidents().Status(), null);
        });
        return command;
    }

    /// <summary>Prints a status (table or JSON); exit 1 when something is overdue.</summary>
    public static int Print(CliContext ctx, IncidentStatus status, string? headline)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(status);
            return status.AnyOverdue ? ExitCodes.ActionNeeded : ExitCodes.Success;
        }

        var console = ctx.Console;
        if (headline is not null)
        {
            console.MarkupLine($"[green]{Markup.Escape(headline)}[/]");
        }

        console.MarkupLine($"[bold]{Markup.Escape(status.Incident.Title)}[/] ({Markup.Escape(status.Incident.Id)}, {Markup.Escape(status.Incident.TimeZone)})");
        console.MarkupLine($"{Markup.Escape(status.Clock.Elapsed)} since {status.Clock.StartsFrom} at {Time(status.Clock.Start)}; as of {Time(status.Clock.AsOf)}");

        var deadlines = new Table().Border(TableBorder.Simple).Title("Deadlines");
        deadlines.AddColumns("Deadline", "Source", "Due", "Status", "Time left");
        foreach (var d in status.Clock.Deadlines)
        {
            var colour = d.Status switch
            {
                DeadlineStatus.Overdue => "red bold",
                DeadlineStatus.Open => "yellow",
                DeadlineStatus.Done => "green",
                DeadlineStatus.Waived => "grey",
                _ => "default",
            };
            deadlines.AddRow(
                Markup.Escape(d.Title),
                Markup.Escape(d.Source.ToString().ToLowerInvariant()),
                Markup.Escape(d.Due is { } due ? Time(due) : d.DueText ?? "—"),
                $"[{colour}]{Markup.Escape(d.Status.ToString().ToLowerInvariant())}[/]",
                Markup.Escape(d.TimeLeft ?? ""));
        }

        console.Write(deadlines);
        foreach (var track in status.Tracks)
        {
            console.MarkupLine($"{Markup.Escape(track.Title)}: {track.Done}/{track.Total} done" +
                (track.Tasks.Count(t => t.Overdue) is var n and > 0 ? $", [red]{n} overdue[/]" : ""));
        }

        if (status.NextActions.Count > 0)
        {
            console.MarkupLine("[bold]Next actions[/]");
            foreach (var task in status.NextActions)
            {
                console.MarkupLine($"  {Markup.Escape(task.Id)}: {Markup.Escape(task.Title)} — {Markup.Escape(task.Owner ?? "unassigned")}, due {Markup.Escape(task.Due is { } due ? Time(due) : "—")}");
            }
        }

        return status.AnyOverdue ? ExitCodes.ActionNeeded : ExitCodes.Success;
    }

    internal static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using Breachline.Common;
using Breachline.Incidents;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`task list|start|done|assign|note`: the tracks' tasks; every change is on the timeline.</summary>
internal static class TaskCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("task", "The tasks of the technical and compliance tracks.");
        command.Subcommands.Add(List(runner));
        command.Subcommands.Add(Change(runner, "start", "Mark a task started.", (s, id, actor, force) => s.StartTask(id, actor, force)));
        command.Subcommands.Add(Change(runner, "done", "Mark a task done.", (s, id, actor, force) => s.CompleteTask(id, actor, force)));
        command.Subcommands.Add(Assign(runner));
        command.Subcommands.Add(Note(runner));
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        var track = new Option<string?>("--track") { Description = "Only this track (technical or compliance)" };
        var command = new Command("list", "List tasks with owner, due time and status.\n\nExample: breachline task list --track technical") { track };
        runner.Bind(command, ctx =>
        {
            var status = StatusOf(ctx);
            var tracks = status.Tracks.Where(t => ctx.Parse.GetValue(track) is not { } only || t.Name == only).ToList();
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(tracks);
                return ExitCodes.Success;
            }

            foreach (var t in tracks)
            {
                var table = new Table().Border(TableBorder.Simple).Title($"{t.Title} ({t.Done}/{t.Total})");
                table.AddColumns("Id", "Task", "Owner", "Due", "Status");
                foreach (var task in t.Tasks)
                {
                    var state = task.Overdue ? "[red bold]overdue[/]" : task.Status == TaskState.Done ? "[green]done[/]" : Markup.Escape(task.Status.ToString().ToLowerInvariant());
                    table.AddRow(Markup.Escape(task.Id), Markup.Escape(task.Title), Markup.Escape(task.Owner ?? ""), Markup.Escape(task.Due is { } d ? StatusCommand.Time(d) : ""), state);
                }

                ctx.Console.Write(table);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Change(CommandRunner runner, string name, string description, Func<IncidentService, string, string, bool, TaskChange> change)
    {
        var id = new Argument<string>("TASK") { Description = "Task id (see 'task list')" };
        var force = new Option<bool>("--force") { Description = "Proceed although a dependency is not done (recorded on the timeline)" };
        var command = new Command(name, $"{description}\n\nExample: breachline task {name} revoke-tokens") { id, force };
        runner.Bind(command, ctx =>
        {
            var service = ServiceOf(ctx);
            var result = change(service, ctx.Parse.GetValue(id)!, ctx.Actor, ctx.Parse.GetValue(force));
            return Report(ctx, result);
        });
        return command;
    }

    private static Command Assign(CommandRunner runner)
    {
        var id = new Argument<string>("TASK") { Description = "Task id" };
        var owner = new Argument<string>("OWNER") { Description = "Person or role" };
        var command = new Command("assign", "Assign a task.\n\nExample: breachline task assign revoke-tokens j.rivera") { id, owner };
        runner.Bind(command, ctx => Report(ctx, ServiceOf(ctx).AssignTask(ctx.Parse.GetValue(id)!, ctx.Parse.GetValue(owner)!, ctx.Actor)));
        return command;
    }

    private static Command Note(CommandRunner runner)
    {
        var id = new Argument<string>("TASK") { Description = "Task id" };
        var text = new Argument<string>("TEXT") { Description = "The note" };
        var command = new Command("note", "Add a note to a task (kept on the timeline).\n\nExample: breachline task note revoke-tokens \"47 tokens revoked, 2 failed: retrying\"") { id, text };
        runner.Bind(command, ctx =>
        {
            var entry = ServiceOf(ctx).NoteTask(ctx.Parse.GetValue(id)!, ctx.Parse.GetValue(text)!, ctx.Actor);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(entry);
            }
            else
            {
                ctx.Console.MarkupLine($"Noted on {Markup.Escape(entry.Subject ?? "")} (timeline #{entry.Seq})");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static int Report(CliContext ctx, TaskChange result)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(result);
        }
        else if (result.Changed)
        {
            ctx.Console.MarkupLine($"{Markup.Escape(result.Task.Id)}: {Markup.Escape(result.Task.Status.ToString().ToLowerInvariant())}, owner {Markup.Escape(result.Task.Owner ?? "none")}");
        }
        else
        {
            ctx.Console.MarkupLine($"{Markup.Escape(result.Task.Id)} was already {Markup.Escape(result.Task.Status.ToString().ToLowerInvariant())} (by {Markup.Escape(result.Task.UpdatedBy)}); nothing changed");
        }

        return ExitCodes.Success;
    }

    private static IncidentService ServiceOf(CliContext ctx) => ctx.Incidents();

    private static IncidentStatus StatusOf(CliContext ctx) => ServiceOf(ctx).Status();
}

using System.CommandLine;
using Breachline.Common;
using Breachline.Pipeline;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`run ORG_DIR`: every stage that exists, in pipeline order, then the report.</summary>
internal static class RunCommand
{
    public static Command Create(CommandRunner runner)
    {
        var org = new Argument<string>("ORG_DIR") { Description = "The org export folder (org.yaml, metadata/, logs/, records/, integrations/, gateway/)" };
        var title = new Option<string?>("--title") { Description = "Title when the run opens the incident" };
        var detected = new Option<string?>("--detected-at") { Description = "Detection time when the run opens the incident (default: now)" };
        var aware = new Option<string?>("--aware-at") { Description = "Awareness time when the run opens the incident" };
        var command = new Command("run",
            "Run the whole protocol on an org export: every stage that exists, in pipeline order, then out/incident.json and out/report.html. " +
            "Opens the incident when the workspace has none.\n\n" +
            "Example: breachline run ./org --detected-at 2026-03-07T09:12 --aware-at 2026-03-07T15:40")
        {
            org, title, detected, aware,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var path = ctx.Parse.GetValue(org)!;
            var facts = Org.OrgExport.Open(path).Facts;
            var zone = facts is null ? NodaTime.DateTimeZone.Utc : IncidentTime.Zone(facts.TimeZone);
            var request = new RunRequest(
                path,
                ctx.WorkspacePath,
                ctx.Parse.GetValue(title),
                ctx.Parse.GetValue(detected) is { } d ? IncidentTime.ParseInstant(d, zone, "--detected-at") : null,
                ctx.Parse.GetValue(aware) is { } a ? IncidentTime.ParseInstant(a, zone, "--aware-at") : null);
            var outcome = await Execute(ctx, request, zone, ct);
            return Summarise(ctx, outcome);
        });
        return command;
    }

    /// <summary>Runs the pipeline with a progress display (shared with `demo`).</summary>
    public static async Task<RunOutcome> Execute(CliContext ctx, RunRequest request, NodaTime.DateTimeZone zone, CancellationToken ct)
    {
        var time = ctx.Time(zone);
        if (ctx.Format == OutputFormat.Json || !ctx.Console.Profile.Capabilities.Interactive)
        {
            return await IncidentRun.RunAsync(request, time, ctx.Actor, null, ct);
        }

        RunOutcome? outcome = null;
        await ctx.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var reporter = new ActionProgress(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                    {
                        task = tasks[p.Stage] = progress.AddTask(p.Stage, maxValue: 1);
                    }

                    task.Value = p.Fraction;
                });
                outcome = await IncidentRun.RunAsync(request, time, ctx.Actor, reporter, ct);
            });
        return outcome!;
    }

    /// <summary>Prints what the run did; exit 3 when inputs could not be read (the rest was processed).</summary>
    public static int Summarise(CliContext ctx, RunOutcome outcome)
    {
        foreach (var problem in outcome.Problems)
        {
            ctx.Error.WriteLine($"error: {problem}");
        }

        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(new
            {
                incident = outcome.Incident.Id,
                opened = outcome.OpenedIncident,
                stages = outcome.Stages,
                problems = outcome.Problems.Select(p => p.ToString()),
                incidentJson = outcome.Outputs?.IncidentJson,
                report = outcome.Outputs?.ReportHtml,
            });
        }
        else
        {
            ctx.Console.MarkupLine($"{(outcome.OpenedIncident ? "Opened" : "Updated")} [bold]{Markup.Escape(outcome.Incident.Id)}[/]: ran {Markup.Escape(string.Join(" → ", outcome.Stages))}");
            if (outcome.Outputs is { } outputs)
            {
                ctx.Console.MarkupLine($"incident.json: {Markup.Escape(outputs.IncidentJson)}");
                ctx.Console.MarkupLine($"report:        {Markup.Escape(outputs.ReportHtml)}");
            }
        }

        return outcome.Problems.Count > 0 ? ExitCodes.Input : ExitCodes.Success;
    }

    // Progress<T> posts to the thread pool; the display wants reports now and in order.
    private sealed class ActionProgress(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }
}

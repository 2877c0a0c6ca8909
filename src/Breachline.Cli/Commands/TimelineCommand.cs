using System.CommandLine;
using Breachline.Common;
using Breachline.Incidents;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`timeline`: every state change of the incident, with actor and time.</summary>
internal static class TimelineCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("timeline", "Every state change of the incident, with actor and time, oldest first.\n\nExample: breachline timeline --format json");
        runner.Bind(command, ctx =>
        {
            var service = new IncidentService(ctx.OpenWorkspace(), TimeProvider.System);
            var zone = service.Get().Zone;
            var entries = service.Timeline();
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(entries.Select(e => new { e.Seq, At = IncidentTime.ToOffset(e.At, zone), e.Actor, e.Kind, e.Subject, e.Detail }));
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple);
            table.AddColumns("#", "At", "Actor", "What", "Detail");
            foreach (var e in entries)
            {
                table.AddRow(e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(IncidentTime.Format(e.At, zone)), Markup.Escape(e.Actor),
                    Markup.Escape(e.Kind + (e.Subject is null ? "" : $" {e.Subject}")), Markup.Escape(e.Detail));
            }

            ctx.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}

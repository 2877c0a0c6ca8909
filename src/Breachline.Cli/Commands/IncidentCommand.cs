using System.CommandLine;
using Breachline.Common;
using Breachline.Incidents;
using Breachline.Org;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`incident open|update|show`: the incident and its clock's starting points.</summary>
internal static class IncidentCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("incident", "Open the incident and set when it was detected and when the organisation became aware.");
        command.Subcommands.Add(Open(runner));
        command.Subcommands.Add(Update(runner));
        command.Subcommands.Add(Show(runner));
        return command;
    }

    private static Command Open(CommandRunner runner)
    {
        var title = new Option<string>("--title") { Description = "Short title of the incident", Required = true };
        var detected = new Option<string>("--detected-at") { Description = "First signal (ISO 8601; without offset: the incident's zone)", Required = true };
        var aware = new Option<string?>("--aware-at") { Description = "When the organisation knew personal data was affected (starts GDPR/US clocks)" };
        var zone = new Option<string?>("--time-zone") { Description = "IANA zone such as America/Chicago (default: the org's zone, else UTC)" };
        var org = new Option<string?>("--org") { Description = "The org export folder (org.yaml names the organisation and its zone)" };
        var playbook = new Option<string?>("--playbook") { Description = "A playbook YAML file instead of the built-in one" };
        var command = new Command("open",
            "Open the incident in the workspace: protocol deadlines go on the clock, the playbook's tasks on the two tracks.\n\n" +
            "Example: breachline incident open --title \"LMS connector token abuse\" --detected-at 2026-03-07T09:12 --aware-at 2026-03-07T15:40 --org ./org")
        {
            title, detected, aware, zone, org, playbook,
        };
        runner.Bind(command, ctx =>
        {
            var export = ctx.Parse.GetValue(org) is { } path ? OrgExport.Open(path) : null;
            var zoneId = ctx.Parse.GetValue(zone) ?? export?.Facts?.TimeZone ?? "UTC";
            var tz = IncidentTime.Zone(zoneId);
            var request = new OpenIncidentRequest(
                ctx.Parse.GetValue(title)!,
                IncidentTime.ParseInstant(ctx.Parse.GetValue(detected)!, tz, "--detected-at"),
                ctx.Parse.GetValue(aware) is { } a ? IncidentTime.ParseInstant(a, tz, "--aware-at") : null,
                zoneId,
                export,
                ctx.Parse.GetValue(playbook));
            var service = new IncidentService(ctx.OpenWorkspace(create: true), ctx.Time(tz));
            var incident = service.Open(request, ctx.Actor);
            StatusCommand.Print(ctx, service.Status(), $"Opened {incident.Id} in {service.Workspace.Root}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update(CommandRunner runner)
    {
        var aware = new Option<string?>("--aware-at") { Description = "New awareness time; every deadline is recomputed" };
        var detected = new Option<string?>("--detected-at") { Description = "Corrected detection time" };
        var title = new Option<string?>("--title") { Description = "New title" };
        var command = new Command("update",
            "Change the incident's awareness or detection time (deadlines recompute; the change is on the timeline).\n\n" +
            "Example: breachline incident update --aware-at 2026-03-07T15:40:00-06:00")
        {
            aware, detected, title,
        };
        runner.Bind(command, ctx =>
        {
            var workspace = ctx.OpenWorkspace();
            var zone = new IncidentService(workspace, TimeProvider.System).Get().Zone;
            var service = new IncidentService(workspace, ctx.Time(zone));
            var awareAt = ctx.Parse.GetValue(aware) is { } a ? IncidentTime.ParseInstant(a, zone, "--aware-at") : (NodaTime.Instant?)null;
            var detectedAt = ctx.Parse.GetValue(detected) is { } d ? IncidentTime.ParseInstant(d, zone, "--detected-at") : (NodaTime.Instant?)null;
            if (awareAt is null && detectedAt is null && ctx.Parse.GetValue(title) is null)
            {
                throw new UsageException("nothing to update: give --aware-at, --detected-at or --title");
            }

            service.Update(awareAt, detectedAt, ctx.Parse.GetValue(title), ctx.Actor);
            StatusCommand.Print(ctx, service.Status(), "Updated; deadlines recomputed");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CommandRunner runner)
    {
        var command = new Command("show", "Show the incident's facts.\n\nExample: breachline incident show --format json");
        runner.Bind(command, ctx =>
        {
            var workspace = ctx.OpenWorkspace();
            var incident = new IncidentService(workspace, TimeProvider.System).Get();
            var status = new IncidentService(workspace, ctx.Time(incident.Zone)).Status();
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(status.Incident);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Id", Markup.Escape(status.Incident.Id));
            grid.AddRow("Title", Markup.Escape(status.Incident.Title));
            grid.AddRow("Organisation", Markup.Escape(status.Incident.Org is { } o ? $"{o.Name} ({o.OrgId}, {o.Kind})" : "not named"));
            grid.AddRow("Detected", Markup.Escape(status.Incident.DetectedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            grid.AddRow("Aware", Markup.Escape(status.Incident.AwareAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "not yet established"));
            grid.AddRow("Time zone", Markup.Escape(status.Incident.TimeZone));
            ctx.Console.Write(grid);
            return ExitCodes.Success;
        });
        return command;
    }
}

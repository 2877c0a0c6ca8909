using System.CommandLine;
using System.Globalization;
using Breachline.Common;
using Breachline.Forensics;
using Breachline.Org;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`breachline hunt`: what was taken, by whom and when, from the export's logs.</summary>
internal static class HuntCommand
{
    public static Command Create(CommandRunner runner)
    {
        var org = new Argument<string>("ORG_DIR") { Description = "Org export folder (logs/ with Event Monitoring CSV, SetupAuditTrail, Real-Time Event Monitoring JSON; gateway/)" };
        var ioc = new Option<string?>("--ioc") { Description = "Indicators to hunt: YAML or JSON (ips, users, connectedApps, sessions, userAgents) or a STIX 2.1 bundle" };
        var ip = new Option<string[]>("--ip") { Description = "Address or CIDR range to hunt (repeatable)", AllowMultipleArgumentsPerToken = true };
        var user = new Option<string[]>("--user") { Description = "User id (15/18 characters) or username to hunt (repeatable)", AllowMultipleArgumentsPerToken = true };
        var app = new Option<string[]>("--app") { Description = "Connected app id (0H4…) or name to hunt (repeatable)", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Only events from this time count (ISO 8601; without offset: the org's zone); earlier ones are the baseline" };
        var until = new Option<string?>("--until") { Description = "Only events before this time count" };
        var timeline = new Option<string?>("--timeline-csv") { Description = "Also write the timeline to this CSV file" };
        var threads = new Option<int?>("--threads") { Description = "Files read at once (default: all cores)" };
        var command = new Command(
            "hunt",
            "Hunt the Event Monitoring logs, SetupAuditTrail and gateway logs for what was taken, by whom and when: " +
            "the incident window, suspects, each malicious query with its SOQL and rows, rows per object, a timeline. " +
            "Exit 1 when malicious activity is found, 3 when some input could not be read (the answer covers the rest).\n\n" +
            "Example: breachline hunt ./org --ip 185.220.101.0/24 --timeline-csv timeline.csv")
        {
            org, ioc, ip, user, app, since, until, timeline, threads,
        };
        runner.Bind(command, (ctx, ct) =>
        {
            var export = OrgExport.Open(ctx.Parse.GetValue(org)!);
            var zone = IncidentTime.Zone(export.Facts?.TimeZone ?? "UTC");
            var indicators = ctx.Parse.GetValue(ioc) is { } iocPath ? Indicators.Load(iocPath) : new Indicators();
            foreach (var value in ctx.Parse.GetValue(ip) ?? [])
            {
                indicators.AddIp(value);
            }

            foreach (var value in ctx.Parse.GetValue(user) ?? [])
            {
                indicators.AddUser(value);
            }

            foreach (var value in ctx.Parse.GetValue(app) ?? [])
            {
                indicators.AddApp(value);
            }

            var options = new HuntOptions
            {
                Indicators = indicators,
                Since = ctx.Parse.GetValue(since) is { } s ? IncidentTime.ParseInstant(s, zone, "--since") : null,
                Until = ctx.Parse.GetValue(until) is { } u ? IncidentTime.ParseInstant(u, zone, "--until") : null,
                Zone = zone,
                Threads = ctx.Parse.GetValue(threads) ?? Math.Max(1, Environment.ProcessorCount),
            };
            if (!Directory.Exists(export.LogsPath) && !Directory.Exists(export.GatewayPath))
            {
                throw new InputException(export.Root, null, "has no logs/ or gateway/ folder to hunt");
            }

            var result = HuntEngine.Run(export.Root, options, null, ct);
            if (ctx.Parse.GetValue(timeline) is { } csv)
            {
                TimelineCsv.Write(result, csv);
            }

            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(result);
            }
            else
            {
                Print(ctx.Console, result);
            }

            foreach (var problem in result.Input.Problems.Take(ctx.Verbose ? int.MaxValue : 20))
            {
                ctx.Error.WriteLine($"error: {problem}");
            }

            if (result.Input.UnreadableRows > 0)
            {
                ctx.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Input.UnreadableRows} rows could not be read; the hunt answers for the {result.Input.Rows} that could"));
                return Task.FromResult(ExitCodes.Input);
            }

            return Task.FromResult(result.FoundMaliciousActivity ? ExitCodes.ActionNeeded : ExitCodes.Success);
        });
        return command;
    }

    private static void Print(IAnsiConsole console, HuntResult result)
    {
        var input = result.Input;
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[bold]Hunt[/]: {input.Files} files, {input.Bytes / 1e6:0.#} MB, {input.Rows} rows read, {input.UnreadableRows} unreadable");
        if (input.Coverage is { } coverage)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Logs cover {coverage.Start:yyyy-MM-dd HH:mm zzz} to {coverage.End:yyyy-MM-dd HH:mm zzz}; baseline until {input.BaselineEnd:yyyy-MM-dd HH:mm zzz}");
        }

        if (result.Window is not { } window)
        {
            console.MarkupLine("[green]No malicious activity found.[/]");
            return;
        }

        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red bold]Malicious activity[/] from {window.Start:yyyy-MM-dd HH:mm:ss zzz} to {window.End:yyyy-MM-dd HH:mm:ss zzz}");
        var suspects = new Table().AddColumns("Suspects", "");
        suspects.AddRow("IPs", Markup.Escape(string.Join(", ", result.Suspects.Ips)));
        suspects.AddRow("Users", Markup.Escape(string.Join(", ", result.Suspects.Users)));
        suspects.AddRow("Connected apps", Markup.Escape(string.Join(", ", result.Suspects.ConnectedApps)));
        suspects.AddRow("User agents", Markup.Escape(string.Join(", ", result.Suspects.UserAgents)));
        suspects.AddRow("Sessions", result.Suspects.Sessions.Count.ToString(CultureInfo.InvariantCulture));
        console.Write(suspects);

        var queries = new Table().AddColumns("Time", "API", "User", "IP", "Object", "Rows", "SOQL");
        foreach (var q in result.Queries)
        {
            queries.AddRow(
                q.Time.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                q.Api,
                Markup.Escape(q.User ?? ""),
                Markup.Escape(q.Ip ?? ""),
                Markup.Escape(q.Object ?? ""),
                q.Rows < 0 ? "?" : q.Rows.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(q.Soql is { Length: > 70 } text ? text[..70] + "…" : q.Soql ?? ""));
        }

        console.Write(queries);
        var rows = new Table().AddColumns("Object", "Rows exported");
        foreach (var (obj, n) in result.RowsByObject)
        {
            rows.AddRow(Markup.Escape(obj), n.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(rows);
        var signals = new Table().AddColumns("Time", "Hunt", "ATT&CK", "Detail");
        foreach (var s in result.Signals.Take(30))
        {
            signals.AddRow(s.Time.ToString("MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(s.Rule), Markup.Escape(s.Attack ?? ""), Markup.Escape(s.Detail));
        }

        console.Write(signals);
        foreach (var change in result.SetupChanges)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Setup change {change.Time:yyyy-MM-dd HH:mm zzz} {change.Action} ({change.Section}){(change.BySuspect ? " by a suspect" : "")}: {change.Display}");
        }

        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{result.Timeline.Count} timeline entries; {result.AntiForensics.Count} anti-forensic actions");
    }
}

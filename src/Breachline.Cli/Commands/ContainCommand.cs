using System.CommandLine;
using Breachline.Common;
using Breachline.Containment;
using Breachline.Containment.Api;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`contain plan|run|status|package`: containment planned from findings and hunt, executed on decision, journaled.</summary>
internal static class ContainCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("contain", "Contain the incident: revoke the abused app's tokens, freeze the attacker's users, close the open doors. Dry run unless --execute.");
        command.Subcommands.Add(Plan(runner));
        command.Subcommands.Add(Run(runner));
        command.Subcommands.Add(Status(runner));
        command.Subcommands.Add(Package(runner));
        return command;
    }

    private static Command Plan(CommandRunner runner)
    {
        var input = new Option<string?>("--input") { Description = "Containment input JSON (compromised apps, attacker users, open rules, credentials, responders); without it the current plan is shown" };
        var playbook = new Option<string?>("--playbook") { Description = "An institution's own playbook YAML instead of the built-in one" };
        var command = new Command("plan", "Build (or show) the ordered containment plan: action, target, reason, effect, risk, reversal.\n\nExample: breachline contain plan --input containment-input.json") { input, playbook };
        runner.Bind(command, ctx =>
        {
            var service = Service(ctx);
            var plan = ctx.Parse.GetValue(input) is { } path ? service.Plan(path, ctx.Parse.GetValue(playbook)) : service.Current();
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(plan);
                return ExitCodes.Success;
            }

            ctx.Out.WriteLine($"Containment plan {plan.PlanId}: {plan.Actions.Count} actions ({plan.Actions.Count(a => a.Mode == "api")} by API, {plan.Actions.Count(a => a.Mode == "metadata")} by deploy, {plan.Actions.Count(a => a.Mode == "manual")} by hand)");
            foreach (var a in plan.Actions)
            {
                ctx.Out.WriteLine();
                ctx.Out.WriteLine($"{a.Order,3}. {a.Title}: {a.Target.Display}  [{a.Mode}, risk {a.Risk}]");
                ctx.Out.WriteLine($"     why:    {a.Reason}");
                ctx.Out.WriteLine($"     effect: {a.Effect}");
                ctx.Out.WriteLine($"     cost:   {a.Disruption}");
                ctx.Out.WriteLine($"     undo:   {a.Reversal}");
                if (a.DependsOn.Count > 0)
                {
                    ctx.Out.WriteLine($"     after:  {string.Join(", ", a.DependsOn)}");
                }

                if (a.Owner is not null)
                {
                    ctx.Out.WriteLine($"     owner:  {a.Owner}");
                }

                if (a.NeedsInput is not null)
                {
                    ctx.Out.WriteLine($"     needs:  {a.NeedsInput}");
                }
            }

            ctx.Out.WriteLine();
            foreach (var r in plan.Refused)
            {
                ctx.Out.WriteLine($"refused: {r.Step} on {r.Target}: {r.Why}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Run(CommandRunner runner)
    {
        var instance = new Option<string>("--instance-url") { Description = "The org's My Domain URL (https://<domain>.my.salesforce.com); the access token goes nowhere else", Required = true };
        var execute = new Option<bool>("--execute") { Description = "Send the changes (default: dry run, which only reads and prints every request it would send)" };
        var apiVersion = new Option<string>("--api-version") { Description = "REST API version", DefaultValueFactory = _ => "64.0" };
        var tokenEnv = new Option<string>("--token-env") { Description = "Environment variable holding the access token", DefaultValueFactory = _ => "SF_ACCESS_TOKEN" };
        var jwtClient = new Option<string?>("--jwt-client-id") { Description = "JWT bearer flow: the connected app's consumer key" };
        var jwtUser = new Option<string?>("--jwt-username") { Description = "JWT bearer flow: the responder's username" };
        var jwtKey = new Option<string?>("--jwt-key") { Description = "JWT bearer flow: PEM file of the RSA private key" };
        var loginUrl = new Option<string>("--login-url") { Description = "JWT bearer flow: login server (https://login.salesforce.com, https://test.salesforce.com)", DefaultValueFactory = _ => "https://login.salesforce.com" };
        var command = new Command("run", "Run the current plan against the org: dry run by default; --execute sends the changes, journaling each before and after. Run again to resume; completed steps are not repeated.\n\nExample: SF_ACCESS_TOKEN=… breachline contain run --instance-url https://lakeshore.my.salesforce.com --execute")
        {
            instance, execute, apiVersion, tokenEnv, jwtClient, jwtUser, jwtKey, loginUrl,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            if (!Uri.TryCreate(ctx.Parse.GetValue(instance), UriKind.Absolute, out var url))
            {
                throw new UsageException($"--instance-url '{ctx.Parse.GetValue(instance)}' is not an absolute URL");
            }

            JwtBearerSettings? jwt = null;
            if (ctx.Parse.GetValue(jwtClient) is { } clientId)
            {
                var login = new Uri(ctx.Parse.GetValue(loginUrl)!);
                jwt = new JwtBearerSettings(
                    new Uri(login, "/services/oauth2/token"),
                    clientId,
                    ctx.Parse.GetValue(jwtUser) ?? throw new UsageException("--jwt-username is required with --jwt-client-id"),
                    ctx.Parse.GetValue(jwtKey) ?? throw new UsageException("--jwt-key is required with --jwt-client-id"),
                    login.GetLeftPart(UriPartial.Authority));
            }

            var service = Service(ctx);
            var plan = service.Current();
            var report = await service.RunAsync(plan, new SalesforceConnection(url, ctx.Parse.GetValue(apiVersion)!, ctx.Parse.GetValue(tokenEnv)!, jwt), ctx.Parse.GetValue(execute), null, ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(report);
            }
            else
            {
                Print(ctx, report);
            }

            if (report.StoppedBecause is { } why)
            {
                ctx.Error.WriteLine($"error: {why}");
            }

            return report.Executed && !report.Complete || report.StoppedBecause is not null ? ExitCodes.ActionNeeded : ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CommandRunner runner)
    {
        var command = new Command("status", "Show each action's progress from the journal; exits 1 while anything is not done. `contain run --execute` again resumes safely.\n\nExample: breachline contain status");
        runner.Bind(command, ctx =>
        {
            var service = Service(ctx);
            var plan = service.Current();
            var entries = service.Status(plan);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(entries);
            }
            else
            {
                var table = new Table().Border(TableBorder.Simple).Title($"Containment {plan.PlanId}: {entries.Count(e => e.Status == "done")}/{entries.Count} done");
                table.AddColumns("#", "Action", "Target", "Status", "Detail", "Last journal entry");
                foreach (var e in entries)
                {
                    var last = e.Journal.Count > 0 ? e.Journal[^1].At.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "";
                    var status = e.Status switch
                    {
                        "done" => "[green]done[/]",
                        "failed" or "interrupted" or "blocked" => $"[red]{e.Status}[/]",
                        _ => e.Status,
                    };
                    table.AddRow(e.Order.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(e.Action), Markup.Escape(e.Target), status, Markup.Escape(e.Detail ?? ""), last);
                }

                ctx.Console.Write(table);
                if (entries.Any(e => e.Mode == "api" && e.Status != "done"))
                {
                    ctx.Console.MarkupLine("Resume with [bold]breachline contain run --instance-url URL --execute[/]: each step re-reads what is left, so nothing done is sent again.");
                }
            }

            return entries.All(e => e.Status == "done") ? ExitCodes.Success : ExitCodes.ActionNeeded;
        });
        return command;
    }

    private static Command Package(CommandRunner runner)
    {
        var output = new Option<string>("--out") { Description = "Folder for the SFDX project (new or empty)", Required = true };
        var org = new Option<string?>("--org") { Description = "The org export, whose connected apps and sharing rules are the originals to edit and to keep for reversal" };
        var apiVersion = new Option<string>("--api-version") { Description = "Metadata API version", DefaultValueFactory = _ => "64.0" };
        var command = new Command("package", "Write the plan's metadata changes as a deployable SFDX project (with reversal/ and a checklist) for teams that deploy through their pipeline.\n\nExample: breachline contain package --out ./containment-pkg --org ./org") { output, org, apiVersion };
        runner.Bind(command, ctx =>
        {
            var service = Service(ctx);
            var result = service.Package(service.Current(), ctx.Parse.GetValue(output)!, ctx.Parse.GetValue(org), ctx.Parse.GetValue(apiVersion)!);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(result);
                return ExitCodes.Success;
            }

            ctx.Console.MarkupLine($"Wrote {result.Files.Count} files to [bold]{Markup.Escape(result.Folder)}[/]: {result.Packaged.Count} actions packaged, {result.Manual.Count} checklist items in README.md.");
            foreach (var file in result.Files)
            {
                ctx.Console.WriteLine("  " + file);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext ctx, RunReport report)
    {
        ctx.Out.WriteLine(report.Executed ? $"Executing plan {report.PlanId}" : $"Dry run of plan {report.PlanId}: reads are sent, no change is made");
        foreach (var r in report.Requests)
        {
            var verb = r.Sent ? (r.Method == "GET" ? "read" : "sent") : "would send";
            ctx.Out.WriteLine($"{verb,-10} {r.Method} {r.Url}");
            ctx.Out.WriteLine($"           Authorization: {r.Authorization}");
            if (r.Body is { } body)
            {
                ctx.Out.WriteLine($"           {body}");
            }
        }

        var table = new Table().Border(TableBorder.Simple);
        table.AddColumns("#", "Action", "Target", "Outcome", "Detail");
        foreach (var o in report.Outcomes)
        {
            table.AddRow(o.Action.Order.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(o.Action.Title), Markup.Escape(o.Action.Target.Display), Markup.Escape(o.Status), Markup.Escape(o.Detail));
        }

        ctx.Console.Write(table);
        var done = report.Outcomes.Count(o => o.Status is "done" or "no-change");
        ctx.Console.MarkupLine($"Done: {done}. Not done: {report.Outcomes.Count - done} (failed {report.Outcomes.Count(o => o.Status == "failed")}, blocked {report.Outcomes.Count(o => o.Status == "blocked")}, not reached {report.Outcomes.Count(o => o.Status == "not-reached")}, to deploy or do by hand {report.Outcomes.Count(o => o.Status is "awaiting-deploy" or "manual" or "needs-input")}).");
    }

    private static ContainmentService Service(CliContext ctx) => new(ctx.OpenWorkspace(create: true), ctx.Time(), ctx.Actor);
}

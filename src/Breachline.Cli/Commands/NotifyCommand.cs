using System.CommandLine;
using System.Globalization;
using Breachline.Common;
using Breachline.Notification;
using Breachline.Org;
using NodaTime;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`breachline notify`: the regulatory notification matrix, counsel's facts, calendar and drafts.</summary>
internal static class NotifyCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("notify", "The regulatory notification matrix: who must be notified, by when, why, on what authority.\n\nExample: breachline notify matrix --org ./org --exposure exposure.json --aware 2026-03-08T10:00");
        command.Subcommands.Add(Matrix(runner));
        command.Subcommands.Add(Set(runner));
        command.Subcommands.Add(CalendarCommand(runner));
        command.Subcommands.Add(Drafts(runner));
        return command;
    }

    private sealed class InputOptions
    {
        public Option<string?> Org { get; } = new("--org") { Description = "Org export folder (org.yaml: kind, zone, home jurisdiction; customers.yaml)" };

        public Option<string?> Exposure { get; } = new("--exposure") { Description = "Exposure facts JSON (breachline/exposure-facts/v1, or an incident.json / its exposure member)" };

        public Option<string?> Aware { get; } = new("--aware") { Description = "When the organisation became aware personal data was affected (ISO 8601)" };

        public Option<string?> Detected { get; } = new("--detected") { Description = "First signal (ISO 8601; default: --aware)" };

        public Option<string?> Incident { get; } = new("--incident") { Description = "Incident id for drafts and calendar" };

        public void AddTo(Command c)
        {
            c.Options.Add(Org);
            c.Options.Add(Exposure);
            c.Options.Add(Aware);
            c.Options.Add(Detected);
            c.Options.Add(Incident);
        }
    }

    private static Command Matrix(CommandRunner runner)
    {
        var options = new InputOptions();
        var command = new Command("matrix", "Prints every obligation sorted by due time, overdue first; exit 1 when one is overdue.\n\nExample: breachline notify matrix --format json --as-of 2026-03-10T09:00");
        options.AddTo(command);
        runner.Bind(command, ctx =>
        {
            var (input, matrix, asOf) = Compute(ctx, options);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(NotificationOutputs.ToDocument(matrix, input.Zone, asOf));
            }
            else
            {
                PrintTable(ctx, input, matrix, asOf);
            }

            return matrix.Obligations.Any(o => o.Triggered == Triggered.Yes && o.Due is { } d && d <= asOf) ? ExitCodes.ActionNeeded : ExitCodes.Success;
        });
        return command;
    }

    private static Command Set(CommandRunner runner)
    {
        var assignments = new Argument<string[]>("FACT=VALUE") { Description = "Counsel's facts, e.g. risk-level=high no-harm.US-FL=true lead-sa=IE", Arity = ArgumentArity.OneOrMore };
        var command = new Command("set", "Records counsel's facts (each change goes on the timeline); the matrix is recomputed with them.\n\nFacts: " + string.Join(", ", CounselFacts.Definitions.Select(d => d.Name)) + "\n\nExample: breachline notify set risk-level=high no-harm.US-FL=true") { assignments };
        runner.Bind(command, ctx =>
        {
            var workspace = ctx.OpenWorkspace(create: true);
            var stored = NotificationStore.LoadInputs(workspace);
            var zone = stored is null ? DateTimeZone.Utc : IncidentTime.Zone(stored.TimeZone);
            var time = ctx.Time(zone);
            var now = Instant.FromDateTimeOffset(time.GetUtcNow());
            var parsed = ctx.Parse.GetValue(assignments)!.Select(a => CounselFacts.Parse(a, zone, RegimeCatalog.Shipped)).ToList();
            foreach (var (key, value) in parsed)
            {
                NotificationStore.SetFact(workspace, time, key, value, ctx.Actor, zone);
                ctx.Out.WriteLine($"set {key}={value}");
            }

            NotificationDeadlineSource.Publish(workspace, time, ctx.Actor);

            if (stored is not null)
            {
                var matrix = NotificationEngine.Shipped.Compute(stored.ToInput(NotificationStore.LoadFacts(workspace)), now);
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"recomputed: {matrix.Obligations.Count(o => o.Triggered == Triggered.Yes)} triggered, {matrix.Obligations.Count(o => o.Triggered == Triggered.NeedsDecision)} need a decision"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CalendarCommand(CommandRunner runner)
    {
        var options = new InputOptions();
        var output = new Option<string>("--out") { Description = "iCalendar file to write", Required = true };
        var command = new Command("calendar", "Writes the dated deadlines of triggered obligations as iCalendar (RFC 5545).\n\nExample: breachline notify calendar --out deadlines.ics") { output };
        options.AddTo(command);
        runner.Bind(command, ctx =>
        {
            var (input, matrix, _) = Compute(ctx, options);
            var path = ctx.Parse.GetValue(output)!;
            File.WriteAllText(path, NotificationOutputs.Calendar(matrix, input.IncidentId));
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {matrix.Obligations.Count(o => o.Triggered != Triggered.No && o.Due is not null)} deadlines"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Drafts(CommandRunner runner)
    {
        var options = new InputOptions();
        var output = new Option<string>("--out") { Description = "Folder for the drafts", Required = true };
        var command = new Command("drafts", "Writes one DRAFT notice per recipient (auditor, regulators, individuals per jurisdiction, customers) for counsel.\n\nExample: breachline notify drafts --out ./drafts") { output };
        options.AddTo(command);
        runner.Bind(command, ctx =>
        {
            var (input, matrix, _) = Compute(ctx, options);
            var dir = ctx.Parse.GetValue(output)!;
            var engine = NotificationEngine.Shipped;
            var files = NotificationOutputs.WriteDrafts(matrix, input, engine.Regimes.Templates, engine.Regimes.Elements, dir);
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {files.Count} drafts to {dir} (marked DRAFT for counsel)"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static (NotificationInput Input, NotificationMatrix Matrix, Instant AsOf) Compute(CliContext ctx, InputOptions options)
    {
        var workspace = ctx.OpenWorkspace(create: true);
        var facts = NotificationStore.LoadFacts(workspace);
        NotificationInput input;
        if (ctx.Parse.GetValue(options.Exposure) is { } exposurePath)
        {
            var org = ctx.Parse.GetValue(options.Org) is { } orgDir ? OrgExport.Open(orgDir) : null;
            var orgFacts = org?.Facts;
            var zone = IncidentTime.Zone(orgFacts?.TimeZone ?? "UTC");
            var incident = new Incidents.IncidentService(workspace, TimeProvider.System).Find();
            zone = incident?.Zone ?? zone;
            var aware = ctx.Parse.GetValue(options.Aware) is { } awareText
                ? IncidentTime.ParseInstant(awareText, zone, "--aware")
                : incident?.ClockStart ?? throw new UsageException("--aware is required with --exposure when no incident is open: the time the organisation became aware personal data was affected");
            var detected = ctx.Parse.GetValue(options.Detected) is { } d ? IncidentTime.ParseInstant(d, zone, "--detected") : incident?.DetectedAt ?? aware;
            input = new NotificationInput(
                ctx.Parse.GetValue(options.Incident) ?? incident?.Id ?? "incident",
                detected,
                aware,
                zone,
                orgFacts?.InstitutionKind ?? InstitutionKind.PublicUniversity,
                orgFacts?.HomeJurisdiction,
                orgFacts?.Name ?? "the organisation",
                orgFacts?.AuditPeriod?.Auditor,
                orgFacts?.AuditPeriod is { } p ? (LocalDate.FromDateOnly(p.Start), LocalDate.FromDateOnly(p.End)) : null,
                ExposureFacts.Load(exposurePath, ElementCatalog.Default),
                org?.CustomersPath is { } cp ? CustomerFile.Load(cp) : [],
                facts);
            var savedAt = Instant.FromDateTimeOffset(ctx.Time(zone).GetUtcNow());
            NotificationStore.SaveInputs(workspace, StoredInputs.From(input), savedAt);
            NotificationDeadlineSource.Publish(workspace, ctx.Time(zone), ctx.Actor);
        }
        else
        {
            var stored = NotificationStore.LoadInputs(workspace)
                ?? throw new UsageException("no exposure yet: run the pipeline (breachline run) or pass --exposure FILE --aware TIME [--org DIR]");
            input = stored.ToInput(facts);
        }

        var asOf = Instant.FromDateTimeOffset(ctx.Time(input.Zone).GetUtcNow());
        return (input, NotificationEngine.Shipped.Compute(input, asOf), asOf);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static void PrintTable(CliContext ctx, NotificationInput input, NotificationMatrix matrix, Instant asOf)
    {
        var table = new Table().AddColumns("due", "left", "regime", "recipient", "triggered", "affected", "why", "citation");
        foreach (var o in matrix.Obligations.Where(o => o.Triggered != Triggered.No))
        {
            var left = o.Due is { } d ? (d <= asOf ? "OVERDUE " : "") + IncidentTime.Span(d - asOf) : "-";
            table.AddRow(
                Markup.Escape(o.Due is { } due ? IncidentTime.Format(due, input.Zone) : o.DueText),
                Markup.Escape(left),
                Markup.Escape(o.Regime),
                Markup.Escape(o.RecipientName),
                o.Triggered == Triggered.Yes ? "yes" : "needs-decision",
                o.Affected.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(Clip(string.Join("; ", o.Why), 160)),
                Markup.Escape(Clip(o.Citation, 60)));
        }

        ctx.Console.Write(table);
        var not = matrix.Obligations.Count(o => o.Triggered == Triggered.No);
        ctx.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{not} regimes considered and not triggered (see --format json for their reasons)"));
        foreach (var risk in matrix.ContractsAtRisk)
        {
            ctx.Console.WriteLine($"contract at risk: {risk.Name} ({risk.Customer}): {risk.Reason}");
        }
    }
}

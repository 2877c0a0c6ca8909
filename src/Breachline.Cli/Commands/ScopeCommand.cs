using System.CommandLine;
using System.Globalization;
using Breachline.Common;
using Breachline.Exposure;
using Breachline.Org;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`breachline scope`: which people and which of their data elements the hunt's queries exposed.</summary>
internal static class ScopeCommand
{
    public static Command Create(CommandRunner runner)
    {
        var org = new Argument<string>("ORG_DIR") { Description = "The org export (records/, metadata/, org.yaml)" };
        var queries = new Option<string?>("--queries") { Description = "The hunt's output (a hunt JSON file or an incident.json with a hunt member); default: the workspace's out/incident.json" };
        var classification = new Option<string?>("--classification") { Description = "An org classification file (default: ORG_DIR/classification.yaml when present)" };
        var command = new Command("scope",
            "Turn the hunt's malicious queries into exposed individuals, their data elements and their residence: reconstructs what each SOQL query returned from records/, " +
            "limited by what the identity could read (object and field permissions, sharing, View Encrypted Data). Writes out/scope-individuals.csv (ids, masked names) " +
            "and out/scope-ferpa-disclosures.csv (34 CFR 99.32) in the workspace. Exit code 1 when individuals are exposed.\n\n" +
            "Example: breachline scope ./org --queries ./hunt.json --format json")
        {
            org, queries, classification,
        };
        runner.Bind(command, ctx =>
        {
            var export = OrgExport.Open(ctx.Parse.GetValue(org)!);
            var workspace = ctx.OpenWorkspace(create: true);
            var source = ctx.Parse.GetValue(queries) ?? Path.Combine(workspace.OutPath, "incident.json");
            if (ctx.Parse.GetValue(queries) is null && !File.Exists(source))
            {
                throw new UsageException("scope needs the hunt's queries: pass --queries FILE (a hunt JSON file or an incident.json), or run the hunt first");
            }

            var input = HuntQueries.Load(source);
            var result = new ScopeEngine(export).Run(new ScopeRequest(input.Queries, input.Via, workspace.OutPath, ctx.Parse.GetValue(classification)));
            var document = ExposureDocument.From(result, workspace.Root);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(document);
            }
            else
            {
                Print(ctx, result, document);
            }

            foreach (var problem in result.Problems)
            {
                ctx.Error.WriteLine($"error: {problem}");
            }

            return result.Problems.Count > 0 ? ExitCodes.Input : result.AnyExposed ? ExitCodes.ActionNeeded : ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext ctx, ScopeResult r, ExposureDocument d)
    {
        var console = ctx.Console;
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        console.MarkupLine(r.AnyExposed
            ? $"[red bold]{N(r.Individuals)} individuals exposed[/] ({N(r.UnknownResidence)} with unknown residence)"
            : "[green]No individual's data elements were exposed[/]");

        var queries = new Table().Border(TableBorder.Simple).Title("Queries");
        queries.AddColumns("Time", "Object", "Rows logged", "Reconstructed", "Understood");
        foreach (var q in r.Queries)
        {
            queries.AddRow(
                Markup.Escape(q.Time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)),
                Markup.Escape(q.Object ?? "?"),
                q.RowsLogged < 0 ? "?" : N(q.RowsLogged),
                N(q.RecordsReconstructed),
                q.Understood ? "yes" : $"[yellow]no: {Markup.Escape(string.Join("; ", q.NotUnderstood.Select(p => p.ToString())))}[/]");
        }

        console.Write(queries);
        var elements = new Table().Border(TableBorder.Simple).Title("Individuals by jurisdiction and element (in clear)");
        var tokens = r.ByElement.Keys.ToList();
        elements.AddColumn("Jurisdiction");
        elements.AddColumn("Individuals");
        foreach (var t in tokens)
        {
            elements.AddColumn(Markup.Escape(t));
        }

        foreach (var (j, count) in r.ByJurisdiction.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var inner = r.ByJurisdictionAndElement.GetValueOrDefault(j);
            elements.AddRow([Markup.Escape(j), N(count), .. tokens.Select(t => inner?.GetValueOrDefault(t) is { } n and > 0 ? N(n) : "")]);
        }

        elements.AddRow(["[bold]total[/]", $"[bold]{N(r.Individuals)}[/]", .. tokens.Select(t => $"[bold]{N(r.ByElement[t])}[/]")]);
        console.Write(elements);
        console.MarkupLine("Records per object: " + Markup.Escape(string.Join(", ", r.Records.Select(p => $"{p.Key} {N(p.Value)}"))));
        foreach (var (token, p) in r.ProtectedElements)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(token)}[/]: {N(p.Individuals)} individuals received it masked only (Classic Encryption, no View Encrypted Data): encrypted, key not exposed");
        }

        foreach (var u in r.Unclassified)
        {
            console.MarkupLine($"[yellow]unclassified[/]: {Markup.Escape(u.Object)}.{Markup.Escape(u.Field)} left in {N(u.Records)} records: decide its element (classification.yaml)");
        }

        foreach (var (obj, n) in r.UnattributedRows)
        {
            console.MarkupLine($"[yellow]unattributed[/]: {N(n)} {Markup.Escape(obj)} rows left but the export has no records/{Markup.Escape(obj)}.csv");
        }

        if (r.FerpaDisclosures.Count > 0)
        {
            console.MarkupLine($"FERPA record of disclosure: {r.FerpaDisclosures.Count} entries, {N(r.FerpaDisclosures.Sum(f => f.Records))} education records");
        }

        if (d.IndividualsList is not null)
        {
            console.MarkupLine($"Individuals list: {Markup.Escape(d.IndividualsList)}; FERPA record: {Markup.Escape(d.FerpaRecord ?? "")}");
        }
    }
}

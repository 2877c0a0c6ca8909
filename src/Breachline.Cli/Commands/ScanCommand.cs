using System.CommandLine;
using System.Reflection;
using Breachline.Common;
using Breachline.Posture;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`breachline scan ORG_DIR`: the leak-cause scan of an org export.</summary>
internal static class ScanCommand
{
    public static Command Create(CommandRunner runner)
    {
        var org = new Argument<string>("ORG_DIR") { Description = "Org export folder (metadata/, integrations/, records/, logs/), or a Salesforce metadata folder (SFDX or mdapi)" };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding at or above this severity exists: critical, high, medium, low, info, or none",
            DefaultValueFactory = _ => "info",
        };
        failOn.AcceptOnlyFromAmong("critical", "high", "medium", "low", "info", "none");
        var sarif = new Option<string?>("--sarif") { Description = "Also write the findings as SARIF 2.1.0 to this file" };
        var command = new Command(
            "scan",
            "Find the leak causes in an org export: over-permissive OAuth, open sharing and guest exposure of student records, " +
            "privilege escalation, missing audit logging, hard-coded credentials, insecure transfers. Each finding names its file and line, " +
            "the SOC 2 criteria it breaks and the fix. Secrets are shown masked (first 4 characters and length).\n\n" +
            "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 3 a file could not be read (the others were scanned; 3 wins over 1).\n\n" +
            "Example: breachline scan ./org --fail-on high --format sarif > scan.sarif")
        {
            org,
            failOn,
            sarif,
        };
        runner.Bind(command, ctx =>
        {
            var root = ctx.Parse.GetValue(org)!;
            var result = PostureScan.Run(root);
            var format = ctx.Parse.GetValue(runner.Options.Format);
            var sarifLog = SarifReport.Create(result, root, Version());
            if (ctx.Parse.GetValue(sarif) is { } sarifPath)
            {
                File.WriteAllText(sarifPath, sarifLog.ToJsonString(BreachlineJson.Options) + "\n");
            }

            if (format == "sarif")
            {
                ctx.Out.WriteLine(sarifLog.ToJsonString(BreachlineJson.Options));
            }
            else if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new
                {
                    root = Path.GetFullPath(root),
                    summary = result.Summary,
                    counts = result.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).ToDictionary(g => g.Key.Name(), g => g.Count()),
                    findings = result.Findings,
                    problems = result.Problems,
                    notes = result.Notes,
                    suppressed = result.Suppressed.GroupBy(s => s.Reason).ToDictionary(g => g.Key, g => g.Count()),
                });
            }
            else
            {
                WriteTable(ctx, result);
            }

            foreach (var problem in result.Problems)
            {
                ctx.Error.WriteLine($"error: {problem}");
            }

            // DESIGN.md §9, as hunt, scope and run do: a file that could not be read makes the answer incomplete
            // (the unread file may hold the very leak cause), so exit 3 wins over exit 1 for findings.
            if (result.Problems.Count > 0)
            {
                return ExitCodes.Input;
            }

            var threshold = ctx.Parse.GetValue(failOn)!;
            return threshold != "none" && SeverityNames.TryParse(threshold, out var severity) && result.HasAtLeast(severity)
                ? ExitCodes.ActionNeeded
                : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(CliContext ctx, ScanResult result)
    {
        var console = ctx.Console;
        if (result.Findings.Count == 0)
        {
            console.MarkupLine("[green]No leak causes found.[/]");
        }

        foreach (var group in result.Findings.GroupBy(f => f.Pattern).OrderByDescending(g => g.Max(f => f.Severity)).ThenByDescending(g => g.Count()))
        {
            var criteria = string.Join(", ", group.SelectMany(f => f.Criteria).Distinct().Order(StringComparer.Ordinal));
            var table = new Table { Border = TableBorder.Rounded, Expand = false }
                .Title($"[bold]{Markup.Escape(group.Key)}[/] — {group.Count()} finding(s) — SOC 2 {Markup.Escape(criteria)}")
                .AddColumn("Severity")
                .AddColumn("Rule")
                .AddColumn("Location")
                .AddColumn("What");
            foreach (var finding in group.OrderByDescending(f => f.Severity))
            {
                table.AddRow(
                    SeverityMarkup(finding.Severity),
                    Markup.Escape(finding.Rule),
                    Markup.Escape(finding.Location.ToString()),
                    Markup.Escape(finding.Detail));
            }

            console.Write(table);
            var remediations = group.GroupBy(f => f.Remediation).Select(g => g.First());
            foreach (var finding in remediations)
            {
                console.MarkupLine($"  [dim]fix ({Markup.Escape(finding.Rule.Split('/')[0])}):[/] {Markup.Escape(finding.Remediation)}");
            }

            console.WriteLine();
        }

        var counts = string.Join(", ", result.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key.Name()}"));
        console.MarkupLine(Markup.Escape(
            $"{result.Findings.Count} finding(s){(counts.Length > 0 ? $" ({counts})" : "")}; {result.Summary.MetadataFiles} metadata file(s), " +
            $"{result.Summary.SecretFiles} file(s) scanned for secrets, {result.Summary.SuppressedSecrets} placeholder/reference/fixture match(es) not reported."));
        foreach (var note in result.Notes)
        {
            console.MarkupLine($"[dim]note: {Markup.Escape(note.ToString())}[/]");
        }
    }

    private static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Critical => "[bold red]critical[/]",
        Severity.High => "[red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        Severity.Low => "[blue]low[/]",
        _ => "info",
    };

    private static string Version() =>
        typeof(PostureScan).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

using System.CommandLine;
using Breachline.Common;
using Breachline.Sample;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary>`breachline sample`: writes a generated org export with one planted incident and its answer key.</summary>
internal static class SampleCommand
{
    public static Command Create(CommandRunner runner)
    {
        var defaults = new SampleOptions();
        var outDir = new Option<string>("--out", "-o") { Description = "Folder to write the org export into (new or empty)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed writes byte-identical files", DefaultValueFactory = _ => defaults.Seed };
        var students = new Option<int>("--students") { Description = "Number of students", DefaultValueFactory = _ => defaults.Students };
        var days = new Option<int>("--days") { Description = "Days of logs (the attack is two days before the end)", DefaultValueFactory = _ => defaults.Days };
        var logSize = new Option<string?>("--log-size") { Description = "Target size of logs/, e.g. 500MB or 2GB (background traffic scales; the attack stays the same)" };
        var scenario = new Option<string>("--scenario") { Description = "The planted incident", DefaultValueFactory = _ => defaults.ScenarioName };
        scenario.AcceptOnlyFromAmong([.. ScenarioNames.All]);
        var command = new Command("sample",
            "Write a sample higher-education Salesforce org export (metadata, integrations, logs, records, gateway) with one planted leak, and truth.json, its answer key.\n\n" +
            "Example: breachline sample --out ./org --scenario token-theft --seed 7")
        {
            outDir, seed, students, days, logSize, scenario,
        };
        runner.Bind(command, ctx =>
        {
            var p = ctx.Parse;
            var size = p.GetValue(logSize) is { } text ? SampleOptions.ParseSize(text) : (long?)null;
            var options = new SampleOptions(p.GetValue(seed), p.GetValue(students), p.GetValue(days), size, ScenarioNames.Parse(p.GetValue(scenario)!));
            var result = SampleOrg.Generate(options, p.GetValue(outDir)!);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new
                {
                    root = result.Root,
                    scenario = result.Truth.Scenario,
                    seed = result.Truth.Seed,
                    files = result.Files,
                    totalBytes = result.TotalBytes,
                    logBytes = result.LogBytes,
                    findings = result.Truth.Findings.Count,
                    negatives = result.Truth.Negatives.Count,
                    individuals = result.Truth.Exposure.Individuals,
                    rowsByObject = result.Truth.Attack.RowsByObject,
                });
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("", "");
            table.AddRow("org export", Markup.Escape(result.Root));
            table.AddRow("scenario", $"{result.Truth.Scenario} (seed {result.Truth.Seed})");
            table.AddRow("files", $"{result.Files} ({result.TotalBytes / 1024.0 / 1024.0:0.0} MB, logs {result.LogBytes / 1024.0 / 1024.0:0.0} MB)");
            table.AddRow("planted findings", $"{result.Truth.Findings.Count} (+{result.Truth.Negatives.Count} clean look-alikes)");
            table.AddRow("rows exported", string.Join(", ", result.Truth.Attack.RowsByObject.Select(kv => $"{kv.Key} {kv.Value}")));
            table.AddRow("individuals exposed", result.Truth.Exposure.Individuals.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("answer key", Markup.Escape(Path.Combine(result.Root, "truth.json")));
            ctx.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}

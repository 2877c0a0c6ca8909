using System.CommandLine;
using Breachline.Common;
using Spectre.Console;

namespace Breachline.Cli;

/// <summary>The `breachline` command tree. Hosts hold no logic: each command reads options, calls the engine, prints.</summary>
internal static class CliApp
{
    /// <summary>Runs the CLI with the given streams (tests pass their own writers).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = ReferenceEquals(stdout, Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(stdout, Console.Out) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = ReferenceEquals(stdout, Console.Out) ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!ReferenceEquals(stdout, Console.Out) || Console.IsOutputRedirected)
        {
            // Piped output is read by scripts and tickets: do not wrap paths and ids at 80 columns.
            console.Profile.Width = 200;
        }

        var options = new GlobalOptions();
        var runner = new CommandRunner(options, console, stdout, stderr);
        var root = Build(runner);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}");
            }

            await stderr.WriteLineAsync("see 'breachline --help'");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static RootCommand Build(CommandRunner runner)
    {
        var root = new RootCommand(
            "Breachline runs the data-leak response protocol for a higher-education Salesforce org: " +
            "collect → scan → hunt → scope → notify → controls → contain → report, with a tamper-evident evidence vault and one incident clock.\n\n" +
            "Example: breachline demo");
        runner.Options.AddTo(root);
        foreach (var command in Cli.Commands.Commands.All(runner))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}

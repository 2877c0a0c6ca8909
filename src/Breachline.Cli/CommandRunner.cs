using System.CommandLine;
using Breachline.Common;
using Breachline.Storage;
using Spectre.Console;

namespace Breachline.Cli;

/// <summary>
/// Runs one command's body and turns failures into the exit codes of DESIGN.md §9 with one clear line
/// (details with --verbose): never a stack trace for bad input.
/// </summary>
internal sealed class CommandRunner(GlobalOptions options, IAnsiConsole console, TextWriter stdout, TextWriter stderr)
{
    public GlobalOptions Options { get; } = options;

    /// <summary>Binds <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public void Bind(Command command, Func<CliContext, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    /// <summary>Binds a synchronous body.</summary>
    public void Bind(Command command, Func<CliContext, int> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, (c, _) => Task.FromResult(body(c)), ct));

    private async Task<int> RunAsync(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var context = new CliContext(parse, Options, console, stdout, stderr);
        try
        {
            return await body(context, ct);
        }
        catch (InputException e)
        {
            foreach (var problem in e.Problems)
            {
                stderr.WriteLine($"error: {problem}");
            }

            Detail(context, e);
            return ExitCodes.Input;
        }
        catch (WorkspaceException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            Detail(context, e);
            return ExitCodes.Input;
        }
        catch (Exception e) when (e is UsageException or FormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            Detail(context, e);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cancelled");
            return 130;
        }
        catch (Exception e)
        {
            // Anything else is a bug in Breachline, not the user's input: say so, keep the detail for the report.
            stderr.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            stderr.WriteLine(context.Verbose ? e.ToString() : "this is a bug in Breachline; rerun with --verbose for details and report it");
            return 70;
        }
    }

    private void Detail(CliContext context, Exception e)
    {
        if (context.Verbose)
        {
            stderr.WriteLine(e.ToString());
        }
    }
}

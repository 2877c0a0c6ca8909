using System.CommandLine;

namespace Breachline.Cli.Commands;

/// <summary>Every top-level command. Each stage issue adds its command's line here; the command lives in its own file.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All(CommandRunner runner) =>
    [
        HuntCommand.Create(runner),
    ];
}

using System.CommandLine;

namespace Breachline.Cli.Commands;

/// <summary>Every top-level command. Each stage issue adds its command's line here; the command lives in its own file.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All(CommandRunner runner) =>
    [
        DemoCommand.Create(runner),
        RunCommand.Create(runner),
        IncidentCommand.Create(runner),
        StatusCommand.Create(runner),
        TaskCommand.Create(runner),
        DeadlineCommand.Create(runner),
        TimelineCommand.Create(runner),
        SampleCommand.Create(runner),
        CollectCommand.Create(runner),
        EvidenceCommand.Create(runner),
        ScanCommand.Create(runner),
        HuntCommand.Create(runner),
        ScopeCommand.Create(runner),
        NotifyCommand.Create(runner),
        ControlsCommand.Create(runner),
        ContainCommand.Create(runner),
        ReportCommand.Create(runner),
    ];
}

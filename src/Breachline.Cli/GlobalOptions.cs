using System.CommandLine;

namespace Breachline.Cli;

/// <summary>Options every command accepts (DESIGN.md: --workspace, --format, --as-of, --verbose).</summary>
internal sealed class GlobalOptions
{
    public const string DefaultWorkspace = "./breachline-workspace";

    public Option<string> Workspace { get; } = new("--workspace", "-w")
    {
        Description = "Incident workspace folder (SQLite store, evidence vault, outputs)",
        Recursive = true,
        DefaultValueFactory = _ => DefaultWorkspace,
    };

    public Option<string> Format { get; } = CreateFormat();

    public Option<string?> AsOf { get; } = new("--as-of")
    {
        Description = "Compute every time-dependent answer as of this instant (ISO 8601, e.g. 2026-03-09T08:00:00-05:00; without offset: the incident's zone)",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show error details",
        Recursive = true,
    };

    public Option<string?> Actor { get; } = new("--actor")
    {
        Description = "Who is acting, for the timeline and custody log (default: $BREACHLINE_ACTOR or the OS user)",
        Recursive = true,
    };

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format")
        {
            Description = "Output: table for people, json for scripts; some commands also write sarif, html or md",
            Recursive = true,
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "json", "sarif", "html", "md");
        return option;
    }

    public void AddTo(Command root)
    {
        root.Options.Add(Workspace);
        root.Options.Add(Format);
        root.Options.Add(AsOf);
        root.Options.Add(Verbose);
        root.Options.Add(Actor);
    }
}

using System.CommandLine;
using Breachline.Common;
using Breachline.Storage;
using NodaTime;
using Spectre.Console;

namespace Breachline.Cli;

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>The global options of one invocation, resolved, plus where to write.</summary>
internal sealed class CliContext(ParseResult parse, GlobalOptions options, IAnsiConsole console, TextWriter stdout, TextWriter stderr, string? asOfOverride = null)
{
    /// <summary>The same invocation with the clock stopped at <paramref name="asOf"/> (the demo's fixed point).</summary>
    public CliContext WithAsOf(string asOf) => new(Parse, options, Console, Out, Error, asOf);

    public ParseResult Parse { get; } = parse;

    public IAnsiConsole Console { get; } = console;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public string WorkspacePath => Parse.GetValue(options.Workspace) ?? GlobalOptions.DefaultWorkspace;

    /// <summary>The output format for commands that print table or JSON; any other --format value is a usage error here.</summary>
    public OutputFormat Format => FormatName switch
    {
        "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        var other => throw new UsageException($"--format {other} is not supported by this command (use table or json)"),
    };

    /// <summary>The --format value as given, for commands that write more formats (sarif, html, md).</summary>
    public string FormatName => Parse.GetValue(options.Format) ?? "table";

    /// <summary>True when --format was given explicitly.</summary>
    public bool FormatGiven => Parse.GetResult(options.Format) is { Implicit: false };

    public bool Verbose => Parse.GetValue(options.Verbose);

    public string? AsOfText => asOfOverride ?? Parse.GetValue(options.AsOf);

    /// <summary>Who acts: --actor, else BREACHLINE_ACTOR, else the OS user. Written on every timeline and custody entry.</summary>
    public string Actor =>
        Parse.GetValue(options.Actor)
        ?? Environment.GetEnvironmentVariable("BREACHLINE_ACTOR")
        ?? Environment.UserName;

    /// <summary>Opens the workspace (creating it when <paramref name="create"/>).</summary>
    /// <exception cref="UsageException">No workspace exists there and the command does not create one.</exception>
    public Workspace OpenWorkspace(bool create = false)
    {
        if (!create && !Workspace.Exists(WorkspacePath))
        {
            throw new UsageException($"no workspace at {Path.GetFullPath(WorkspacePath)}; open an incident first (breachline incident open …) or pass --workspace");
        }

        return Workspace.Open(WorkspacePath);
    }

    /// <summary>
    /// The incident service of the workspace's incident, its clock stopped at --as-of when given (a local
    /// --as-of is read in the incident's own zone).
    /// </summary>
    public Incidents.IncidentService Incidents(IEnumerable<Incidents.IDeadlineSource>? sources = null)
    {
        var workspace = OpenWorkspace();
        var zone = new Incidents.IncidentService(workspace, TimeProvider.System).Get().Zone;
        return new Incidents.IncidentService(workspace, Time(zone), sources);
    }

    /// <summary>The clock: stopped at --as-of when given (read in <paramref name="zone"/> when it has no offset), else the system clock.</summary>
    public TimeProvider Time(DateTimeZone? zone = null) =>
        AsOfText is { } text
            ? new FixedTimeProvider(IncidentTime.ParseInstant(text, zone, "--as-of").ToDateTimeOffset())
            : TimeProvider.System;

    /// <summary>Writes a result as indented JSON to stdout.</summary>
    public void WriteJson<T>(T value) =>
        Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, BreachlineJson.Options));
}

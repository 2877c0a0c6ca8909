using Breachline.Common;
using Breachline.Org;
using Breachline.Storage;

namespace Breachline.Pipeline;

/// <summary>
/// What one `run` carries from stage to stage: the export, the workspace, the injected clock, the actor,
/// each stage's typed result, the incident document being assembled, and the input problems met on the way
/// (one bad file never stops the others; they are reported together at the end).
/// </summary>
public sealed class PipelineContext(Workspace workspace, OrgExport org, TimeProvider time, string actor)
{
    private readonly Dictionary<Type, object> _results = [];
    private readonly List<InputProblem> _problems = [];

    /// <summary>The incident workspace.</summary>
    public Workspace Workspace { get; } = workspace;

    /// <summary>
    /// The org export being processed. The collect stage replaces it with the vault's copy, so every later
    /// stage reads exactly the bytes that were hashed into evidence.
    /// </summary>
    public OrgExport Org { get; set; } = org;

    /// <summary>The clock; `--as-of` fixes it.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Who runs the pipeline, for custody and timeline entries.</summary>
    public string Actor { get; } = actor;

    /// <summary>The incident document (incident.json) being assembled.</summary>
    public IncidentDocument Document { get; } = new();

    /// <summary>Problems met in input files so far.</summary>
    public IReadOnlyList<InputProblem> Problems => _problems;

    /// <summary>Records input problems; the run goes on and exits 3 at the end.</summary>
    public void Report(IEnumerable<InputProblem> problems) => _problems.AddRange(problems);

    /// <summary>Stores a stage's result for later stages.</summary>
    public void Set<T>(T result)
        where T : class => _results[typeof(T)] = result;

    /// <summary>A result an earlier stage stored, or null when that stage did not run.</summary>
    public T? Get<T>()
        where T : class => _results.TryGetValue(typeof(T), out var value) ? (T)value : null;
}

/// <summary>One protocol stage as `run` sees it.</summary>
public interface IPipelineStage
{
    /// <summary>Stage name as shown in progress (collect, scan, hunt, …).</summary>
    string Name { get; }

    /// <summary>Runs the stage, reporting progress from 0 to 1.</summary>
    Task RunAsync(PipelineContext context, IProgress<double> progress, CancellationToken cancellationToken);
}

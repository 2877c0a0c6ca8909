namespace Breachline.Pipeline;

/// <summary>Progress of one stage of a run, for hosts to display.</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Fraction">0 to 1.</param>
/// <param name="Done">True once the stage has finished.</param>
public sealed record StageProgress(string Stage, double Fraction, bool Done);

/// <summary>Runs the stages that exist, in pipeline order (collect → scan → hunt → scope → notify → controls → contain → report).</summary>
public static class PipelineRunner
{
    /// <summary>Runs every stage in <paramref name="stages"/> in order on one context.</summary>
    public static async Task RunAsync(PipelineContext context, IReadOnlyList<IPipelineStage> stages, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        foreach (var stage in stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await stage.RunAsync(context, new SynchronousProgress(stage.Name, progress), cancellationToken);
            progress?.Report(new StageProgress(stage.Name, 1, true));
        }
    }

    // Progress<T> posts to the thread pool; a host's progress bar wants the report now, in order.
    private sealed class SynchronousProgress(string stage, IProgress<StageProgress>? inner) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(new StageProgress(stage, Math.Clamp(value, 0, 1), false));
    }
}

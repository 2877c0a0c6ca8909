using Breachline.Common;
using Breachline.Pipeline;
using NodaTime;

namespace Breachline.Sample;

/// <summary>What the demo prepared: the sample org, its workspace, the run to do and the instant to read the clock at.</summary>
/// <param name="Root">The demo folder.</param>
/// <param name="Sample">The generated org and its answer key.</param>
/// <param name="Run">The run request (incident facts from the sample's answer key).</param>
/// <param name="AsOf">Where the demo reads the clock: 30 hours after awareness, mid-response, so deadlines show both states.</param>
public sealed record DemoPlan(string Root, SampleResult Sample, RunRequest Run, Instant AsOf);

/// <summary>
/// The `demo` use case: a fresh sample org (token theft, seed 1) in DIR/org and a workspace in DIR/workspace.
/// A folder written by an earlier demo (it holds the marker file) is replaced; any other non-empty folder is
/// refused, so the demo never deletes a user's files.
/// </summary>
public static class Demo
{
    /// <summary>The marker file a demo folder carries.</summary>
    public const string Marker = ".breachline-demo";

    /// <summary>How long after awareness the demo reads the clock.</summary>
    public static readonly Duration ClockReadAfterAwareness = Duration.FromHours(30);

    /// <summary>Prepares the demo folder and generates the sample org.</summary>
    /// <exception cref="UsageException">The folder exists, is not empty and was not written by a demo.</exception>
    public static DemoPlan Prepare(string outDir, SampleOptions? options = null)
    {
        var root = Path.GetFullPath(outDir);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(Path.Combine(root, Marker)))
            {
                throw new UsageException($"{outDir} is not empty and was not written by 'breachline demo'; give a new folder with --out");
            }

            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, Marker), "Written by 'breachline demo'; the next demo run replaces this folder.\n");
        var sample = SampleOrg.Generate(options ?? new SampleOptions(), Path.Combine(root, "org"));
        var zone = IncidentTime.Zone(sample.Truth.Incident.TimeZone);
        var detected = IncidentTime.ParseInstant(sample.Truth.Incident.DetectedAt, zone, "truth.json incident.detectedAt");
        var aware = IncidentTime.ParseInstant(sample.Truth.Incident.AwareAt, zone, "truth.json incident.awareAt");
        var run = new RunRequest(sample.Root, Path.Combine(root, "workspace"), sample.Truth.Incident.Title, detected, aware);
        return new DemoPlan(root, sample, run, aware + ClockReadAfterAwareness);
    }
}

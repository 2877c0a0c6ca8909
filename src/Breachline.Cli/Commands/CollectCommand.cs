using System.CommandLine;
using Breachline.Common;
using Breachline.Evidence;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary><c>breachline collect ORG_DIR</c>: hash the whole export into the evidence vault.</summary>
internal static class CollectCommand
{
    public static Command Create(CommandRunner runner)
    {
        var org = new Argument<string>("ORG_DIR") { Description = "The org export folder (org.yaml, metadata/, logs/, records/, integrations/, gateway/)" };
        var source = new Option<string?>("--source") { Description = "Where the export came from, recorded on every item (default: the folder)" };
        var purpose = new Option<string>("--purpose")
        {
            Description = "Why it is collected, written on every custody entry",
            DefaultValueFactory = _ => "incident evidence collection",
        };
        var command = new Command(
            "collect",
            "Collect every file of an org export into the evidence vault: stored once by SHA-256, hashed while it streams in, " +
            "with a signed custody entry. Files that cannot be collected safely are listed and the command exits 3; the rest are kept.\n\n" +
            "Example: breachline collect ./org --source \"export from org 00D5e000000AbCd\"")
        {
            org, source, purpose,
        };
        runner.Bind(command, (ctx, ct) =>
        {
            using var vault = EvidenceVault.Open(ctx.OpenWorkspace(create: true), ctx.Time());
            foreach (var line in vault.Recovery)
            {
                ctx.Error.WriteLine($"recovered: {line}");
            }

            var options = new CollectOptions(ctx.Parse.GetValue(source), ctx.Parse.GetValue(purpose)!);
            var path = ctx.Parse.GetValue(org)!;
            var result = ctx.Format == OutputFormat.Table && ctx.Console.Profile.Capabilities.Interactive
                ? WithProgressBar(ctx, vault, path, options, ct)
                : vault.Collect(path, ctx.Actor, options, ctx.Format == OutputFormat.Table ? new Lines(ctx.Out) : null, ct);

            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new
                {
                    items = result.Items,
                    newObjects = result.NewObjects,
                    bytes = result.Bytes,
                    skipped = result.Skipped.Select(p => p.ToString()),
                    snapshot = result.SnapshotPath,
                    treeSize = result.Head?.TreeSize ?? 0,
                    rootHash = result.Head?.RootHash,
                });
            }
            else
            {
                ctx.Console.MarkupLineInterpolated(
                    $"[green]collected[/] {result.Items.Count} file(s), {result.Bytes:N0} bytes, {result.NewObjects} new object(s); signed tree size {result.Head?.TreeSize ?? 0}, root {result.Head?.RootHash ?? "-"}");
            }

            if (result.Skipped.Count > 0)
            {
                ctx.Error.WriteLine($"{result.Skipped.Count} file(s) were NOT collected:");
                throw new InputException(result.Skipped);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static CollectResult WithProgressBar(CliContext ctx, EvidenceVault vault, string path, CollectOptions options, CancellationToken ct)
    {
        CollectResult? result = null;
        ctx.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("collecting", maxValue: 1);
                result = vault.Collect(path, ctx.Actor, options, new Bar(task), ct);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private sealed class Bar(ProgressTask task) : IProgress<CollectProgress>
    {
        public void Report(CollectProgress value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
            task.Description = $"collecting ({value.Bytes / (1 << 20):N0} MiB)";
        }
    }

    // Without a terminal, one line per item once its custody entry is committed: a script (or a crash test)
    // can rely on every printed item surviving.
    private sealed class Lines(TextWriter output) : IProgress<CollectProgress>
    {
        public void Report(CollectProgress value)
        {
            foreach (var item in value.Committed)
            {
                output.WriteLine($"collected {item.Id} sha256:{item.Sha256} {item.Kind.Name()} {item.Path}");
            }

            output.Flush();
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Breachline.Common;
using Breachline.Evidence;
using Spectre.Console;

namespace Breachline.Cli.Commands;

/// <summary><c>breachline evidence list|show|verify|proof|consistency|export|verify-bundle</c>.</summary>
internal static class EvidenceCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("evidence", "Inspect, prove and export the evidence vault and its chain of custody.\n\nExample: breachline evidence verify");
        command.Subcommands.Add(List(runner));
        command.Subcommands.Add(Show(runner));
        command.Subcommands.Add(Verify(runner));
        command.Subcommands.Add(Proof(runner));
        command.Subcommands.Add(Consistency(runner));
        command.Subcommands.Add(Export(runner));
        command.Subcommands.Add(VerifyBundle(runner));
        return command;
    }

    private static EvidenceVault OpenVault(CliContext ctx)
    {
        var vault = EvidenceVault.Open(ctx.OpenWorkspace(), ctx.Time());
        foreach (var line in vault.Recovery)
        {
            ctx.Error.WriteLine($"recovered: {line}");
        }

        return vault;
    }

    private static Command List(CommandRunner runner)
    {
        var command = new Command("list", "List every item in the vault.\n\nExample: breachline evidence list --format json");
        runner.Bind(command, ctx =>
        {
            using var vault = OpenVault(ctx);
            var items = vault.Items();
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(items);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "kind", "path", "size", "sha256", "observed", "collected");
            foreach (var i in items)
            {
                table.AddRow(
                    Markup.Escape(i.Id), i.Kind.Name(), Markup.Escape(i.Path), i.Size.ToString("N0", CultureInfo.InvariantCulture), i.Sha256[..16] + "…",
                    i.ObservedFrom is { } f ? $"{f:yyyy-MM-dd HH:mm} → {i.ObservedTo:yyyy-MM-dd HH:mm}" : "",
                    Markup.Escape($"{i.CollectedAt:yyyy-MM-dd HH:mm:ss} by {i.Collector}"));
            }

            ctx.Console.Write(table);
            var head = vault.LatestHead();
            ctx.Console.MarkupLineInterpolated($"{items.Count} item(s); signed tree size {head?.TreeSize ?? 0}, root {head?.RootHash ?? "-"}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CommandRunner runner)
    {
        var id = new Argument<string>("ID") { Description = "Item id (E-000001) or a SHA-256 prefix of at least 8 characters" };
        var command = new Command("show", "Show one item and every custody entry that names it.\n\nExample: breachline evidence show E-000003") { id };
        runner.Bind(command, ctx =>
        {
            using var vault = OpenVault(ctx);
            var wanted = ctx.Parse.GetValue(id)!;
            var item = vault.Find(wanted) ?? throw new UsageException($"no evidence item '{wanted}' (see breachline evidence list)");
            var custody = vault.CustodyOf(item.Sha256);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { item, custody });
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumns(2);
            void Row(string k, string? v) => grid.AddRow(new Text(k), new Text(v ?? "-"));
            Row("id", item.Id);
            Row("path", item.Path);
            Row("kind", item.Kind.Name());
            Row("sha256", item.Sha256);
            Row("size", item.Size.ToString("N0", CultureInfo.InvariantCulture) + " bytes");
            Row("source", item.Source);
            Row("collected", $"{CustodyEntry.FormatTime(item.CollectedAt)} by {item.Collector}");
            Row("observed", item.ObservedFrom is { } f ? $"{CustodyEntry.FormatTime(f)} → {CustodyEntry.FormatTime(item.ObservedTo!.Value)}" : null);
            Row("object", vault.ObjectPath(item.Sha256));
            ctx.Console.Write(grid);
            ctx.Console.WriteLine();
            ctx.Console.WriteLine("custody:");
            foreach (var e in custody)
            {
                ctx.Console.WriteLine("  " + e.Describe());
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify(CommandRunner runner)
    {
        var command = new Command(
            "verify",
            "Re-hash every object, recompute every custody leaf and the Merkle tree, check every signed tree head and every item. " +
            "Exit 1 with a precise report on any mismatch; on success a 'verified' custody entry is added.\n\nExample: breachline evidence verify");
        runner.Bind(command, ctx =>
        {
            using var vault = OpenVault(ctx);
            var report = vault.Verify(recordAs: ctx.Actor);
            PrintReport(ctx, report);
            return report.Ok ? ExitCodes.Success : ExitCodes.ActionNeeded;
        });
        return command;
    }

    private static Command Proof(CommandRunner runner)
    {
        var entry = new Argument<string>("ENTRY") { Description = "Custody entry number (leaf index, from 0) or an item id (its collection entry)" };
        var command = new Command("proof", "Print the RFC 9162 inclusion proof of a custody entry under the latest signed head.\n\nExample: breachline evidence proof 5") { entry };
        runner.Bind(command, ctx =>
        {
            using var vault = OpenVault(ctx);
            var text = ctx.Parse.GetValue(entry)!;
            var seq = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : vault.Find(text)?.CustodySeq ?? throw new UsageException($"'{text}' is neither an entry number nor an item id");
            var proof = vault.Proof(seq);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(proof);
            }
            else
            {
                ctx.Out.WriteLine($"entry      #{proof.Seq}: {proof.Entry}");
                ctx.Out.WriteLine($"leaf hash  {proof.LeafHash}");
                ctx.Out.WriteLine($"tree size  {proof.TreeSize} (signed tree head #{proof.Head})");
                ctx.Out.WriteLine($"root       {proof.RootHash}");
                ctx.Out.WriteLine("path (leaf to root):");
                foreach (var h in proof.Path)
                {
                    ctx.Out.WriteLine("  " + h);
                }

                ctx.Out.WriteLine(proof.Verified ? "verified: the path leads to the signed root" : "NOT VERIFIED: the path does not lead to the signed root");
            }

            return proof.Verified ? ExitCodes.Success : ExitCodes.ActionNeeded;
        });
        return command;
    }

    private static Command Consistency(CommandRunner runner)
    {
        var oldSize = new Argument<long>("OLD") { Description = "Earlier tree size" };
        var newSize = new Argument<long>("NEW") { Description = "Later tree size" };
        var command = new Command("consistency", "Print the RFC 9162 consistency proof that the log of NEW entries extends the log of OLD entries.\n\nExample: breachline evidence consistency 4 9") { oldSize, newSize };
        runner.Bind(command, ctx =>
        {
            using var vault = OpenVault(ctx);
            var proof = vault.Consistency(ctx.Parse.GetValue(oldSize), ctx.Parse.GetValue(newSize));
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(proof);
            }
            else
            {
                ctx.Out.WriteLine($"old  size {proof.OldSize} root {proof.OldRoot}");
                ctx.Out.WriteLine($"new  size {proof.NewSize} root {proof.NewRoot}");
                ctx.Out.WriteLine("proof:");
                foreach (var h in proof.Proof)
                {
                    ctx.Out.WriteLine("  " + h);
                }

                ctx.Out.WriteLine(proof.Verified ? "verified: the new tree extends the old one" : "NOT VERIFIED");
            }

            return proof.Verified ? ExitCodes.Success : ExitCodes.ActionNeeded;
        });
        return command;
    }

    private static Command Export(CommandRunner runner)
    {
        var output = new Option<string>("--out", "-o") { Description = "Bundle file to write", Required = true };
        var purpose = new Option<string>("--purpose")
        {
            Description = "Why the evidence leaves the vault, written on the custody log",
            DefaultValueFactory = _ => "evidence bundle export",
        };
        var command = new Command(
            "export",
            "Write a zip bundle (objects, custody log, signed heads, manifest, public key, README with the manual verification procedure) " +
            "that verifies offline.\n\nExample: breachline evidence export --out bundle.zip --purpose \"for the SOC 2 auditor\"")
        {
            output, purpose,
        };
        runner.Bind(command, ctx =>
        {
            using var vault = OpenVault(ctx);
            try
            {
                var result = EvidenceBundle.Export(vault, ctx.Parse.GetValue(output)!, ctx.Actor, ctx.Parse.GetValue(purpose)!, ctx.Time());
                if (ctx.Format == OutputFormat.Json)
                {
                    ctx.WriteJson(new { path = result.Path, objects = result.Objects, entries = result.Entries, treeSize = result.Head.TreeSize, rootHash = result.Head.RootHash, keyId = result.Head.KeyId });
                }
                else
                {
                    ctx.Out.WriteLine($"wrote {result.Path}: {result.Objects} object(s), {result.Entries} custody entries, signed root {result.Head.RootHash} (size {result.Head.TreeSize}), key id {result.Head.KeyId}");
                }

                return ExitCodes.Success;
            }
            catch (EvidenceTamperedException e)
            {
                ctx.Error.WriteLine("export refused: the vault does not verify");
                PrintReport(ctx, e.Report);
                return ExitCodes.ActionNeeded;
            }
        });
        return command;
    }

    private static Command VerifyBundle(CommandRunner runner)
    {
        var bundle = new Argument<string>("BUNDLE") { Description = "The bundle zip" };
        var command = new Command(
            "verify-bundle",
            "Verify an evidence bundle with nothing but the bundle (no workspace needed). Exit 1 with a precise report on any mismatch, " +
            "3 when the zip is unsafe (paths leaving it, duplicate names, zip bombs).\n\nExample: breachline evidence verify-bundle bundle.zip")
        {
            bundle,
        };
        runner.Bind(command, ctx =>
        {
            var report = EvidenceBundle.Verify(ctx.Parse.GetValue(bundle)!);
            PrintReport(ctx, report);
            return report.Ok ? ExitCodes.Success : ExitCodes.ActionNeeded;
        });
        return command;
    }

    private static void PrintReport(CliContext ctx, VerificationReport report)
    {
        if (ctx.Format == OutputFormat.Json)
        {
            ctx.WriteJson(new { ok = report.Ok, report.Objects, report.Entries, report.Heads, report.TreeSize, report.RootHash, report.Problems, report.Notes });
            return;
        }

        foreach (var note in report.Notes)
        {
            ctx.Out.WriteLine($"note: {note}");
        }

        foreach (var problem in report.Problems)
        {
            ctx.Out.WriteLine($"FAILED {problem}");
        }

        ctx.Out.WriteLine(report.Ok
            ? $"verified: {report.Objects} object(s), {report.Entries} custody entries, {report.Heads} signed head(s); tree size {report.TreeSize}, root {report.RootHash}"
            : $"verification FAILED: {report.Problems.Count} problem(s)");
    }
}

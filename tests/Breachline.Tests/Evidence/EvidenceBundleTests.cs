using System.IO.Compression;
using Breachline.Common;
using Breachline.Evidence;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Evidence;

public class EvidenceBundleTests
{
    private static string ExportBundle(EvidenceOrg org)
    {
        org.Collect();
        using var vault = org.OpenVault();
        var path = Path.Combine(org.Scratch, "bundle.zip");
        EvidenceBundle.Export(vault, path, "carol@example.edu", "for the SOC 2 auditor", new FixedTimeProvider(EvidenceOrg.Now));
        return path;
    }

    private static string Rewrite(string source, string target, Func<string, byte[], (string Name, byte[] Bytes)[]> change)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var s = entry.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            foreach (var (name, bytes) in change(entry.FullName, m.ToArray()))
            {
                using var o = output.CreateEntry(name).Open();
                o.Write(bytes);
            }
        }

        return target;
    }

    [Fact]
    public async Task A_bundle_verifies_with_nothing_but_the_bundle()
    {
        string moved;
        using (var org = new EvidenceOrg())
        {
            var bundle = ExportBundle(org);
            using var zip = ZipFile.OpenRead(bundle);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("README.md", names);
            Assert.Contains("public-key.pem", names);
            Assert.Contains("custody.jsonl", names);
            Assert.Contains("tree-head.sig", names);
            Assert.Equal(EvidenceOrg.FileCount - 1, names.Count(n => n.StartsWith("objects/", StringComparison.Ordinal)));
            moved = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.zip");
            File.Copy(bundle, moved);
        }

        // The workspace, the org and its key are gone: only the bundle remains.
        try
        {
            var report = EvidenceBundle.Verify(moved);
            Assert.True(report.Ok, string.Join("\n", report.Problems));
            Assert.Equal(EvidenceOrg.FileCount + 1, report.Entries);
            var cli = await CliRun.RunAsync("evidence", "verify-bundle", moved);
            Assert.Equal(0, cli.ExitCode);
            Assert.Contains("verified:", cli.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(moved);
        }
    }

    [Fact]
    public void The_export_is_itself_a_custody_entry()
    {
        using var org = new EvidenceOrg();
        ExportBundle(org);
        using var vault = org.OpenVault();
        var last = vault.Custody()[^1];
        Assert.Equal(CustodyActions.Exported, last.Action);
        Assert.Equal("carol@example.edu", last.Actor);
        Assert.Equal("for the SOC 2 auditor", last.Purpose);
    }

    [Fact]
    public void A_changed_object_or_custody_line_in_a_bundle_is_named()
    {
        using var org = new EvidenceOrg();
        var bundle = ExportBundle(org);
        var changedObject = Rewrite(bundle, Path.Combine(org.Scratch, "obj.zip"), (name, bytes) =>
        {
            if (name.StartsWith("objects/", StringComparison.Ordinal) && bytes.Length > 10)
            {
                bytes[10] ^= 0x20;
            }

            return [(name, bytes)];
        });
        var report = EvidenceBundle.Verify(changedObject);
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Subject.StartsWith("object ", StringComparison.Ordinal) && p.Message.Contains("content changed", StringComparison.Ordinal));

        var changedLog = Rewrite(bundle, Path.Combine(org.Scratch, "log.zip"), (name, bytes) =>
            name == "custody.jsonl" ? [(name, System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(bytes).Replace("alice@", "mallory@", StringComparison.Ordinal)))] : [(name, bytes)]);
        var logReport = EvidenceBundle.Verify(changedLog);
        Assert.False(logReport.Ok);
        Assert.Contains(logReport.Problems, p => p.Subject.StartsWith("signed tree head", StringComparison.Ordinal));
        Assert.Contains(logReport.Problems, p => p.Subject.StartsWith("custody entry #1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../escape.txt", "leaves the bundle")]
    [InlineData("objects/../../escape.txt", "leaves the bundle")]
    [InlineData("/etc/cron.d/evil", "absolute")]
    [InlineData("C:/evil.txt", "absolute")]
    [InlineData("README.md", "duplicate entry name")]
    [InlineData("readme.MD", "duplicate entry name")]
    public async Task Unsafe_entry_names_are_refused(string injected, string expected)
    {
        using var org = new EvidenceOrg();
        var bundle = ExportBundle(org);
        var evil = Rewrite(bundle, Path.Combine(org.Scratch, "evil.zip"), (name, bytes) =>
            name == "manifest.json" ? [(name, bytes), (injected, "x"u8.ToArray())] : [(name, bytes)]);

        var e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(evil));
        Assert.Contains(e.Problems, p => p.Message.Contains(expected, StringComparison.Ordinal));
        var cli = await CliRun.RunAsync("evidence", "verify-bundle", evil);
        Assert.Equal(ExitCodes.Input, cli.ExitCode);
    }

    [Fact]
    public void Zip_bombs_are_refused_by_ratio_and_by_total_size()
    {
        using var org = new EvidenceOrg();
        var bundle = ExportBundle(org);
        var bomb = Rewrite(bundle, Path.Combine(org.Scratch, "bomb.zip"), (name, bytes) =>
            name == "manifest.json" ? [(name, bytes), ("objects/" + new string('0', 64), new byte[8 << 20])] : [(name, bytes)]);

        var ratio = Assert.Throws<InputException>(() => EvidenceBundle.Verify(bomb));
        Assert.Contains(ratio.Problems, p => p.Message.Contains("zip bomb", StringComparison.Ordinal));

        var size = Assert.Throws<InputException>(() => EvidenceBundle.Verify(bundle, new BundleLimits(MaxTotalBytes: 1000)));
        Assert.Contains(size.Problems, p => p.Message.Contains("more than the limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tampered_vault_is_not_exported()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        org.OpenWorkspace().Write((c, t) => Dapper.SqlMapper.Execute(c, "UPDATE evidence_items SET size = size + 1 WHERE path = 'org.yaml'", transaction: t));
        var result = await CliRun.RunAsync("evidence", "export", "--out", Path.Combine(org.Scratch, "b.zip"), "--workspace", org.WorkspacePath);
        Assert.Equal(ExitCodes.ActionNeeded, result.ExitCode);
        Assert.Contains("export refused", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(org.Scratch, "b.zip")));
    }
}

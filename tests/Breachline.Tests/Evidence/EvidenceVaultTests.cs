using Breachline.Common;
using Breachline.Evidence;
using Breachline.Tests.Cli;
using Dapper;

namespace Breachline.Tests.Evidence;

public class EvidenceVaultTests
{
    [Fact]
    public void Collecting_an_export_stores_each_file_once_by_hash_with_its_kind_and_observation_period()
    {
        using var org = new EvidenceOrg();
        var result = org.Collect(new CollectOptions("export from org 00D5e000000AbCdEAK"));

        Assert.Empty(result.Skipped);
        Assert.Equal(EvidenceOrg.FileCount, result.Items.Count);
        Assert.Equal(EvidenceOrg.FileCount - 1, result.NewObjects);
        using var vault = org.OpenVault();
        var items = vault.Items().ToDictionary(i => i.Path);
        var api = items["logs/2026-03-01_API.csv"];
        Assert.Equal(EvidenceKind.Logs, api.Kind);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 1, 2, TimeSpan.Zero), api.ObservedFrom);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 23, 59, 59, 123, TimeSpan.Zero), api.ObservedTo);
        Assert.Equal(EvidenceOrg.Now, api.CollectedAt);
        Assert.Equal("alice@example.edu", api.Collector);
        Assert.Equal("export from org 00D5e000000AbCdEAK", api.Source);
        var audit = items["logs/SetupAuditTrail.csv"];
        Assert.Equal(new DateTimeOffset(2026, 2, 27, 8, 0, 0, TimeSpan.Zero), audit.ObservedFrom);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 21, 4, 35, TimeSpan.Zero), audit.ObservedTo);
        var gateway = items["gateway/access.jsonl"];
        Assert.Equal(EvidenceKind.Gateway, gateway.Kind);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), gateway.ObservedFrom);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 17, 30, 0, TimeSpan.Zero), gateway.ObservedTo);
        Assert.Equal(EvidenceKind.Records, items["records/Contact.csv"].Kind);
        Assert.Null(items["records/Contact.csv"].ObservedFrom);
        Assert.Equal(EvidenceKind.Metadata, items["metadata/force-app/main/default/connectedApps/Portal.connectedApp-meta.xml"].Kind);
        Assert.Equal(EvidenceKind.Integrations, items["integrations/portal-sync/config.json"].Kind);
        Assert.Equal(EvidenceKind.Other, items["org.yaml"].Kind);

        foreach (var item in items.Values)
        {
            var original = File.ReadAllBytes(Path.Combine(org.Root, item.Path));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)), item.Sha256);
            Assert.Equal(original, File.ReadAllBytes(vault.ObjectPath(item.Sha256)));
        }

        Assert.Equal(EvidenceOrg.FileCount - 1, vault.ObjectFiles().Count());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(vault.ObjectPath(api.Sha256)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(vault.Root, "keys", TreeHeadKey.PrivateKeyFile)));
        }
    }

    [Fact]
    public void Recollecting_unchanged_files_adds_custody_entries_not_copies()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        var second = org.Collect();

        using var vault = org.OpenVault();
        Assert.Equal(0, second.NewObjects);
        Assert.Equal(EvidenceOrg.FileCount, vault.Items().Count);
        Assert.Equal(EvidenceOrg.FileCount - 1, vault.ObjectFiles().Count());
        Assert.Equal(2 * EvidenceOrg.FileCount, vault.Custody().Count(e => e.Action == CustodyActions.Collected));
        var item = vault.Items().First(i => i.Path == "records/Contact.csv");
        Assert.Equal(2, vault.CustodyOf(item.Sha256).Count);
        Assert.True(vault.Verify().Ok);

        // A changed file is a new item (a new version), the old one stays.
        org.Write("records/Contact.csv", "Id,FirstName,LastName,Email\n0035e00000AbCdEAAV,Ada,Byron,ada@example.edu\n");
        var third = org.Collect();
        Assert.Equal(1, third.NewObjects);
        Assert.Equal(2, vault.Items().Count(i => i.Path == "records/Contact.csv"));
    }

    [Fact]
    public void A_sound_vault_verifies_and_records_that_it_was_verified()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        using var vault = org.OpenVault();
        var report = vault.Verify(recordAs: "auditor@example.com");

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(EvidenceOrg.FileCount - 1, report.Objects);
        var last = vault.Custody()[^1];
        Assert.Equal(CustodyActions.Verified, last.Action);
        Assert.Equal("auditor@example.com", last.Actor);
        Assert.Equal(last.Seq + 1, vault.LatestHead()!.TreeSize);
    }

    [Fact]
    public void Flipping_any_byte_of_any_object_fails_verification_naming_the_object()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        using var vault = org.OpenVault();
        foreach (var sha in vault.Items().Select(i => i.Sha256).Distinct())
        {
            var path = vault.ObjectPath(sha);
            var original = File.ReadAllBytes(path);
            // Every 5th byte plus the first and last: a SHA-256 mismatch does not depend on where the flip is.
            foreach (var i in Enumerable.Range(0, original.Length).Where(i => i % 5 == 0 || i == original.Length - 1))
            {
                var changed = (byte[])original.Clone();
                changed[i] ^= 0x01;
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                File.WriteAllBytes(path, changed);
                var report = vault.Verify();
                Assert.False(report.Ok, $"object {sha} byte {i}");
                Assert.Contains(report.Problems, p => p.Subject.StartsWith($"object {sha}", StringComparison.Ordinal) && p.Message.Contains("content changed", StringComparison.Ordinal));
            }

            File.WriteAllBytes(path, original);
        }

        Assert.True(vault.Verify().Ok);
        File.Delete(vault.ObjectPath(vault.Items()[0].Sha256));
        Assert.Contains(vault.Verify().Problems, p => p.Message.Contains("missing from the vault", StringComparison.Ordinal));
    }

    [Fact]
    public void Flipping_any_byte_of_any_custody_entry_fails_verification_naming_the_entry()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        using var vault = org.OpenVault();
        vault.Record(CustodyActions.Accessed, "bob", "read for the hunt", [vault.Items()[0].Sha256]);
        var entries = vault.Entries();
        var heads = vault.Heads();
        var items = vault.Items();
        var objects = items.Select(i => i.Sha256).Distinct().ToDictionary(s => s, vault.HashObject);
        ObjectState Read(string sha) => objects.TryGetValue(sha, out var s) ? s : new ObjectState(false, "", 0);
        Assert.True(CustodyCheck.Run(vault.VaultId, entries, heads, vault.PublicKeyPem, items, Read, []).Ok);

        var checkedBytes = 0;
        for (var e = 0; e < entries.Count; e++)
        {
            for (var b = 0; b < entries[e].Bytes.Length; b++)
            {
                var changed = entries.ToList();
                var bytes = (byte[])entries[e].Bytes.Clone();
                bytes[b] ^= 0x01;
                // As an attacker would: recompute the stored leaf hash too, so only the tree and the chain can tell.
                changed[e] = entries[e] with { Bytes = bytes, StoredLeafHash = MerkleTree.LeafHash(bytes) };
                var report = CustodyCheck.Run(vault.VaultId, changed, heads, vault.PublicKeyPem, items, Read, []);
                Assert.False(report.Ok, $"entry {e} byte {b}");
                Assert.Contains(report.Problems, p => p.Subject.Contains($"(size {heads.First(h => h.TreeSize > e).TreeSize})", StringComparison.Ordinal)
                    || p.Subject == $"custody entry #{e}" || p.Subject == $"custody entry #{e + 1}");
                checkedBytes++;
            }
        }

        Assert.True(checkedBytes > 1000);
    }

    [Fact]
    public void Flipping_any_byte_of_any_signed_head_fails_verification_naming_the_head()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        using var vault = org.OpenVault();
        vault.Record(CustodyActions.Sealed, "bob", "evidence set complete", [vault.Items()[0].Sha256]);
        var entries = vault.Entries();
        var heads = vault.Heads();
        Assert.True(heads.Count >= 2);
        var items = vault.Items();
        var objects = items.Select(i => i.Sha256).Distinct().ToDictionary(s => s, vault.HashObject);
        ObjectState Read(string sha) => objects.TryGetValue(sha, out var s) ? s : new ObjectState(false, "", 0);

        for (var h = 0; h < heads.Count; h++)
        {
            var subject = $"signed tree head #{heads[h].Number}";
            for (var part = 0; part < 2; part++)
            {
                var original = part == 0 ? heads[h].Body : heads[h].Signature;
                for (var b = 0; b < original.Length; b++)
                {
                    var bytes = (byte[])original.Clone();
                    bytes[b] ^= 0x01;
                    var changed = heads.ToList();
                    changed[h] = part == 0 ? heads[h] with { Body = bytes } : heads[h] with { Signature = bytes };
                    var report = CustodyCheck.Run(vault.VaultId, entries, changed, vault.PublicKeyPem, items, Read, []);
                    Assert.False(report.Ok, $"head {h} part {part} byte {b}");
                    Assert.Contains(report.Problems, p => p.Subject.StartsWith(subject, StringComparison.Ordinal));
                }
            }

            var rootBytes = Convert.FromHexString(heads[h].RootHash);
            rootBytes[5] ^= 0x80;
            var badRoot = heads.ToList();
            badRoot[h] = heads[h] with { RootHash = Convert.ToHexStringLower(rootBytes) };
            Assert.Contains(CustodyCheck.Run(vault.VaultId, entries, badRoot, vault.PublicKeyPem, items, Read, []).Problems, p => p.Subject.StartsWith(subject, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Tampering_with_the_database_is_named_by_the_verify_command()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        var ws = org.OpenWorkspace();

        ws.Write((c, t) => c.Execute("UPDATE evidence_custody SET entry = CAST(replace(CAST(entry AS TEXT), 'Contact.csv', 'Contakt.csv') AS BLOB) WHERE seq = 7", transaction: t));
        var result = await CliRun.RunAsync("evidence", "verify", "--workspace", org.WorkspacePath);
        Assert.Equal(ExitCodes.ActionNeeded, result.ExitCode);
        Assert.Contains("custody entry #7: content changed", result.Out, StringComparison.Ordinal);
        Assert.Contains("verification FAILED", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_a_custody_entry_is_detected()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        var ws = org.OpenWorkspace();
        ws.Write((c, t) => c.Execute("DELETE FROM evidence_custody WHERE seq = 3", transaction: t));
        using var vault = org.OpenVault();
        var report = vault.Verify();
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Subject == "custody entry #4" && p.Message.Contains("missing before it", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Subject.StartsWith("signed tree head #1", StringComparison.Ordinal));

        // Deleting the last entry (the easiest to hide) is caught by the signed head that covers it.
        using var org2 = new EvidenceOrg();
        org2.Collect();
        var ws2 = org2.OpenWorkspace();
        ws2.Write((c, t) => c.Execute("DELETE FROM evidence_custody WHERE seq = (SELECT MAX(seq) FROM evidence_custody)", transaction: t));
        using var vault2 = org2.OpenVault();
        Assert.Contains(vault2.Verify().Problems, p => p.Message.Contains("entries were removed", StringComparison.Ordinal));
    }

    [Fact]
    public void Reordering_custody_entries_is_detected()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        var ws = org.OpenWorkspace();
        ws.Write((c, t) =>
        {
            c.Execute("UPDATE evidence_custody SET seq = -1 WHERE seq = 2", transaction: t);
            c.Execute("UPDATE evidence_custody SET seq = 2 WHERE seq = 5", transaction: t);
            c.Execute("UPDATE evidence_custody SET seq = 5 WHERE seq = -1", transaction: t);
        });
        using var vault = org.OpenVault();
        var report = vault.Verify();
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Subject == "custody entry #2" && p.Message.Contains("reordered", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Subject == "custody entry #5" && p.Message.Contains("reordered", StringComparison.Ordinal));
    }

    [Fact]
    public void Changing_an_item_row_after_collection_is_detected()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        var ws = org.OpenWorkspace();
        ws.Write((c, t) => c.Execute("UPDATE evidence_items SET observed_to = '2026-03-02T00:00:00.0000000+00:00' WHERE path = 'logs/2026-03-01_API.csv'", transaction: t));
        using var vault = org.OpenVault();
        var problem = Assert.Single(vault.Verify().Problems);
        Assert.StartsWith("item E-", problem.Subject, StringComparison.Ordinal);
        Assert.Contains("observedTo", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proof_and_consistency_commands_print_proofs_that_check()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        org.Collect();
        var proof = await CliRun.RunAsync("evidence", "proof", "4", "--workspace", org.WorkspacePath, "--format", "json");
        Assert.Equal(0, proof.ExitCode);
        Assert.Contains("\"verified\": true", proof.Out, StringComparison.Ordinal);
        var byItem = await CliRun.RunAsync("evidence", "proof", "E-000002", "--workspace", org.WorkspacePath);
        Assert.Equal(0, byItem.ExitCode);
        Assert.Contains("verified: the path leads to the signed root", byItem.Out, StringComparison.Ordinal);
        var consistency = await CliRun.RunAsync("evidence", "consistency", "3", "15", "--workspace", org.WorkspacePath);
        Assert.Equal(0, consistency.ExitCode);
        Assert.Contains("verified: the new tree extends the old one", consistency.Out, StringComparison.Ordinal);
        var outOfRange = await CliRun.RunAsync("evidence", "consistency", "3", "500", "--workspace", org.WorkspacePath);
        Assert.Equal(ExitCodes.Usage, outOfRange.ExitCode);
        var show = await CliRun.RunAsync("evidence", "show", "E-000002", "--workspace", org.WorkspacePath);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("collected by alice", show.Out.Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_vault_removes_half_written_files_and_notes_unrecorded_objects()
    {
        using var org = new EvidenceOrg();
        org.Collect();
        using (var vault = org.OpenVault())
        {
            File.WriteAllText(Path.Combine(vault.Root, "tmp", "0123.part"), "half");
            Directory.CreateDirectory(Path.Combine(vault.Root, "snapshots", "x.partial", "logs"));
            var orphan = vault.ObjectPath(new string('a', 64));
            Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
            File.WriteAllText(orphan, "whatever");
        }

        using var reopened = org.OpenVault();
        Assert.Contains(reopened.Recovery, r => r.Contains("half-written", StringComparison.Ordinal));
        Assert.Contains(reopened.Recovery, r => r.Contains("unfinished snapshot", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(reopened.Root, "tmp")));
        var report = reopened.Verify();
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Contains(report.Notes, n => n.Contains("in no custody entry", StringComparison.Ordinal));
    }
}

using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Breachline.Common;

namespace Breachline.Evidence;

/// <summary>Limits that keep a hostile bundle from exhausting the verifier (zip bombs).</summary>
/// <param name="MaxTotalBytes">Largest total uncompressed size accepted.</param>
/// <param name="MaxRatio">Largest compression ratio accepted for an entry over 1 MiB. Text logs compress 5–20×; deflate tops out near 1,032×.</param>
/// <param name="MaxEntries">Most entries accepted.</param>
/// <param name="MaxMetadataBytes">Largest manifest, custody log or head list accepted.</param>
public sealed record BundleLimits(long MaxTotalBytes = 256L << 30, double MaxRatio = 200, int MaxEntries = 1_000_000, long MaxMetadataBytes = 512L << 20);

/// <summary>What <see cref="EvidenceBundle.Export"/> wrote.</summary>
/// <param name="Path">The bundle.</param>
/// <param name="Objects">Objects inside.</param>
/// <param name="Entries">Custody entries inside.</param>
/// <param name="Head">The signed head the bundle ends with.</param>
public sealed record BundleResult(string Path, int Objects, long Entries, SignedTreeHead Head);

/// <summary>The manifest at the root of a bundle.</summary>
/// <param name="Schema">breachline/evidence-bundle/v1.</param>
/// <param name="Vault">Vault id.</param>
/// <param name="CreatedAt">When exported.</param>
/// <param name="CreatedBy">Who exported.</param>
/// <param name="TreeSize">Size of the tree under the last head.</param>
/// <param name="RootHash">Its root.</param>
/// <param name="KeyId">SHA-256 of the public key's DER.</param>
/// <param name="Items">Every item.</param>
public sealed record BundleManifest(string Schema, string Vault, DateTimeOffset CreatedAt, string CreatedBy, long TreeSize, string RootHash, string KeyId, IReadOnlyList<EvidenceItem> Items);

/// <summary>One line of tree-heads.jsonl.</summary>
public sealed record BundleHead(long Number, long TreeSize, string RootHash, DateTimeOffset SignedAt, string KeyId, string Body, string Signature);

/// <summary>
/// The evidence bundle: one zip that proves itself offline. It holds the objects (<c>objects/&lt;sha256&gt;</c>),
/// the custody log verbatim (<c>custody.jsonl</c>, one entry per line, the line's bytes are the Merkle leaf),
/// every signed tree head (<c>tree-heads.jsonl</c>; the last one also as <c>tree-head.txt</c> +
/// <c>tree-head.sig</c> for openssl), <c>manifest.json</c>, <c>public-key.pem</c> and a README with the
/// verification procedure. <see cref="Verify"/> needs nothing but the zip, and never extracts it.
/// </summary>
public static class EvidenceBundle
{
    /// <summary>The manifest's schema id.</summary>
    public const string Schema = "breachline/evidence-bundle/v1";

    private const long RatioFloor = 1 << 20;

    /// <summary>
    /// Checks the custody log, records an <c>exported</c> entry, and writes the bundle (temp file, fsync,
    /// rename). Objects are re-hashed as they are written; a changed object aborts the export.
    /// </summary>
    /// <exception cref="EvidenceTamperedException">The vault does not verify; nothing is exported.</exception>
    public static BundleResult Export(EvidenceVault vault, string outPath, string actor, string purpose, TimeProvider time)
    {
        var items = vault.Items();
        var sizes = items.GroupBy(i => i.Sha256).ToDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal);
        // Custody and heads first (cheap); the objects are re-hashed while they stream into the zip.
        var check = CustodyCheck.Run(vault.VaultId, vault.Entries(), vault.Heads(), vault.PublicKeyPem, items,
            sha => vault.ObjectPath(sha) is var p && File.Exists(p) ? new ObjectState(true, sha, sizes.GetValueOrDefault(sha, new FileInfo(p).Length)) : new ObjectState(false, "", 0), []);
        if (!check.Ok)
        {
            throw new EvidenceTamperedException(check);
        }

        var objects = items.Select(i => i.Sha256).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var head = vault.Record(CustodyActions.Exported, actor, purpose, objects);
        var entries = vault.Entries().Where(e => e.Position < head.TreeSize).ToList();
        var heads = vault.Heads().Where(h => h.Number <= head.Number).ToList();

        var full = Path.GetFullPath(outPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".partial";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite))
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                {
                    var manifest = new BundleManifest(Schema, vault.VaultId, time.GetUtcNow(), actor, head.TreeSize, head.RootHash, head.KeyId, items);
                    AddText(zip, "README.md", Readme(manifest));
                    AddText(zip, "manifest.json", JsonSerializer.Serialize(manifest, BreachlineJson.Options) + "\n");
                    AddText(zip, "public-key.pem", vault.PublicKeyPem);
                    AddBytes(zip, "custody.jsonl", JoinLines(entries.Select(e => e.Bytes)));
                    AddText(zip, "tree-heads.jsonl", string.Concat(heads.Select(h =>
                        JsonSerializer.Serialize(new BundleHead(h.Number, h.TreeSize, h.RootHash, h.SignedAt, h.KeyId, Convert.ToBase64String(h.Body), Convert.ToBase64String(h.Signature)), Compact) + "\n")));
                    AddBytes(zip, "tree-head.txt", head.Body);
                    AddBytes(zip, "tree-head.sig", head.Signature);
                    foreach (var sha in objects)
                    {
                        AddObject(zip, vault, sha);
                    }
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            DurableFile.SyncDirectory(Path.GetDirectoryName(full)!);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return new BundleResult(full, objects.Count, entries.Count, head);
    }

    /// <summary>
    /// Verifies a bundle with nothing but the bundle: every object re-hashed, every leaf and head recomputed,
    /// every signature checked with the bundle's public key, every item compared with its custody entry.
    /// Compare the public key's id with the one you were given out of band.
    /// </summary>
    /// <exception cref="InputException">The file is not a zip, or the zip is unsafe (paths leaving it, duplicates, bombs); nothing is read from it.</exception>
    public static VerificationReport Verify(string zipPath, BundleLimits? limits = null)
    {
        limits ??= new BundleLimits();
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new InputException(zipPath, null, $"cannot be opened as a zip bundle ({e.Message})");
        }

        using (zip)
        {
            try
            {
                return VerifyOpened(zipPath, zip, limits);
            }
            catch (Exception e) when (e is InvalidDataException or PlatformNotSupportedException)
            {
                // Found by fuzzing: a damaged entry (bad local header, unknown compression) or a key on a curve
                // the platform lacks surfaced only when read, past the checks of the central directory.
                throw new InputException(zipPath, null, $"is a damaged or unsupported bundle ({e.Message}); nothing in it is trusted");
            }
        }
    }

    private static VerificationReport VerifyOpened(string zipPath, ZipArchive zip, BundleLimits limits)
    {
        {
            CheckSafety(zipPath, zip, limits);
            var byName = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);
            var missing = new[] { "manifest.json", "public-key.pem", "custody.jsonl", "tree-heads.jsonl" }.Where(n => !byName.ContainsKey(n)).ToList();
            if (missing.Count > 0)
            {
                throw new InputException(zipPath, null, $"is not a Breachline evidence bundle (missing {string.Join(", ", missing)})");
            }

            var problems = new List<InputProblem>();
            BundleManifest? manifest = null;
            var heads = new List<SignedTreeHead>();
            string publicKey;
            List<StoredEntry> entries;
            try
            {
                manifest = JsonSerializer.Deserialize<BundleManifest>(ReadSmall(byName["manifest.json"], limits), BreachlineJson.Options);
                publicKey = Encoding.UTF8.GetString(ReadSmall(byName["public-key.pem"], limits));
                entries = [.. SplitLines(ReadSmall(byName["custody.jsonl"], limits)).Select((line, i) => new StoredEntry(i, line, null))];
                var lineNo = 0;
                foreach (var line in SplitLines(ReadSmall(byName["tree-heads.jsonl"], limits)))
                {
                    lineNo++;
                    var h = JsonSerializer.Deserialize<BundleHead>(line, BreachlineJson.Options)
                        ?? throw new InputException(zipPath + "!tree-heads.jsonl", lineNo, "empty head");
                    if (h.RootHash is null || h.KeyId is null || h.Body is null || h.Signature is null)
                    {
                        throw new InputException(zipPath + "!tree-heads.jsonl", lineNo, "a head without rootHash, keyId, body or signature");
                    }

                    heads.Add(new SignedTreeHead(h.Number, h.TreeSize, h.RootHash, h.SignedAt, h.KeyId, Convert.FromBase64String(h.Body), Convert.FromBase64String(h.Signature)));
                }

                TreeHeadKey.KeyIdOf(publicKey);
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException or CryptographicException)
            {
                throw new InputException(zipPath, null, $"bundle metadata cannot be read ({e.Message})");
            }

            if (manifest is null)
            {
                throw new InputException(zipPath + "!manifest.json", null, "empty manifest");
            }

            // JSON null or a missing member deserializes to null even where the record says it cannot be.
            if (manifest.Vault is null || manifest.RootHash is null || manifest.KeyId is null || manifest.Items is null
                || manifest.Items.Any(i => i?.Id is null || i.Sha256 is null || i.Path is null))
            {
                throw new InputException(zipPath + "!manifest.json", null, "a required member (vault, rootHash, keyId, items with id, sha256 and path) is missing or null");
            }

            var notes = new List<string> { $"public key id {TreeHeadKey.KeyIdOf(publicKey)}: compare it with the id you were given out of band" };
            var report = CustodyCheck.Run(manifest.Vault, entries, heads, publicKey, manifest.Items, sha => HashEntry(byName, sha), notes);
            var extra = new List<VerificationProblem>(report.Problems);
            if (heads.Count > 0 && (manifest.TreeSize != heads[^1].TreeSize || manifest.RootHash != heads[^1].RootHash))
            {
                extra.Add(new("manifest.json", $"says tree size {manifest.TreeSize} root {manifest.RootHash}, the last signed head says {heads[^1].TreeSize} {heads[^1].RootHash}"));
            }

            if (byName.TryGetValue("tree-head.txt", out var txt) && heads.Count > 0 && !ReadSmall(txt, limits).AsSpan().SequenceEqual(heads[^1].Body))
            {
                extra.Add(new("tree-head.txt", "differs from the last head in tree-heads.jsonl"));
            }

            var expected = new HashSet<string>(["README.md", "manifest.json", "public-key.pem", "custody.jsonl", "tree-heads.jsonl", "tree-head.txt", "tree-head.sig"], StringComparer.Ordinal);
            foreach (var name in byName.Keys.Where(n => !expected.Contains(n) && !n.StartsWith("objects/", StringComparison.Ordinal)))
            {
                extra.Add(new($"bundle entry {name}", "is not part of a Breachline bundle"));
            }

            return report with { Problems = extra };
        }
    }

    private static readonly JsonSerializerOptions Compact = new(BreachlineJson.Options) { WriteIndented = false };

    private static void CheckSafety(string zipPath, ZipArchive zip, BundleLimits limits)
    {
        var problems = new List<InputProblem>();
        if (zip.Entries.Count > limits.MaxEntries)
        {
            throw new InputException(zipPath, null, $"holds {zip.Entries.Count} entries, more than the limit of {limits.MaxEntries}; refused");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            var where = $"{zipPath}!{name}";
            if (!IsSafeName(name))
            {
                problems.Add(new InputProblem(where, null, "entry path is absolute or leaves the bundle ('..'); refused"));
            }

            if (!seen.Add(name))
            {
                problems.Add(new InputProblem(where, null, "duplicate entry name; refused (which copy would be the evidence?)"));
            }

            total += entry.Length;
            if (entry.Length > RatioFloor && entry.Length > limits.MaxRatio * Math.Max(1, entry.CompressedLength))
            {
                problems.Add(new InputProblem(where, null, $"expands {entry.CompressedLength} bytes to {entry.Length} (ratio over {limits.MaxRatio:0}); refused as a zip bomb"));
            }
        }

        if (total > limits.MaxTotalBytes)
        {
            problems.Add(new InputProblem(zipPath, null, $"expands to {total} bytes, more than the limit of {limits.MaxTotalBytes}; refused"));
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }
    }

    private static bool IsSafeName(string name)
    {
        if (name.Length == 0 || name[0] is '/' or '\\' || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        return name.Split('/').All(part => part is not ("" or "." or ".."));
    }

    private static ObjectState HashEntry(Dictionary<string, ZipArchiveEntry> byName, string sha)
    {
        if (!byName.TryGetValue("objects/" + sha, out var entry))
        {
            return new ObjectState(false, "", 0);
        }

        using var stream = entry.Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long size = 0;
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                size += n;
                if (size > entry.Length)
                {
                    // The declared size was checked against the limits; inflating past it is an attack.
                    throw new InputException($"objects/{sha}", null, "inflates beyond its declared size; refused as a zip bomb");
                }

                hash.AppendData(buffer, 0, n);
            }

            return new ObjectState(true, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] ReadSmall(ZipArchiveEntry entry, BundleLimits limits)
    {
        if (entry.Length > limits.MaxMetadataBytes)
        {
            throw new InputException(entry.FullName, null, $"is {entry.Length} bytes, more than the limit of {limits.MaxMetadataBytes}; refused");
        }

        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > entry.Length)
            {
                throw new InputException(entry.FullName, null, "inflates beyond its declared size; refused as a zip bomb");
            }
        }

        return buffer.ToArray();
    }

    private static IEnumerable<byte[]> SplitLines(byte[] bytes)
    {
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                yield return bytes[start..i];
                start = i + 1;
            }
        }

        if (start < bytes.Length)
        {
            yield return bytes[start..];
        }
    }

    private static byte[] JoinLines(IEnumerable<byte[]> lines)
    {
        using var buffer = new MemoryStream();
        foreach (var line in lines)
        {
            buffer.Write(line);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private static void AddText(ZipArchive zip, string name, string text) => AddBytes(zip, name, new UTF8Encoding(false).GetBytes(text));

    private static void AddBytes(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(bytes);
    }

    private static void AddObject(ZipArchive zip, EvidenceVault vault, string sha)
    {
        using var source = vault.OpenObject(sha);
        using var target = zip.CreateEntry("objects/" + sha, CompressionLevel.Optimal).Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                target.Write(buffer, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != sha)
        {
            throw new EvidenceTamperedException(new VerificationReport(1, 0, 0, 0, "", [new($"object {sha}", $"content changed: it now hashes to {actual}; export aborted")], []));
        }
    }

    private static string Readme(BundleManifest m) => $$"""
        # Breachline evidence bundle

        Vault `{{m.Vault}}`, exported {{CustodyEntry.FormatTime(m.CreatedAt)}} by {{m.CreatedBy}}.
        Signed tree: {{m.TreeSize}} custody entries, root `{{m.RootHash}}`.
        Signing key id (SHA-256 of the public key's DER): `{{m.KeyId}}`.

        With Breachline: `breachline evidence verify-bundle THIS.zip` (exit 0 = intact, 1 = a named problem).

        ## Verifying by hand (no Breachline, no script)

        Unzip into an empty folder. You need `sha256sum`, `openssl` and `xxd`.

        1. **The key.** `openssl pkey -pubin -in public-key.pem -outform DER | sha256sum` must print the key id above,
           and that id must match the one the incident team gave you separately (mail, ticket, phone).
        2. **The signed head.** `openssl dgst -sha256 -verify public-key.pem -signature tree-head.sig tree-head.txt`
           must print `Verified OK`. `tree-head.txt` holds: the vault id, the tree size, the root (base64),
           the signing time and the key id. `echo ROOT_BASE64 | base64 -d | xxd -p -c 64` gives the root in hex.
        3. **The objects.** For every file in `objects/`: `sha256sum objects/*` — each file's hash must equal its name.
        4. **The custody log.** Each line of `custody.jsonl` (without its newline) is one entry; its Merkle leaf is
           SHA-256 of the byte 0x00 followed by the line:
           `sed -n 'Kp' custody.jsonl | head -c -1 | { printf '\x00'; cat; } | sha256sum` for line K.
           Each entry's `prev` is the leaf hash of the line before (empty for the first), its `seq` is its
           0-based position, and its `objects` are the SHA-256 names of the files it concerns.
        5. **The tree.** The root is computed as in RFC 6962 §2.1 (RFC 9162 §2.1): a node is SHA-256 of the byte 0x01,
           the left child and the right child; the left subtree holds the largest power of two of leaves smaller
           than the whole. For 3 leaves a, b, c: root = H(0x01 ‖ H(0x01 ‖ a ‖ b) ‖ c). The root over the first
           N entries must equal the signed root for size N. Every older head in `tree-heads.jsonl` (body and
           signature in base64) verifies the same way, which shows the log only ever grew.
        6. **The items.** `manifest.json` lists every item (path in the org export, kind, size, SHA-256, observation
           period of logs). Each item's `custodySeq` names the `collected` entry that recorded it; the two must agree.

        A bundle proves that these bytes are the ones collected and that the custody log was not rewritten after a
        head was signed. It cannot prove that a head was not withheld: keep the root hash and key id you were given.

        """;
}

/// <summary>The vault failed verification, so the requested action (export) was refused.</summary>
public sealed class EvidenceTamperedException(VerificationReport report)
    : Exception("the evidence vault does not verify:\n" + string.Join("\n", report.Problems))
{
    /// <summary>What is wrong.</summary>
    public VerificationReport Report { get; } = report;
}

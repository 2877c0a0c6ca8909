using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Breachline.Common;
using Breachline.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace Breachline.Evidence;

/// <summary>Options for one collection.</summary>
/// <param name="Source">Where the bytes come from (free text), e.g. "export from org 00D…".</param>
/// <param name="Purpose">Why they are collected, written on each custody entry.</param>
public sealed record CollectOptions(string? Source = null, string Purpose = "incident evidence collection")
{
    /// <summary>Test seam: called after the first chunk of each file is read (to change a file mid-read).</summary>
    internal Action<string>? AfterFirstChunk { get; init; }

    /// <summary>Test seam: replaces opening a source file (to simulate a failure root cannot provoke).</summary>
    internal Func<string, FileStream>? OpenSource { get; init; }
}

/// <summary>
/// The evidence vault of one workspace: a content-addressed object store under <c>vault/objects</c>
/// (each file stored once, named by its SHA-256, hashed while it streams in), the custody log in SQLite
/// (each entry a leaf of an RFC 6962 / RFC 9162 Merkle tree) and a signed tree head after every batch,
/// with the workspace's ECDSA P-256 key. Writes are crash-safe: temp file, flushed, renamed to its content
/// address, directory flushed (per batch, see <c>PlaceObjects</c>), then the custody entries and the head in
/// one SQLite transaction. Opening the vault cleans up whatever an interrupted run left behind and says what
/// it found (<see cref="Recovery"/>).
/// </summary>
public sealed class EvidenceVault : IDisposable
{
    private const int ChunkSize = 1 << 20;
    private const int BatchFiles = 64;
    private const long BatchBytes = 256L << 20;
    private static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(500);

    private readonly Workspace _workspace;
    private readonly TimeProvider _time;
    private readonly TreeHeadKey _key;
    private readonly List<string> _recovery = [];

    private EvidenceVault(Workspace workspace, TimeProvider time, string vaultId, TreeHeadKey key)
    {
        _workspace = workspace;
        _time = time;
        VaultId = vaultId;
        _key = key;
    }

    /// <summary>The vault's random id, written in every entry and head.</summary>
    public string VaultId { get; }

    /// <summary>Root folder of the vault.</summary>
    public string Root => _workspace.VaultPath;

    /// <summary>The public key that verifies this vault's tree heads (PEM).</summary>
    public string PublicKeyPem => _key.PublicKeyPem;

    /// <summary>Path of the exported public key.</summary>
    public string PublicKeyPath => Path.Combine(KeysPath, TreeHeadKey.PublicKeyFile);

    /// <summary>What opening the vault found and repaired after an interrupted run (empty when it was clean).</summary>
    public IReadOnlyList<string> Recovery => _recovery;

    private string ObjectsPath => Path.Combine(Root, "objects");

    private string TempPath => Path.Combine(Root, "tmp");

    private string KeysPath => Path.Combine(Root, "keys");

    private string SnapshotsPath => Path.Combine(Root, "snapshots");

    /// <summary>Opens the vault of <paramref name="workspace"/>, creating its key the first time, and recovers half-written state.</summary>
    public static EvidenceVault Open(Workspace workspace, TimeProvider time)
    {
        var vaultId = workspace.Write((c, t) =>
        {
            var id = c.ExecuteScalar<string?>("SELECT value FROM evidence_meta WHERE key = 'vault_id'", transaction: t);
            if (id is null)
            {
                id = Guid.NewGuid().ToString("N");
                c.Execute("INSERT INTO evidence_meta(key, value) VALUES ('vault_id', @id)", new { id }, t);
            }

            return id;
        });
        foreach (var dir in new[] { "objects", "tmp", "keys", "snapshots" })
        {
            CreatePrivateDirectory(Path.Combine(workspace.VaultPath, dir));
        }

        var vault = new EvidenceVault(workspace, time, vaultId, TreeHeadKey.LoadOrCreate(Path.Combine(workspace.VaultPath, "keys")));
        vault.Recover();
        File.Copy(vault.PublicKeyPath, Path.Combine(workspace.OutPath, "evidence-public-key.pem"), overwrite: true);
        return vault;
    }

    /// <summary>
    /// Collects every file under <paramref name="orgDir"/>. Files that cannot be collected safely are skipped
    /// with a reason (the rest are still collected); re-collecting an unchanged file adds a custody entry,
    /// not a copy. Progress is reported after each batch commits, so an item reported there survives a crash.
    /// </summary>
    /// <exception cref="InputException">The folder does not exist.</exception>
    public CollectResult Collect(string orgDir, string actor, CollectOptions? options = null, IProgress<CollectProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CollectOptions();
        var root = Path.GetFullPath(orgDir);
        if (!Directory.Exists(root))
        {
            throw new InputException(orgDir, null, "org export folder does not exist");
        }

        var realRoot = RealPath(root);
        var problems = new List<InputProblem>();
        var files = new List<(string Relative, string Full)>();
        Walk(new DirectoryInfo(root), string.Empty, realRoot, files, problems);
        var source = options.Source ?? $"export folder {root}";

        var collected = new List<EvidenceItem>();
        var pending = new List<Staged>();
        var batchShas = new HashSet<string>(StringComparer.Ordinal);
        var pendingBytes = 0L;
        var batchClock = Stopwatch.StartNew();
        var done = 0;
        var bytes = 0L;
        var newObjects = 0;
        SignedTreeHead? head = null;

        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            PlaceObjects(pending);
            var (items, signed) = Commit(pending, actor, options.Purpose);
            batchShas.Clear();
            head = signed;
            collected.AddRange(items);
            pending.Clear();
            pendingBytes = 0;
            batchClock.Restart();
            progress?.Report(new CollectProgress(done, files.Count, bytes, items));
        }

        foreach (var (relative, full) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var staged = Stage(full, relative, EvidenceKinds.FromExportPath(relative), source, options, batchShas, problems);
            done++;
            if (staged is not null)
            {
                pending.Add(staged);
                pendingBytes += staged.Size;
                bytes += staged.Size;
                newObjects += staged.NewObject ? 1 : 0;
            }

            if (pending.Count >= BatchFiles || pendingBytes >= BatchBytes || batchClock.Elapsed >= BatchTime)
            {
                Flush();
            }
            else if (staged is null)
            {
                progress?.Report(new CollectProgress(done, files.Count, bytes, []));
            }
        }

        Flush();
        head ??= LatestHead();
        var snapshot = MakeSnapshot(collected);
        return new CollectResult(collected, newObjects, bytes, problems, snapshot, head);
    }

    /// <summary>
    /// Collects one output Breachline wrote (incident.json, report.html, the containment journal), so each
    /// figure in a report can be traced to evidence in the vault. Returns the item (existing when unchanged).
    /// </summary>
    /// <exception cref="InputException">The file cannot be read, or changed while it was read.</exception>
    public EvidenceItem CollectOutput(string path, EvidenceKind kind, string actor, string purpose)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(_workspace.Root, full);
        relative = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFileName(full) : relative;
        var problems = new List<InputProblem>();
        var staged = Stage(full, relative.Replace('\\', '/'), kind, "written by Breachline", new CollectOptions(), [], problems)
            ?? throw new InputException(problems);
        PlaceObjects([staged]);
        return Commit([staged], actor, purpose).Items[0];
    }

    /// <summary>Appends one custody entry about objects already in the vault (accessed, sealed…) and signs a head.</summary>
    public SignedTreeHead Record(string action, string actor, string purpose, IReadOnlyList<string> objects) =>
        _workspace.Write((c, t) =>
        {
            var (seq, prev, leaves) = Tail(c, t);
            var entry = new CustodyEntry(seq, VaultId, prev, action, _time.GetUtcNow(), actor, purpose, objects, null);
            AppendEntry(c, t, entry, leaves);
            return SignHead(c, t, leaves);
        });

    /// <summary>Every item, in collection order.</summary>
    public IReadOnlyList<EvidenceItem> Items() =>
        _workspace.Read(c => c.Query<ItemRow>("SELECT * FROM evidence_items ORDER BY custody_seq, id").Select(r => r.ToItem()).ToList());

    /// <summary>An item by id (E-000001) or by a SHA-256 prefix of at least 8 characters; null when none or ambiguous.</summary>
    public EvidenceItem? Find(string idOrHash)
    {
        var all = Items();
        return all.FirstOrDefault(i => string.Equals(i.Id, idOrHash, StringComparison.OrdinalIgnoreCase))
            ?? (idOrHash.Length >= 8 && all.Where(i => i.Sha256.StartsWith(idOrHash.ToLowerInvariant(), StringComparison.Ordinal)).ToList() is [var one] ? one : null);
    }

    /// <summary>The custody entries that name an object, oldest first.</summary>
    public IReadOnlyList<CustodyEntry> CustodyOf(string sha256) =>
        [.. Entries().Select(e => CustodyEntry.Decode(e.Bytes)).Where(e => e.Objects.Contains(sha256))];

    /// <summary>Every custody entry, decoded.</summary>
    public IReadOnlyList<CustodyEntry> Custody() => [.. Entries().Select(e => CustodyEntry.Decode(e.Bytes))];

    /// <summary>Every signed tree head, oldest first.</summary>
    public IReadOnlyList<SignedTreeHead> Heads() =>
        _workspace.Read(c => c.Query<HeadRow>("SELECT * FROM evidence_heads ORDER BY number").Select(r => r.ToHead()).ToList());

    /// <summary>The latest signed head, or null before anything was collected.</summary>
    public SignedTreeHead? LatestHead() =>
        _workspace.Read(c => c.QueryFirstOrDefault<HeadRow>("SELECT * FROM evidence_heads ORDER BY number DESC LIMIT 1")?.ToHead());

    /// <summary>Opens an object for reading (and nothing else: objects are read-only).</summary>
    public Stream OpenObject(string sha256) => File.OpenRead(ObjectPath(sha256));

    /// <summary>Where an object lives.</summary>
    public string ObjectPath(string sha256) => Path.Combine(ObjectsPath, sha256[..2], sha256);

    /// <summary>
    /// Re-hashes every object, recomputes every leaf and the tree, checks every signed head and every item
    /// against the entry that recorded it. When <paramref name="recordAs"/> is given and all is well, a
    /// <c>verified</c> entry is appended (a broken log is never re-signed).
    /// </summary>
    public VerificationReport Verify(string? recordAs = null)
    {
        var notes = new List<string>(_recovery);
        var items = Items();
        var known = items.Select(i => i.Sha256).ToHashSet(StringComparer.Ordinal);
        var entries = Entries();
        foreach (var e in entries)
        {
            try
            {
                known.UnionWith(CustodyEntry.Decode(e.Bytes).Objects);
            }
            catch (FormatException)
            {
                // Reported by the check itself.
            }
        }

        foreach (var orphan in ObjectFiles().Where(o => !known.Contains(Path.GetFileName(o))))
        {
            notes.Add($"object {Path.GetFileName(orphan)} is in the vault but in no custody entry (left by an interrupted collect; the next collect of that file records it)");
        }

        var report = CustodyCheck.Run(VaultId, entries, Heads(), _key.PublicKeyPem, items, HashObject, notes);
        if (report.Ok && recordAs is not null)
        {
            Record(CustodyActions.Verified, recordAs, $"verified {report.Objects} objects, {report.Entries} entries, {report.Heads} signed heads", [.. items.Select(i => i.Sha256).Distinct()]);
        }

        return report;
    }

    /// <summary>An inclusion proof of custody entry <paramref name="seq"/> under the latest signed head.</summary>
    /// <exception cref="UsageException">There is no such entry under a signed head.</exception>
    public InclusionProof Proof(long seq)
    {
        var head = LatestHead();
        var entries = Entries();
        if (head is null || seq < 0 || seq >= head.TreeSize || seq >= entries.Count)
        {
            throw new UsageException($"no custody entry #{seq} under a signed head (the log has {head?.TreeSize ?? 0} signed entries)");
        }

        var leaves = entries.Select(e => MerkleTree.LeafHash(e.Bytes)).ToList();
        var path = MerkleTree.InclusionProof(leaves, seq, head.TreeSize);
        var root = Convert.FromHexString(head.RootHash);
        var ok = MerkleTree.VerifyInclusion(seq, head.TreeSize, leaves[(int)seq], path, root);
        return new InclusionProof(seq, head.TreeSize, Hex(leaves[(int)seq]), [.. path.Select(Hex)], head.RootHash, head.Number, ok, CustodyEntry.Text(entries[(int)seq].Bytes));
    }

    /// <summary>A consistency proof that the tree of <paramref name="newSize"/> entries extends the tree of <paramref name="oldSize"/>.</summary>
    /// <exception cref="UsageException">The sizes are out of range.</exception>
    public ConsistencyProof Consistency(long oldSize, long newSize)
    {
        var entries = Entries();
        if (oldSize < 0 || oldSize > newSize || newSize > entries.Count)
        {
            throw new UsageException($"consistency needs 0 ≤ OLD ≤ NEW ≤ {entries.Count} (the log's size); got {oldSize} and {newSize}");
        }

        var leaves = entries.Select(e => MerkleTree.LeafHash(e.Bytes)).ToList();
        var proof = MerkleTree.ConsistencyProof(leaves, oldSize, newSize);
        var roots = MerkleTree.PrefixRoots(leaves, [oldSize, newSize]);
        var ok = MerkleTree.VerifyConsistency(oldSize, newSize, roots[oldSize], roots[newSize], proof);
        return new ConsistencyProof(oldSize, newSize, Hex(roots[oldSize]), Hex(roots[newSize]), [.. proof.Select(Hex)], ok);
    }

    /// <summary>The <c>evidence</c> member of incident.json.</summary>
    public EvidenceSummary Summary()
    {
        var head = LatestHead();
        return new EvidenceSummary(
            head?.TreeSize ?? 0,
            head?.RootHash ?? Hex(MerkleTree.EmptyRoot()),
            head?.SignedAt,
            [.. Items().Select(i => new EvidenceSummaryItem(i.Id, i.Path, i.Kind.Name(), i.Sha256, i.Size, i.ObservedFrom, i.ObservedTo))]);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    internal IReadOnlyList<StoredEntry> Entries() =>
        _workspace.Read(c => c.Query<(long Seq, byte[] Entry, byte[] LeafHash)>("SELECT seq, entry, leaf_hash FROM evidence_custody ORDER BY seq")
            .Select(r => new StoredEntry(r.Seq, r.Entry, r.LeafHash)).ToList());

    internal ObjectState HashObject(string sha256)
    {
        var path = ObjectPath(sha256);
        if (!File.Exists(path))
        {
            return new ObjectState(false, string.Empty, 0);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long size = 0;
            int n;
            while ((n = stream.Read(buffer, 0, ChunkSize)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                size += n;
            }

            return new ObjectState(true, Hex(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal IEnumerable<string> ObjectFiles() =>
        Directory.Exists(ObjectsPath) ? Directory.EnumerateFiles(ObjectsPath, "*", SearchOption.AllDirectories) : [];

    private void Recover()
    {
        var partial = Directory.EnumerateFiles(TempPath).ToList();
        foreach (var file in partial)
        {
            File.Delete(file);
        }

        if (partial.Count > 0)
        {
            _recovery.Add($"removed {partial.Count} half-written file(s) left in vault/tmp by an interrupted collect (their collection was never reported complete)");
        }

        var snapshots = Directory.EnumerateDirectories(SnapshotsPath, "*.partial").ToList();
        foreach (var dir in snapshots)
        {
            Directory.Delete(dir, recursive: true);
        }

        if (snapshots.Count > 0)
        {
            _recovery.Add($"removed {snapshots.Count} unfinished snapshot folder(s) (links only; no object was touched)");
        }

        foreach (var stray in ObjectFiles().Where(f => !IsObjectName(Path.GetFileName(f))))
        {
            _recovery.Add($"vault/objects holds {Path.GetRelativePath(Root, stray)}, which is not an object name; left in place for inspection");
        }
    }

    private static bool IsObjectName(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    /// <summary>A file hashed into vault/tmp; <paramref name="Temp"/> is set when its bytes are a new object still to be placed.</summary>
    private sealed record Staged(string Sha256, string Relative, EvidenceKind Kind, long Size, string Source, DateTimeOffset? ObservedFrom, DateTimeOffset? ObservedTo, string? Temp)
    {
        public bool NewObject => Temp is not null;
    }

    /// <summary>
    /// Makes a batch's new objects durable before its custody entries are committed: temp files flushed,
    /// renamed to their content address, the directories flushed. On Linux one syncfs(2) before and one after
    /// the renames cover the whole batch (one journal commit each instead of two per file); elsewhere each
    /// file was fsync-ed when written and each directory is fsync-ed here.
    /// </summary>
    private void PlaceObjects(IReadOnlyList<Staged> batch)
    {
        var fresh = batch.Where(s => s.Temp is not null).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        DurableFile.SyncFileSystem(Root);
        var shards = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in fresh)
        {
            var objectPath = ObjectPath(s.Sha256);
            var shard = Path.GetDirectoryName(objectPath)!;
            if (!Directory.Exists(shard))
            {
                CreatePrivateDirectory(shard);
                shards.Add(ObjectsPath);
            }

            File.Move(s.Temp!, objectPath, overwrite: true);
            shards.Add(shard);
        }

        if (DurableFile.CanSyncFileSystem)
        {
            DurableFile.SyncFileSystem(Root);
        }
        else
        {
            foreach (var dir in shards)
            {
                DurableFile.SyncDirectory(dir);
            }
        }
    }

    private Staged? Stage(string full, string relative, EvidenceKind kind, string source, CollectOptions options, HashSet<string> batchShas, List<InputProblem> problems)
    {
        FileStream input;
        try
        {
            input = options.OpenSource?.Invoke(full) ?? OpenSource(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new InputProblem(relative, null, e is UnauthorizedAccessException
                ? $"permission denied; not collected ({e.Message})"
                : $"cannot be read; not collected ({e.Message})"));
            return null;
        }

        var temp = Path.Combine(TempPath, Guid.NewGuid().ToString("N") + ".part");
        using (input)
        {
            if (!input.CanSeek)
            {
                problems.Add(new InputProblem(relative, null, "is not a regular file (a pipe, socket or device); not collected"));
                return null;
            }

            try
            {
                var sizeBefore = RandomAccess.GetLength(input.SafeFileHandle);
                var timeBefore = File.GetLastWriteTimeUtc(input.SafeFileHandle);
                using var output = new FileStream(temp, TempOptions(sizeBefore));
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var first = true;
                long total = 0;
                void Sink(ReadOnlySpan<byte> chunk)
                {
                    hash.AppendData(chunk);
                    output.Write(chunk);
                    total += chunk.Length;
                    if (first)
                    {
                        first = false;
                        options.AfterFirstChunk?.Invoke(full);
                    }
                }

                (DateTimeOffset? From, DateTimeOffset? To) observed = (null, null);
                if (ObservationPeriod.Applies(kind, relative))
                {
                    using var tee = new TeeStream(input, Sink);
                    observed = ObservationPeriod.Read(tee, relative);
                }
                else
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    try
                    {
                        int n;
                        while ((n = input.Read(buffer, 0, ChunkSize)) > 0)
                        {
                            Sink(buffer.AsSpan(0, n));
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                var sizeAfter = RandomAccess.GetLength(input.SafeFileHandle);
                var timeAfter = File.GetLastWriteTimeUtc(input.SafeFileHandle);
                if (sizeAfter != sizeBefore || timeAfter != timeBefore || total != sizeBefore)
                {
                    output.Dispose();
                    File.Delete(temp);
                    problems.Add(new InputProblem(relative, null,
                        $"changed while it was read (size {sizeBefore} → {sizeAfter} bytes, {total} read; modified {timeBefore:O} → {timeAfter:O}); refused — collect it again once it is stable"));
                    return null;
                }

                var sha = Hex(hash.GetHashAndReset());
                // A duplicate (already stored, or earlier in this batch) is dropped unsynced; only new bytes pay for durability.
                var isNew = !File.Exists(ObjectPath(sha)) && batchShas.Add(sha);
                if (!isNew)
                {
                    output.Dispose();
                    File.Delete(temp);
                    return new Staged(sha, relative, kind, total, source, observed.From, observed.To, null);
                }

                if (!DurableFile.CanSyncFileSystem)
                {
                    output.Flush(flushToDisk: true);
                }

                output.Dispose();
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead);
                }

                return new Staged(sha, relative, kind, total, source, observed.From, observed.To, temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }

                problems.Add(new InputProblem(relative, null, $"could not be read to the end; not collected ({e.Message})"));
                return null;
            }
        }
    }

    private static FileStreamOptions TempOptions(long size)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0, PreallocationSize = size };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private (List<EvidenceItem> Items, SignedTreeHead Head) Commit(IReadOnlyList<Staged> staged, string actor, string purpose) =>
        _workspace.Write((c, t) =>
        {
            var (seq, prev, leaves) = Tail(c, t);
            var next = c.ExecuteScalar<long>("SELECT COALESCE(MAX(CAST(substr(id, 3) AS INTEGER)), 0) FROM evidence_items", transaction: t);
            var now = _time.GetUtcNow();
            var items = new List<EvidenceItem>();
            foreach (var s in staged)
            {
                var existing = c.QueryFirstOrDefault<ItemRow>("SELECT * FROM evidence_items WHERE path = @Relative AND sha256 = @Sha256", s, t)?.ToItem();
                var id = existing?.Id ?? $"E-{++next:D6}";
                var entry = new CustodyEntry(seq, VaultId, prev, CustodyActions.Collected, now, actor,
                    existing is null ? purpose : $"{purpose} (collected again, unchanged since {existing.Id} was first collected)",
                    [s.Sha256], new CustodyItem(id, s.Relative, s.Kind.Name(), s.Size, s.Source, s.ObservedFrom, s.ObservedTo));
                var leaf = AppendEntry(c, t, entry, leaves);
                var item = existing ?? new EvidenceItem(id, s.Sha256, s.Relative, s.Kind, s.Size, s.Source, actor, now, s.ObservedFrom, s.ObservedTo, seq);
                if (existing is null)
                {
                    c.Execute(
                        """
                        INSERT INTO evidence_items(id, sha256, path, kind, size, source, collector, collected_at, observed_from, observed_to, custody_seq)
                        VALUES (@Id, @Sha256, @Path, @Kind, @Size, @Source, @Collector, @CollectedAt, @ObservedFrom, @ObservedTo, @CustodySeq)
                        """,
                        ItemRow.From(item), t);
                }

                items.Add(item);
                seq++;
                prev = Hex(leaf);
            }

            return (items, SignHead(c, t, leaves));
        });

    private static (long Seq, string Prev, List<byte[]> Leaves) Tail(SqliteConnection c, SqliteTransaction t)
    {
        // Inside BEGIN IMMEDIATE: no other writer can append between this read and our commit.
        var leaves = c.Query<byte[]>("SELECT leaf_hash FROM evidence_custody ORDER BY seq", transaction: t).ToList();
        return (leaves.Count, leaves.Count == 0 ? string.Empty : Hex(leaves[^1]), leaves);
    }

    private static byte[] AppendEntry(SqliteConnection c, SqliteTransaction t, CustodyEntry entry, List<byte[]> leaves)
    {
        var bytes = entry.Encode();
        var leaf = MerkleTree.LeafHash(bytes);
        c.Execute("INSERT INTO evidence_custody(seq, entry, leaf_hash) VALUES (@seq, @bytes, @leaf)", new { seq = entry.Seq, bytes, leaf }, t);
        leaves.Add(leaf);
        return leaf;
    }

    private SignedTreeHead SignHead(SqliteConnection c, SqliteTransaction t, List<byte[]> leaves)
    {
        var number = c.ExecuteScalar<long>("SELECT COALESCE(MAX(number), 0) FROM evidence_heads", transaction: t) + 1;
        var head = _key.Sign(number, VaultId, leaves.Count, MerkleTree.Root(leaves), _time.GetUtcNow());
        c.Execute(
            "INSERT INTO evidence_heads(number, tree_size, root_hash, signed_at, key_id, body, signature) VALUES (@Number, @TreeSize, @RootHash, @SignedAt, @KeyId, @Body, @Signature)",
            new { head.Number, head.TreeSize, head.RootHash, SignedAt = CustodyEntry.FormatTime(head.SignedAt), head.KeyId, head.Body, head.Signature }, t);
        return head;
    }

    private string MakeSnapshot(IReadOnlyList<EvidenceItem> items)
    {
        var name = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var partial = Path.Combine(SnapshotsPath, name + ".partial");
        var final = Path.Combine(SnapshotsPath, name);
        CreatePrivateDirectory(partial);
        foreach (var item in items)
        {
            var link = Path.Combine(partial, item.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            DurableFile.LinkOrCopy(ObjectPath(item.Sha256), link);
        }

        Directory.Move(partial, final);
        DurableFile.SyncDirectory(SnapshotsPath);
        return final;
    }

    private static void Walk(DirectoryInfo dir, string prefix, string realRoot, List<(string, string)> files, List<InputProblem> problems)
    {
        IEnumerable<FileSystemInfo> children;
        try
        {
            children = dir.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new InputProblem(prefix.Length == 0 ? "." : prefix.TrimEnd('/'), null, $"folder cannot be listed; nothing in it was collected ({e.Message})"));
            return;
        }

        foreach (var child in children)
        {
            var relative = prefix + child.Name;
            if (child.LinkTarget is { } target)
            {
                FileSystemInfo? final;
                try
                {
                    final = child.ResolveLinkTarget(returnFinalTarget: true);
                }
                catch (IOException e)
                {
                    problems.Add(new InputProblem(relative, null, $"symbolic link loop (or too many levels of links); not collected ({e.Message})"));
                    continue;
                }

                if (final is null || !final.Exists)
                {
                    problems.Add(new InputProblem(relative, null, $"symbolic link to '{target}', which does not exist; not collected"));
                    continue;
                }

                var real = RealPath(final.FullName);
                if (!IsInside(real, realRoot))
                {
                    problems.Add(new InputProblem(relative, null, $"symbolic link escapes the export folder (to {real}); not collected"));
                    continue;
                }

                if (final is DirectoryInfo)
                {
                    // Its target is inside the export and is collected at its own path; following it could loop.
                    continue;
                }

                files.Add((relative, child.FullName));
            }
            else if (child is DirectoryInfo sub)
            {
                Walk(sub, relative + "/", realRoot, files, problems);
            }
            else
            {
                files.Add((relative, child.FullName));
            }
        }
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    // Resolves every symbolic link on the way, so containment checks compare real locations.
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } resolved)
            {
                next = RealPath(resolved.FullName);
            }

            current = next;
        }

        return current;
    }

    // On Linux the file is opened with O_NOFOLLOW|O_NONBLOCK: a FIFO planted in an export cannot hang the
    // collection, and a file swapped for a symbolic link after the walk is refused rather than followed.
    private static FileStream OpenSource(string path)
    {
        var isLink = new FileInfo(path).LinkTarget is not null;
        if (!OperatingSystem.IsLinux() || isLink || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
        }

        const int ONonBlock = 0x800;
        const int OCloExec = 0x80000;
        var noFollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;
        var fd = NativeOpen(System.Text.Encoding.UTF8.GetBytes(path + "\0"), ONonBlock | OCloExec | noFollow);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var message = Marshal.GetPInvokeErrorMessage(errno);
            throw errno == 13 ? new UnauthorizedAccessException(message) : new IOException(message);
        }

        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 0);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeOpen(byte[] path, int flags);

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private sealed class ItemRow
    {
        public string Id { get; set; } = "";

        public string Sha256 { get; set; } = "";

        public string Path { get; set; } = "";

        public string Kind { get; set; } = "";

        public long Size { get; set; }

        public string Source { get; set; } = "";

        public string Collector { get; set; } = "";

        public string Collected_At { get; set; } = "";

        public string? Observed_From { get; set; }

        public string? Observed_To { get; set; }

        public long Custody_Seq { get; set; }

        public static object From(EvidenceItem i) => new
        {
            i.Id,
            i.Sha256,
            i.Path,
            Kind = i.Kind.Name(),
            i.Size,
            i.Source,
            i.Collector,
            CollectedAt = CustodyEntry.FormatTime(i.CollectedAt),
            ObservedFrom = i.ObservedFrom is { } f ? CustodyEntry.FormatTime(f) : null,
            ObservedTo = i.ObservedTo is { } t ? CustodyEntry.FormatTime(t) : null,
            i.CustodySeq,
        };

        public EvidenceItem ToItem() => new(
            Id, Sha256, Path, EvidenceKinds.Parse(Kind) ?? EvidenceKind.Other, Size, Source, Collector,
            ParseTimeOrMin(Collected_At), Observed_From is null ? null : ParseTimeOrMin(Observed_From), Observed_To is null ? null : ParseTimeOrMin(Observed_To), Custody_Seq);

        // A tampered time must surface as a verification problem, not crash the listing.
        private static DateTimeOffset ParseTimeOrMin(string text) =>
            DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : DateTimeOffset.MinValue;
    }

    private sealed class HeadRow
    {
        public long Number { get; set; }

        public long Tree_Size { get; set; }

        public string Root_Hash { get; set; } = "";

        public string Signed_At { get; set; } = "";

        public string Key_Id { get; set; } = "";

        public byte[] Body { get; set; } = [];

        public byte[] Signature { get; set; } = [];

        public SignedTreeHead ToHead() => new(
            Number, Tree_Size, Root_Hash,
            DateTimeOffset.TryParseExact(Signed_At, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : DateTimeOffset.MinValue,
            Key_Id, Body, Signature);
    }
}

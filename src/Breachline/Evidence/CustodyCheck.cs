namespace Breachline.Evidence;

/// <summary>What the verifier needs to know about one stored object.</summary>
/// <param name="Present">False when the object is missing.</param>
/// <param name="Sha256">Hash of the bytes as read now, hex.</param>
/// <param name="Size">Bytes as read now.</param>
internal sealed record ObjectState(bool Present, string Sha256, long Size);

/// <summary>One custody log row as stored: its position, its bytes, and (in the database) the leaf hash written beside it.</summary>
internal sealed record StoredEntry(long Position, byte[] Bytes, byte[]? StoredLeafHash);

/// <summary>
/// The checks shared by <c>evidence verify</c> (database + objects folder) and <c>verify-bundle</c> (zip only):
/// every object re-hashed, every leaf recomputed from the entry's bytes, the hash chain walked, every signed
/// head's signature and root checked, and every item row compared with the custody entry that recorded it.
/// Each problem names the object, entry, head or item concerned.
/// </summary>
internal static class CustodyCheck
{
    public static VerificationReport Run(
        string? vaultId,
        IReadOnlyList<StoredEntry> entries,
        IReadOnlyList<SignedTreeHead> heads,
        string publicKeyPem,
        IReadOnlyList<EvidenceItem> items,
        Func<string, ObjectState> readObject,
        IReadOnlyList<string> notes)
    {
        var problems = new List<VerificationProblem>();
        var leaves = new List<byte[]>(entries.Count);
        var decoded = new List<CustodyEntry?>(entries.Count);
        byte[]? previous = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var row = entries[i];
            var subject = $"custody entry #{row.Position}";
            if (row.Position != i)
            {
                problems.Add(new(subject, $"found at position {i}: entries are missing before it (the log jumps from #{i - 1} to #{row.Position})"));
            }

            var leaf = MerkleTree.LeafHash(row.Bytes);
            leaves.Add(leaf);
            if (row.StoredLeafHash is { } stored && !stored.AsSpan().SequenceEqual(leaf))
            {
                problems.Add(new(subject, $"content changed: its bytes hash to leaf {Hex(leaf)}, the log recorded {Hex(stored)}"));
            }

            CustodyEntry? entry = null;
            try
            {
                entry = CustodyEntry.Decode(row.Bytes);
            }
            catch (FormatException e)
            {
                problems.Add(new(subject, $"unreadable: {e.Message}"));
            }

            decoded.Add(entry);
            if (entry is not null)
            {
                if (entry.Seq != row.Position)
                {
                    problems.Add(new(subject, $"its text says it is entry #{entry.Seq}: entries were reordered or renumbered"));
                }

                if (vaultId is not null && entry.Vault != vaultId)
                {
                    problems.Add(new(subject, $"belongs to vault {entry.Vault}, not this vault ({vaultId})"));
                }

                var expectedPrev = previous is null ? string.Empty : Hex(previous);
                if (i > 0 || entry.Prev.Length != 0)
                {
                    if (entry.Prev != expectedPrev)
                    {
                        problems.Add(new(subject, $"does not follow the entry before it (names previous leaf {Short(entry.Prev)}, the entry before hashes to {Short(expectedPrev)}): an entry was changed, removed or reordered"));
                    }
                }
            }

            previous = leaf;
        }

        var allNotes = new List<string>(notes);
        CheckHeads(vaultId, heads, publicKeyPem, leaves, problems, allNotes);
        CheckItems(items, decoded, problems);
        var objects = CheckObjects(items, decoded, readObject, problems);
        var last = heads.Count > 0 ? heads[^1] : null;
        return new VerificationReport(objects, entries.Count, heads.Count, last?.TreeSize ?? 0, last?.RootHash ?? Hex(MerkleTree.EmptyRoot()), problems, allNotes);
    }

    private static void CheckHeads(string? vaultId, IReadOnlyList<SignedTreeHead> heads, string publicKeyPem, List<byte[]> leaves, List<VerificationProblem> problems, List<string> notes)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        var keyId = Hex(System.Security.Cryptography.SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        var roots = MerkleTree.PrefixRoots(leaves, heads.Select(h => h.TreeSize));
        SignedTreeHead? before = null;
        for (var i = 0; i < heads.Count; i++)
        {
            var head = heads[i];
            var subject = $"signed tree head #{head.Number} (size {head.TreeSize})";
            if (head.Number != i + 1)
            {
                problems.Add(new(subject, $"found in position {i + 1}: heads are missing or renumbered"));
            }

            if (!TreeHeadKey.VerifySignature(key, head.Body, head.Signature))
            {
                problems.Add(new(subject, "signature does not verify with the workspace's public key: the head was changed or not signed by this workspace"));
            }

            var body = TreeHeadKey.ParseBody(head.Body);
            if (body is not { } b)
            {
                problems.Add(new(subject, "signed text is not a tree head"));
            }
            else
            {
                if (b.TreeSize != head.TreeSize || Hex(b.Root) != head.RootHash || b.SignedAt != head.SignedAt || b.KeyId != head.KeyId)
                {
                    problems.Add(new(subject, $"stored fields differ from the signed text (signed: size {b.TreeSize}, root {Short(Hex(b.Root))}, at {CustodyEntry.FormatTime(b.SignedAt)}, key {Short(b.KeyId)})"));
                }

                if (vaultId is not null && b.VaultId != vaultId)
                {
                    problems.Add(new(subject, $"was signed for vault {b.VaultId}, not this vault ({vaultId})"));
                }

                if (b.KeyId != keyId)
                {
                    problems.Add(new(subject, $"names key {Short(b.KeyId)}, but the public key is {Short(keyId)}"));
                }
            }

            if (head.TreeSize > leaves.Count)
            {
                problems.Add(new(subject, $"covers {head.TreeSize} entries but the log holds {leaves.Count}: entries were removed"));
            }
            else if (roots.TryGetValue(head.TreeSize, out var root) && Hex(root) != head.RootHash)
            {
                problems.Add(new(subject, $"the entries #0..#{head.TreeSize - 1} now hash to root {Short(Hex(root))}, the head signed {Short(head.RootHash)}: an entry it covers was changed, removed or reordered"));
            }

            if (before is not null && head.TreeSize < before.TreeSize)
            {
                problems.Add(new(subject, $"goes backwards from head #{before.Number} (size {before.TreeSize}): the log was truncated and re-grown"));
            }
            else if (before is not null && head.SignedAt < before.SignedAt)
            {
                // Signed and consistent, so not tampering; but a reader of the timeline should know the clock went back.
                notes.Add($"signed tree head #{head.Number} is dated {CustodyEntry.FormatTime(head.SignedAt)}, before head #{before.Number} ({CustodyEntry.FormatTime(before.SignedAt)}): a clock was set back or --as-of was used");
            }

            before = head;
        }

        var covered = heads.Count > 0 ? heads[^1].TreeSize : 0;
        if (leaves.Count > covered)
        {
            problems.Add(new($"custody entries #{covered}..#{leaves.Count - 1}", "are not covered by any signed tree head (every batch is signed in the same transaction, so a head was removed or entries were added outside Breachline)"));
        }
    }

    private static void CheckItems(IReadOnlyList<EvidenceItem> items, List<CustodyEntry?> entries, List<VerificationProblem> problems)
    {
        var byId = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        foreach (var item in items)
        {
            var subject = $"item {item.Id} ({item.Path})";
            var entry = item.CustodySeq >= 0 && item.CustodySeq < entries.Count ? entries[(int)item.CustodySeq] : null;
            if (entry is null)
            {
                problems.Add(new(subject, $"its custody entry #{item.CustodySeq} is missing or unreadable"));
                continue;
            }

            var e = entry.Item;
            var differences = new List<string>();
            if (entry.Action != CustodyActions.Collected || e is null || e.Id != item.Id)
            {
                problems.Add(new(subject, $"custody entry #{item.CustodySeq} does not record its collection"));
                continue;
            }

            void Compare(string field, string? recorded, string? stored)
            {
                if (!string.Equals(recorded, stored, StringComparison.Ordinal))
                {
                    differences.Add($"{field} is '{stored}', the custody entry says '{recorded}'");
                }
            }

            Compare("sha256", entry.Objects.Count == 1 ? entry.Objects[0] : string.Join(",", entry.Objects), item.Sha256);
            Compare("path", e.Path, item.Path);
            Compare("kind", e.Kind, item.Kind.Name());
            Compare("size", e.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Compare("source", e.Source, item.Source);
            Compare("collector", entry.Actor, item.Collector);
            Compare("collectedAt", CustodyEntry.FormatTime(entry.Time), CustodyEntry.FormatTime(item.CollectedAt));
            Compare("observedFrom", Time(e.ObservedFrom), Time(item.ObservedFrom));
            Compare("observedTo", Time(e.ObservedTo), Time(item.ObservedTo));
            if (differences.Count > 0)
            {
                problems.Add(new(subject, "changed after collection: " + string.Join("; ", differences)));
            }
        }

        foreach (var entry in entries.OfType<CustodyEntry>().Where(e => e.Item is not null))
        {
            if (!byId.ContainsKey(entry.Item!.Id))
            {
                problems.Add(new($"item {entry.Item.Id} ({entry.Item.Path})", $"recorded by custody entry #{entry.Seq} but missing from the evidence items"));
            }
        }
    }

    private static int CheckObjects(IReadOnlyList<EvidenceItem> items, List<CustodyEntry?> entries, Func<string, ObjectState> readObject, List<VerificationProblem> problems)
    {
        var expected = new SortedDictionary<string, (long? Size, string Paths)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            expected[item.Sha256] = expected.TryGetValue(item.Sha256, out var known)
                ? (item.Size, known.Paths + ", " + item.Path)
                : (item.Size, item.Path);
        }

        foreach (var sha in entries.OfType<CustodyEntry>().SelectMany(e => e.Objects))
        {
            expected.TryAdd(sha, (null, "named in the custody log"));
        }

        foreach (var (sha, (size, paths)) in expected)
        {
            var subject = $"object {sha} ({paths})";
            if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
            {
                problems.Add(new(subject, "is not a SHA-256 name"));
                continue;
            }

            var state = readObject(sha);
            if (!state.Present)
            {
                problems.Add(new(subject, "is missing from the vault"));
            }
            else if (state.Sha256 != sha)
            {
                problems.Add(new(subject, $"content changed: it now hashes to {state.Sha256}"));
            }
            else if (size is { } s && s != state.Size)
            {
                problems.Add(new(subject, $"size is {state.Size} bytes, recorded {s}"));
            }
        }

        return expected.Count;
    }

    private static string? Time(DateTimeOffset? t) => t is { } v ? CustodyEntry.FormatTime(v) : null;

    internal static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string Short(string hex) => hex.Length > 16 ? hex[..16] + "…" : hex;
}

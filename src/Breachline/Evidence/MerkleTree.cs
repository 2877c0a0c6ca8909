using System.Security.Cryptography;

namespace Breachline.Evidence;

/// <summary>
/// The Merkle tree hash of RFC 6962 §2.1 / RFC 9162 §2.1: leaf = SHA-256(0x00 ‖ d), node = SHA-256(0x01 ‖ l ‖ r),
/// split at the largest power of two below n, empty tree = SHA-256(""). The 0x00/0x01 prefixes keep a leaf
/// from passing for a node (second-preimage resistance). Proof generation follows RFC 6962 §2.1.1/§2.1.2 and
/// verification the bit-walking algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2.
/// </summary>
public static class MerkleTree
{
    /// <summary>Length of every hash in bytes.</summary>
    public const int HashSize = 32;

    /// <summary>SHA-256("") — the root of the empty tree.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    /// <summary>SHA-256(0x00 ‖ data).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>MTH(D[0:n]) over already-computed leaf hashes.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) => Root(leafHashes, 0, leafHashes.Count);

    /// <summary>MTH(D[start:start+count]).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start < 0 || start + count > leafHashes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        return count switch
        {
            0 => EmptyRoot(),
            1 => leafHashes[start],
            _ => Split(leafHashes, start, count),
        };
    }

    /// <summary>
    /// Roots of the prefixes of the given sizes in one pass, keeping the stack of perfect subtrees (a
    /// compact range) so that checking many signed heads costs O(n + heads·log n), not O(n·heads).
    /// </summary>
    public static IReadOnlyDictionary<long, byte[]> PrefixRoots(IReadOnlyList<byte[]> leafHashes, IEnumerable<long> sizes)
    {
        var wanted = new SortedSet<long>(sizes.Where(s => s >= 0 && s <= leafHashes.Count));
        var roots = new Dictionary<long, byte[]>();
        var stack = new List<(byte[] Hash, long Size)>();
        if (wanted.Contains(0))
        {
            roots[0] = EmptyRoot();
        }

        for (var i = 0; i < leafHashes.Count && roots.Count < wanted.Count; i++)
        {
            stack.Add((leafHashes[i], 1));
            while (stack.Count >= 2 && stack[^1].Size == stack[^2].Size)
            {
                var merged = (NodeHash(stack[^2].Hash, stack[^1].Hash), stack[^1].Size * 2);
                stack.RemoveRange(stack.Count - 2, 2);
                stack.Add(merged);
            }

            if (wanted.Contains(i + 1))
            {
                var r = stack[^1].Hash;
                for (var j = stack.Count - 2; j >= 0; j--)
                {
                    r = NodeHash(stack[j].Hash, r);
                }

                roots[i + 1] = r;
            }
        }

        return roots;
    }

    /// <summary>PATH(m, D[0:n]) — the inclusion (audit) path of leaf <paramref name="index"/> in the first <paramref name="treeSize"/> leaves.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, long index, long treeSize)
    {
        if (treeSize < 1 || treeSize > leafHashes.Count || index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of size {treeSize}");
        }

        var path = new List<byte[]>();
        Path(leafHashes, (int)index, 0, (int)treeSize, path);
        return path;
    }

    /// <summary>PROOF(m, D[0:n]) — the consistency proof between the trees of the first <paramref name="oldSize"/> and <paramref name="newSize"/> leaves.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, long oldSize, long newSize)
    {
        if (oldSize < 0 || oldSize > newSize || newSize > leafHashes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), $"no consistency proof from size {oldSize} to size {newSize}");
        }

        var proof = new List<byte[]>();
        // RFC 9162 §2.1.4: no proof is needed when the old tree is empty or the trees are equal.
        if (oldSize == 0 || oldSize == newSize)
        {
            return proof;
        }

        SubProof(leafHashes, (int)oldSize, 0, (int)newSize, true, proof);
        return proof;
    }

    /// <summary>RFC 9162 §2.1.3.2: true when <paramref name="path"/> proves <paramref name="leafHash"/> at <paramref name="index"/> in a tree of <paramref name="treeSize"/> with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= treeSize)
        {
            return false;
        }

        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (p.Length != HashSize || sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 §2.1.4.2: true when <paramref name="proof"/> shows the tree of <paramref name="newSize"/> with <paramref name="newRoot"/> extends the tree of <paramref name="oldSize"/> with <paramref name="oldRoot"/>.</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize)
        {
            return false;
        }

        if (oldSize == newSize)
        {
            return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        }

        if (oldSize == 0)
        {
            // Every tree extends the empty tree; RFC 9162 asks for an empty proof here.
            return proof.Count == 0;
        }

        if (proof.Count == 0 || proof.Any(p => p.Length != HashSize))
        {
            return false;
        }

        var path = new List<byte[]>(proof);
        // When the old size is an exact power of two the old root is the first node, and the proof omits it.
        if (IsPowerOfTwo(oldSize))
        {
            path.Insert(0, oldRoot.ToArray());
        }

        var fn = oldSize - 1;
        var sn = newSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    private static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private static byte[] Split(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        var k = LargestPowerOfTwoBelow(count);
        return NodeHash(Root(leaves, start, k), Root(leaves, start + k, count - k));
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int m, int start, int n, List<byte[]> path)
    {
        if (n <= 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(leaves, m, start, k, path);
            path.Add(Root(leaves, start + k, n - k));
        }
        else
        {
            Path(leaves, m - k, start + k, n - k, path);
            path.Add(Root(leaves, start, k));
        }
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, int m, int start, int n, bool whole, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!whole)
            {
                proof.Add(Root(leaves, start, n));
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubProof(leaves, m, start, k, whole, proof);
            proof.Add(Root(leaves, start + k, n - k));
        }
        else
        {
            SubProof(leaves, m - k, start + k, n - k, false, proof);
            proof.Add(Root(leaves, start, k));
        }
    }
}

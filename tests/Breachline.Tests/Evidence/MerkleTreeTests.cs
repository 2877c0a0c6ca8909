using System.Text.Json;
using Breachline.Evidence;

namespace Breachline.Tests.Evidence;

public class MerkleTreeTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "merkle", "rfc6962_vectors.json"))).RootElement;

    private static List<byte[]> Leaves(int n) =>
        [.. Vectors.GetProperty("leaf_inputs_hex").EnumerateArray().Take(n).Select(e => MerkleTree.LeafHash(Convert.FromHexString(e.GetString()!)))];

    private static List<byte[]> Hashes(JsonElement array) => [.. array.EnumerateArray().Select(e => Convert.FromHexString(e.GetString()!))];

    public static TheoryData<int> Sizes() => [0, 1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_root_of_each_published_tree_size_matches(int size)
    {
        var expected = Vectors.GetProperty("root_by_size")[size].GetString();
        var leaves = Leaves(size);
        Assert.Equal(expected, Convert.ToHexStringLower(MerkleTree.Root(leaves)));
        Assert.Equal(expected, Convert.ToHexStringLower(MerkleTree.PrefixRoots(Leaves(8), [size])[size]));
    }

    [Fact]
    public void Every_inclusion_proof_is_generated_exactly_and_verifies_against_its_root()
    {
        var all = Leaves(8);
        var count = 0;
        foreach (var v in Vectors.GetProperty("inclusion").EnumerateArray())
        {
            var size = v.GetProperty("tree_size").GetInt32();
            var index = v.GetProperty("leaf_index").GetInt32();
            var expected = Hashes(v.GetProperty("path"));
            var root = Convert.FromHexString(Vectors.GetProperty("root_by_size")[size].GetString()!);
            var path = MerkleTree.InclusionProof(all, index, size);
            Assert.Equal(expected.Select(Convert.ToHexStringLower), path.Select(Convert.ToHexStringLower));
            Assert.True(MerkleTree.VerifyInclusion(index, size, all[index], expected, root), $"leaf {index} of {size}");
            // A proof for one leaf must not prove another leaf, another index, or another root.
            Assert.False(MerkleTree.VerifyInclusion(index, size, MerkleTree.LeafHash([0xFF]), expected, root));
            Assert.False(MerkleTree.VerifyInclusion(index, size, all[index], expected, MerkleTree.LeafHash([0xFF])));
            if (size > 1)
            {
                Assert.False(MerkleTree.VerifyInclusion((index + 1) % size, size, all[index], expected, root));
            }

            count++;
        }

        Assert.Equal(36, count);
    }

    [Fact]
    public void Every_consistency_proof_is_generated_exactly_and_verifies()
    {
        var all = Leaves(8);
        var roots = Vectors.GetProperty("root_by_size");
        var count = 0;
        foreach (var v in Vectors.GetProperty("consistency").EnumerateArray())
        {
            var m = v.GetProperty("old_size").GetInt32();
            var n = v.GetProperty("new_size").GetInt32();
            var expected = Hashes(v.GetProperty("proof"));
            var oldRoot = Convert.FromHexString(roots[m].GetString()!);
            var newRoot = Convert.FromHexString(roots[n].GetString()!);
            Assert.Equal(expected.Select(Convert.ToHexStringLower), MerkleTree.ConsistencyProof(all, m, n).Select(Convert.ToHexStringLower));
            Assert.True(MerkleTree.VerifyConsistency(m, n, oldRoot, newRoot, expected), $"{m} -> {n}");
            if (m > 0 && m < n)
            {
                // A rewritten history (any other old root) must not pass.
                Assert.False(MerkleTree.VerifyConsistency(m, n, MerkleTree.LeafHash([0xFF]), newRoot, expected));
                Assert.False(MerkleTree.VerifyConsistency(m, n, oldRoot, MerkleTree.LeafHash([0xFF]), expected));
            }

            count++;
        }

        Assert.Equal(36, count);
    }

    [Fact]
    public void The_empty_tree_hashes_the_empty_string_and_equal_sizes_need_an_empty_proof()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.EmptyRoot()));
        var all = Leaves(8);
        Assert.Empty(MerkleTree.ConsistencyProof(all, 5, 5));
        var root5 = MerkleTree.Root(all, 0, 5);
        Assert.True(MerkleTree.VerifyConsistency(5, 5, root5, root5, []));
        Assert.False(MerkleTree.VerifyConsistency(5, 5, root5, MerkleTree.Root(all, 0, 6), []));
    }

    [Fact]
    public void Proofs_for_larger_trees_agree_with_recomputed_roots()
    {
        var leaves = Enumerable.Range(0, 70).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToList();
        var prefix = MerkleTree.PrefixRoots(leaves, Enumerable.Range(0, 71).Select(i => (long)i));
        for (var n = 1; n <= 70; n += 3)
        {
            Assert.Equal(MerkleTree.Root(leaves, 0, n), prefix[n]);
            for (var i = 0; i < n; i += 5)
            {
                Assert.True(MerkleTree.VerifyInclusion(i, n, leaves[i], MerkleTree.InclusionProof(leaves, i, n), prefix[n]));
            }

            for (var m = 0; m <= n; m += 4)
            {
                Assert.True(MerkleTree.VerifyConsistency(m, n, prefix[m], prefix[n], MerkleTree.ConsistencyProof(leaves, m, n)), $"{m} -> {n}");
            }
        }
    }
}

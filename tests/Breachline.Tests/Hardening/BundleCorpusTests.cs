using System.IO.Compression;
using Breachline.Common;
using Breachline.Evidence;

namespace Breachline.Tests.Hardening;

/// <summary>Hostile evidence bundles: refused before anything is read from them, each entry named.</summary>
public sealed class BundleCorpusTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Zip(params (string Name, byte[] Content)[] entries)
    {
        var path = _dir.Combine("bundle.zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            stream.Write(content);
        }

        return path;
    }

    [Theory]
    [InlineData("../../outside.txt")]
    [InlineData("objects/../../outside.txt")]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("objects\\..\\..\\outside.txt")]
    [InlineData("C:/Windows/evil")]
    public void Entries_leaving_the_bundle_are_refused_by_name(string name)
    {
        var path = Zip(("manifest.json", "{}"u8.ToArray()), (name, "x"u8.ToArray()));

        var e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(path));

        var p = Assert.Single(e.Problems);
        Assert.Equal($"{path}!{name}", p.File);
        Assert.Equal("entry path is absolute or leaves the bundle ('..'); refused", p.Message);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "outside.txt")));
    }

    [Fact]
    public void A_zip_bomb_entry_is_refused_from_its_declared_sizes_without_inflating_it()
    {
        var path = Zip(("objects/aa", new byte[64 << 20]));

        long allocated = 0;
        InputException? e = null;
        allocated = Corpus.Allocated(() => e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(path)));

        Assert.EndsWith("(ratio over 200); refused as a zip bomb", Assert.Single(e!.Problems).Message, StringComparison.Ordinal);
        Assert.True(allocated < 8L << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_truncated_bundle_is_refused_as_not_a_zip()
    {
        var full = File.ReadAllBytes(Zip(("manifest.json", "{}"u8.ToArray())));
        var path = _dir.Combine("truncated.zip");
        File.WriteAllBytes(path, full[..(full.Length / 2)]);

        var e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(path));

        var p = Assert.Single(e.Problems);
        Assert.Equal((path, (int?)null), (p.File, p.Line));
        Assert.StartsWith("cannot be opened as a zip bundle (", p.Message, StringComparison.Ordinal);
    }

    private static readonly (string, byte[])[] Metadata =
    [
        ("public-key.pem", System.Text.Encoding.ASCII.GetBytes(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem())),
        ("custody.jsonl", []),
        ("tree-heads.jsonl", []),
    ];

    // Found by fuzzing (fuzz/run.sh bundle): a damaged local header surfaced as InvalidDataException when read.
    [Fact]
    public void A_damaged_entry_is_refused_as_a_damaged_bundle()
    {
        var path = Zip([("manifest.json", "{}"u8.ToArray()), .. Metadata]);
        var bytes = File.ReadAllBytes(path);
        bytes[0] = (byte)'X'; // the first local file header's signature; the central directory stays intact
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(path));

        var p = Assert.Single(e.Problems);
        Assert.Equal(path, p.File);
        Assert.StartsWith("is a damaged or unsupported bundle (", p.Message, StringComparison.Ordinal);
    }

    // Found by fuzzing (fuzz/run.sh bundle): members missing from manifest.json became nulls that crashed later.
    [Fact]
    public void A_manifest_without_its_members_is_refused_by_name()
    {
        var path = Zip([("manifest.json", "{\"schema\":\"x\"}"u8.ToArray()), .. Metadata]);

        var e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(path));

        var p = Assert.Single(e.Problems);
        Assert.Equal(path + "!manifest.json", p.File);
        Assert.Equal("a required member (vault, rootHash, keyId, items with id, sha256 and path) is missing or null", p.Message);
    }

    [Fact]
    public void Two_entries_of_one_name_are_refused()
    {
        var path = Zip(("manifest.json", "{}"u8.ToArray()), ("MANIFEST.json", "{}"u8.ToArray()));

        var e = Assert.Throws<InputException>(() => EvidenceBundle.Verify(path));

        Assert.Equal("duplicate entry name; refused (which copy would be the evidence?)", Assert.Single(e.Problems).Message);
    }
}

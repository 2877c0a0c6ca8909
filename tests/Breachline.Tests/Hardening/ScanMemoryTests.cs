using Breachline.Posture.Secrets;
using Breachline.Tests.Posture;

namespace Breachline.Tests.Hardening;

/// <summary>Runs alone, after the parallel tests: it counts the bytes the whole process allocates.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "process-wide allocation counts";
}

/// <summary>Issue #5: memory stays bounded on a 100 MB single-line file.</summary>
[Collection(AllocationCollection.Name)]
public sealed class ScanMemoryTests
{
    [Fact]
    public void Scanning_a_100_MB_single_line_file_allocates_less_than_16_MB_and_still_finds_the_secret_at_its_end()
    {
        using var dir = new TempDir();
        var path = dir.Combine(Path.GetFileName(BadInputExport.BigLine));
        var (token, column) = BadInputExport.WriteBigLine(path);
        var length = new FileInfo(path).Length;

        // Loading the shipped rules (YAML, regexes) is a one-time cost of the process, not of the file.
        var scanner = SecretScanner.BuiltIn;

        // Process-wide and precise: Parallel.ForEach may run the one file on a pool thread, where a count of
        // this thread's bytes would see nothing. The collection runs alone, so other tests add nothing.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = scanner.ScanTree(dir.Path, dir.Path, parallelism: 1);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // The file was read to its end, so the count covers the whole scan.
        Assert.Equal(length, result.CharactersScanned);
        var github = Assert.Single(result.Findings, f => f.RuleId == "github-token");
        Assert.Equal((1, column), (github.Line, (long)github.Column));
        Assert.DoesNotContain(token, github.ToString(), StringComparison.Ordinal);

        // Why 16 MB fails a scanner that holds the line: the 100 MB line of ASCII is 100 M chars, so one string
        // of it is 200 MB of UTF-16 (ReadLine's StringBuilder growth adds as much again), File.ReadAllBytes
        // alone is 100 MB, and a fresh 1 M-char buffer per chunk is 100 x 2 MB. The streaming scan rents one
        // chunk buffer from the pool (4 MB when the pool is cold) plus the reader's 64 KB buffers: about 4.5 MB.
        Assert.True(allocated < 16L * 1024 * 1024, $"scanning a {length / (1024 * 1024)} MB line allocated {allocated / (1024 * 1024.0):0.0} MB");
    }
}

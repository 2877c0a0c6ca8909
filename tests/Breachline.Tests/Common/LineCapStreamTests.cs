using Breachline.Common;

namespace Breachline.Tests.Common;

/// <summary>
/// The line cap passes bytes through untouched except the part of a line past the cap, whatever sizes the
/// reads come in: checked against a plain line-by-line statement of the rule on random text.
/// </summary>
public sealed class LineCapStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Capped_output_and_cut_lines_match_the_rule_for_any_read_sizes(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 300; round++)
        {
            var cap = random.Next(1, 40);
            var input = RandomLines(random, cap);
            var (expected, expectedCut) = Reference(input, cap);

            using var capped = new LineCapStream(new ChunkedStream(input, random.Next(1, 3 * cap)), cap);
            var output = new MemoryStream();
            var buffer = new byte[random.Next(1, 4 * cap)];
            int read;
            while ((read = capped.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
            }

            Assert.Equal(expected, output.ToArray());
            Assert.Equal(expectedCut, capped.CutLines);
        }
    }

    [Fact]
    public void A_line_longer_than_a_read_is_still_cut_at_the_cap()
    {
        var line = new byte[100];
        Array.Fill(line, (byte)'x');
        byte[] input = [.. "ok\n"u8, .. line, .. "\nend\n"u8];

        using var capped = new LineCapStream(new ChunkedStream(input, 7), 30);
        var output = new MemoryStream();
        capped.CopyTo(output);

        Assert.Equal([.. "ok\n"u8, .. line[..30], .. "\nend\n"u8], output.ToArray());
        Assert.Equal([2], capped.CutLines);
    }

    // Lines of random length, some well past the cap, some empty; the last one may lack its newline.
    private static byte[] RandomLines(Random random, int cap)
    {
        var bytes = new List<byte>();
        var lines = random.Next(0, 30);
        for (var i = 0; i < lines; i++)
        {
            var length = random.Next(4) == 0 ? random.Next(cap, 4 * cap) : random.Next(0, cap + 1);
            for (var j = 0; j < length; j++)
            {
                bytes.Add((byte)('a' + random.Next(26)));
            }

            if (i < lines - 1 || random.Next(2) == 0)
            {
                bytes.Add((byte)'\n');
            }
        }

        return [.. bytes];
    }

    private static (byte[] Output, List<int> Cut) Reference(byte[] input, int cap)
    {
        var output = new List<byte>();
        var cut = new List<int>();
        var lines = input.AsSpan().ToArray().Aggregate(new List<List<byte>> { new() }, (acc, b) =>
        {
            if (b == '\n')
            {
                acc.Add([]);
            }
            else
            {
                acc[^1].Add(b);
            }

            return acc;
        });
        for (var i = 0; i < lines.Count; i++)
        {
            output.AddRange(lines[i].Take(cap));
            if (lines[i].Count > cap)
            {
                cut.Add(i + 1);
            }

            if (i < lines.Count - 1)
            {
                output.Add((byte)'\n');
            }
        }

        return ([.. output], cut);
    }

    // Returns at most `chunk` bytes per read, as a pipe or a slow disk may.
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}

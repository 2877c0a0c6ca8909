using System.Text;
using Breachline.Common;
using Breachline.Forensics;
using static Breachline.Tests.Hardening.Corpus;

namespace Breachline.Tests.Hardening;

/// <summary>Malformed Real-Time Event Monitoring JSON and gateway JSON lines.</summary>
public sealed class JsonLogCorpusTests : IDisposable
{
    private const string GatewayLine = "{\"time\":\"2026-03-14T05:14:32.859Z\",\"client_ip\":\"108.224.33.78\",\"method\":\"GET\",\"path\":\"/api/v1/holds\",\"status\":200}";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (List<LogEvent> Events, FileProblems Problems) Gateway(byte[] content) => ReadLog(_dir, "access.jsonl", content, LogFileKind.GatewayJsonLines);

    private (List<LogEvent> Events, FileProblems Problems) RealTime(byte[] content, string name = "ApiEvent.json") => ReadLog(_dir, name, content, LogFileKind.RealTimeJson);

    [Fact]
    public void A_gateway_log_cut_off_mid_line_keeps_the_lines_before_and_names_the_last_as_truncated()
    {
        var (events, problems) = Gateway(Utf8(GatewayLine + "\n" + GatewayLine + "\n{\"time\":\"2026-03-14T05:1"));

        Assert.Equal([1, 2], events.Select(e => e.Line));
        var p = Assert.Single(problems.Listed);
        Assert.Equal((3, "truncated last line: not a complete JSON object"), (p.Line, p.Message));
    }

    [Fact]
    public void A_byte_order_mark_and_mixed_line_endings_read_like_a_clean_file()
    {
        byte[] content = [0xEF, 0xBB, 0xBF, .. Utf8(GatewayLine + "\r\n" + GatewayLine + "\n\r\n" + GatewayLine + "\r\n")];

        var (events, problems) = Gateway(content);

        Assert.Equal(0, problems.Count);
        Assert.Equal([1, 2, 4], events.Select(e => e.Line));
    }

    [Fact]
    public void Invalid_UTF8_and_NUL_bytes_are_named_by_line_and_the_other_lines_are_read()
    {
        byte[] content = [.. Utf8(GatewayLine + "\n{\"path\":\"/"), 0xFF, 0xFE, .. Utf8("\"}\n"), .. new byte[64], .. Utf8("\n" + GatewayLine + "\n")];

        var (events, problems) = Gateway(content);

        Assert.Equal([1, 4], events.Select(e => e.Line));
        Assert.Equal(2, problems.Listed[0].Line);
        Assert.Equal("invalid UTF-8 in the line", problems.Listed[0].Message);
        Assert.Equal(3, problems.Listed[1].Line);
        Assert.StartsWith("not valid JSON: ", problems.Listed[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, problems.Count);
    }

    // Found by fuzzing (fuzz/run.sh rtem-json, gateway-jsonl): a document parsed from raw bytes threw on reading a string.
    [Fact]
    public void Invalid_UTF8_inside_a_JSON_document_is_named_by_record_instead_of_crashing()
    {
        byte[] content = [.. Utf8("[{\"EventDate\":\"2026-03-14T05:00:00Z\",\"UserId\":\"0058n0000048uLH\"},\n{\"EventDate\":\"2026-03-14T05:00:00Z\",\"UserId\":\"0058"), 0x80, .. Utf8("\"}]")];

        var (events, problems) = RealTime(content);

        Assert.Equal([1], events.Select(e => e.Line));
        var p = Assert.Single(problems.Listed);
        Assert.Equal((2, "invalid UTF-8 in the record"), (p.Line, p.Message));
    }

    [Fact]
    public void Deeply_nested_JSON_is_refused_with_its_line_and_does_not_exhaust_the_stack()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        var (lines, lineProblems) = Gateway(Utf8(GatewayLine + "\n{\"a\":" + deep + "}\n" + GatewayLine + "\n"));
        var (documents, documentProblems) = RealTime(Utf8("[" + deep + "]"));

        Assert.Equal([1, 3], lines.Select(e => e.Line));
        Assert.True(lineProblems.Count == 1, string.Join("\n", lineProblems.Listed));
        var p = lineProblems.Listed[0];
        Assert.Equal(2, p.Line);
        Assert.Contains("maximum configured depth of 64", p.Message, StringComparison.Ordinal);
        Assert.Empty(documents);
        Assert.Equal(
            ["array element is not a JSON object", "not valid JSON (a truncated file?): The maximum configured depth of 64 has been exceeded. Cannot read next JSON array. LineNumber: 0 | BytePositionInLine: 64.; 0 records before it were read"],
            documentProblems.Listed.Select(p => p.Message));
    }

    [Fact]
    public void A_line_longer_than_the_cap_is_skipped_unread_and_the_next_line_is_read_within_bounded_memory()
    {
        var path = _dir.Combine("long.jsonl");
        using (var file = File.Create(path))
        {
            file.Write(Utf8(GatewayLine + "\n{\"path\":\""));
            var block = new byte[1 << 20];
            block.AsSpan().Fill((byte)'a');
            for (var i = 0; i < 40; i++)
            {
                file.Write(block);
            }

            file.Write(Utf8("\"}\n" + GatewayLine + "\n"));
        }

        var result = (Events: new List<LogEvent>(), Problems: new FileProblems(""));
        var allocated = Allocated(() => result = ReadLogFile(path, "long.jsonl", LogFileKind.GatewayJsonLines));

        Assert.Equal([1, 3], result.Events.Select(e => e.Line));
        var p = Assert.Single(result.Problems.Listed);
        Assert.Equal((2, "line longer than 16 MB: skipped without being read"), (p.Line, p.Message));
        Assert.True(allocated < 160L << 20, $"{allocated:N0} bytes allocated to skip a 40 MB line");
    }

    [Fact]
    public void A_two_gigabyte_line_is_streamed_through_the_cap_without_being_stored()
    {
        // Generated, never written to disk: 2 GiB of one line, then a short one.
        using var source = new GeneratedLine(2L << 30, Utf8("\n{\"ok\":1}\n"));
        using var capped = new LineCapStream(source, LineCapStream.DefaultMaxLineBytes);
        using var reader = new StreamReader(capped, Encoding.UTF8);
        var lines = new List<int>();

        var allocated = Allocated(() =>
        {
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line.Length);
            }
        });

        Assert.Equal([LineCapStream.DefaultMaxLineBytes, 8], lines);
        Assert.Equal([1], capped.CutLines);
        Assert.True(allocated < 128L << 20, $"{allocated:N0} bytes allocated to stream a 2 GiB line");
    }

    [Fact]
    public void A_JSON_document_larger_than_the_limit_is_refused_before_it_is_read()
    {
        var path = _dir.Combine("ApiEvent.json");
        using (var file = File.Create(path))
        {
            file.Write(Utf8("["));
            file.SetLength(JsonLogReader.MaxDocumentBytes + 1);
        }

        var (events, problems) = ReadLogFile(path, "ApiEvent.json", LogFileKind.RealTimeJson);

        Assert.Empty(events);
        var p = Assert.Single(problems.Listed);
        Assert.Null(p.Line);
        Assert.Equal("a single JSON document of 256 MB, larger than the 256 MB limit; export it as pages or JSON lines", p.Message);
    }

    [Fact]
    public void A_record_with_a_timestamp_out_of_range_is_named_and_the_next_is_read()
    {
        var (events, problems) = Gateway(Lines(GatewayLine.Replace("2026-03-14T05:14:32.859Z", "2026-02-30T25:61:00Z", StringComparison.Ordinal), GatewayLine));

        Assert.Equal([2], events.Select(e => e.Line));
        Assert.Equal(1, Assert.Single(problems.Listed).Line);
    }

    /// <summary>A read-only stream of <c>length</c> bytes of 'a' followed by a tail, produced on demand.</summary>
    private sealed class GeneratedLine(long length, byte[] tail) : Stream
    {
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            var total = length + tail.Length;
            if (_position >= total)
            {
                return 0;
            }

            var n = (int)Math.Min(buffer.Length, total - _position);
            var line = (int)Math.Clamp(length - _position, 0, n);
            buffer[..line].Fill((byte)'a');
            if (line < n)
            {
                tail.AsSpan((int)(_position + line - length), n - line).CopyTo(buffer[line..]);
            }

            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length + tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Buffers.Text;
using System.Text;

namespace Breachline.Sample;

/// <summary>
/// Writes Event Monitoring CSV the way Salesforce serves it: every value double-quoted (quotes doubled),
/// comma separated, LF line ends. Sep has no quote-every-value mode, and the log files are the one output
/// that must stream at hundreds of MB/s, so this writer formats straight into a byte buffer.
/// </summary>
internal sealed class ElfWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _pos;
    private bool _rowStarted;

    public ElfWriter(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.SequentialScan);
    }

    public long BytesWritten { get; private set; }

    public void Header(IReadOnlyList<string> columns)
    {
        foreach (var c in columns)
        {
            Field(c);
        }

        EndRow();
    }

    public void Field(string? value)
    {
        Begin();
        if (value is not null)
        {
            Text(value);
        }

        Put((byte)'"');
    }

    public void Field(long value)
    {
        Begin();
        Ensure(24);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_pos), out var n);
        _pos += n;
        Put((byte)'"');
    }

    /// <summary>A key recomputable from (seed, kind, n), written straight into the buffer (no string per row).</summary>
    public void Key(int seed, int kind, long n, int length, bool urlSafe)
    {
        Begin();
        Ensure(length + 1);
        SampleRandom.WriteKey(_buffer.AsSpan(_pos, length), seed, kind, n, urlSafe);
        _pos += length;
        Put((byte)'"');
    }

    /// <summary>yyyyMMddHHmmss.fff in GMT; trailing zeros of the fraction dropped, as in real files (0-3 digits).</summary>
    public void Timestamp(long unixMs)
    {
        Begin();
        Ensure(24);
        Second(unixMs);
        _stamp.CopyTo(_buffer.AsSpan(_pos));
        _pos += _stamp.Length;
        var ms = (int)(unixMs % 1000);
        if (ms != 0)
        {
            _buffer[_pos++] = (byte)'.';
            var digits = ms % 100 == 0 ? 1 : ms % 10 == 0 ? 2 : 3;
            var scaled = digits == 1 ? ms / 100 : digits == 2 ? ms / 10 : ms;
            Digits(scaled, digits);
        }

        Put((byte)'"');
    }

    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2026-03-17T06:58:12.655Z.</summary>
    public void TimestampDerived(long unixMs)
    {
        Begin();
        Ensure(32);
        Second(unixMs);
        _iso.CopyTo(_buffer.AsSpan(_pos));
        _pos += _iso.Length;
        _buffer[_pos++] = (byte)'.';
        Digits((int)(unixMs % 1000), 3);
        _buffer[_pos++] = (byte)'Z';
        Put((byte)'"');
    }

    private readonly byte[] _stamp = new byte[14];
    private readonly byte[] _iso = new byte[19];
    private long _second = long.MinValue;

    /// <summary>Formats the second of <paramref name="unixMs"/> once: rows come in time order, so most share it.</summary>
    private void Second(long unixMs)
    {
        var second = unixMs / 1000;
        if (second == _second)
        {
            return;
        }

        _second = second;
        var t = DateTime.UnixEpoch.AddSeconds(second);
        Span<byte> s = _stamp;
        Put4(s, t.Year);
        Put2(s[4..], t.Month);
        Put2(s[6..], t.Day);
        Put2(s[8..], t.Hour);
        Put2(s[10..], t.Minute);
        Put2(s[12..], t.Second);
        Span<byte> i = _iso;
        s[..4].CopyTo(i);
        i[4] = (byte)'-';
        s[4..6].CopyTo(i[5..]);
        i[7] = (byte)'-';
        s[6..8].CopyTo(i[8..]);
        i[10] = (byte)'T';
        s[8..10].CopyTo(i[11..]);
        i[13] = (byte)':';
        s[10..12].CopyTo(i[14..]);
        i[16] = (byte)':';
        s[12..14].CopyTo(i[17..]);

        static void Put4(Span<byte> d, int v)
        {
            Put2(d, v / 100);
            Put2(d[2..], v % 100);
        }

        static void Put2(Span<byte> d, int v)
        {
            d[0] = (byte)('0' + (v / 10));
            d[1] = (byte)('0' + (v % 10));
        }
    }

    public void EndRow()
    {
        Put((byte)'\n');
        _rowStarted = false;
    }

    /// <summary>Writes a raw line (no quoting), e.g. a JSON line.</summary>
    public void RawLine(string line)
    {
        Text(line);
        Put((byte)'\n');
    }

    public void Flush()
    {
        _stream.Write(_buffer, 0, _pos);
        BytesWritten += _pos;
        _pos = 0;
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }

    private void Begin()
    {
        Ensure(2);
        if (_rowStarted)
        {
            _buffer[_pos++] = (byte)',';
        }

        _rowStarted = true;
        _buffer[_pos++] = (byte)'"';
    }

    private void Text(string value)
    {
        Ensure((value.Length * 2) + 2);
        var span = value.AsSpan();
        // Most values are printable ASCII without quotes: one vectorised copy.
        if (!span.ContainsAnyExceptInRange((char)0x20, (char)0x7e) && !span.Contains('"'))
        {
            System.Text.Ascii.FromUtf16(span, _buffer.AsSpan(_pos), out var written);
            _pos += written;
            return;
        }

        var escaped = value.Replace("\"", "\"\"", StringComparison.Ordinal);
        Ensure(Encoding.UTF8.GetMaxByteCount(escaped.Length));
        _pos += Encoding.UTF8.GetBytes(escaped, _buffer.AsSpan(_pos));
    }

    private void Digits(int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            _buffer[_pos + i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        _pos += count;
    }

    private void Put(byte b)
    {
        Ensure(1);
        _buffer[_pos++] = b;
    }

    private void Ensure(int bytes)
    {
        if (_pos + bytes > _buffer.Length)
        {
            Flush();
            if (bytes > _buffer.Length)
            {
                throw new InvalidOperationException("a single value is larger than the write buffer");
            }
        }
    }
}

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

    /// <summary>yyyyMMddHHmmss.fff in GMT; trailing zeros of the fraction dropped, as in real files (0-3 digits).</summary>
    public void Timestamp(long unixMs)
    {
        Begin();
        Ensure(24);
        var t = DateTime.UnixEpoch.AddMilliseconds(unixMs);
        Digits(t.Year, 4);
        Digits(t.Month, 2);
        Digits(t.Day, 2);
        Digits(t.Hour, 2);
        Digits(t.Minute, 2);
        Digits(t.Second, 2);
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
        var t = DateTime.UnixEpoch.AddMilliseconds(unixMs);
        Digits(t.Year, 4);
        _buffer[_pos++] = (byte)'-';
        Digits(t.Month, 2);
        _buffer[_pos++] = (byte)'-';
        Digits(t.Day, 2);
        _buffer[_pos++] = (byte)'T';
        Digits(t.Hour, 2);
        _buffer[_pos++] = (byte)':';
        Digits(t.Minute, 2);
        _buffer[_pos++] = (byte)':';
        Digits(t.Second, 2);
        _buffer[_pos++] = (byte)'.';
        Digits((int)(unixMs % 1000), 3);
        _buffer[_pos++] = (byte)'Z';
        Put((byte)'"');
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
        var span = _buffer.AsSpan(_pos);
        var ascii = true;
        var i = 0;
        foreach (var c in value)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }

            if (c == '"')
            {
                span[i++] = (byte)'"';
            }

            span[i++] = (byte)c;
        }

        if (ascii)
        {
            _pos += i;
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

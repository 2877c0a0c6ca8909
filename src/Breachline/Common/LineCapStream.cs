namespace Breachline.Common;

/// <summary>
/// Passes a text file's bytes through, but keeps at most <c>maxLineBytes</c> of any one line (lines end at
/// <c>\n</c>) and drops the rest of it unread by the parser above, so a hostile or corrupt file with a
/// gigabyte-long line cannot make a line reader or CSV parser grow its buffer without bound. The lines cut are
/// remembered (1-based) so the reader can report them by number.
/// </summary>
internal sealed class LineCapStream(Stream inner, int maxLineBytes) : ReadOnlyStream
{
    private readonly List<int> _cut = [];
    private int _line = 1;
    private long _lineLength;
    private bool _cutting;

    /// <summary>Default cap: real Event Monitoring rows and gateway lines are kilobytes; a query text is at most 100,000 characters.</summary>
    public const int DefaultMaxLineBytes = 16 << 20;

    /// <summary>Opens a file for reading through the cap.</summary>
    public static LineCapStream OpenFile(string path, int maxLineBytes = DefaultMaxLineBytes) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), maxLineBytes);

    /// <summary>The largest number of bytes kept of one line.</summary>
    public int MaxLineBytes { get; } = maxLineBytes;

    /// <summary>Lines (1-based, counted by <c>\n</c>) longer than the cap, in order.</summary>
    public IReadOnlyList<int> CutLines => _cut;

    /// <summary>True if line <paramref name="line"/> was cut.</summary>
    public bool WasCut(int line) => _cut.BinarySearch(line) >= 0;

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var read = inner.Read(buffer);
            if (read == 0)
            {
                return 0;
            }

            var kept = Filter(buffer[..read]);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    // Compacts the kept bytes to the front of data; writing never overtakes reading, so the copy is safe in place.
    private int Filter(Span<byte> data)
    {
        // Nearly every read cuts nothing: the line carried in stays under the cap up to the first newline and
        // the one left open at the end does too. Lines wholly inside fit when the read is no longer than the
        // cap, so the bytes pass untouched and only the lines are counted (a line-by-line loop copying each
        // line onto itself cost a tenth of the hunt's reading).
        var first = data.IndexOf((byte)'\n');
        if (!_cutting && data.Length <= MaxLineBytes)
        {
            if (first < 0 && _lineLength + data.Length <= MaxLineBytes)
            {
                _lineLength += data.Length;
                return data.Length;
            }

            if (first >= 0 && _lineLength + first <= MaxLineBytes)
            {
                var last = data.LastIndexOf((byte)'\n');
                _line += data.Count((byte)'\n');
                _lineLength = data.Length - last - 1;
                return data.Length;
            }
        }

        return FilterLines(data);
    }

    private int FilterLines(Span<byte> data)
    {
        var write = 0;
        var read = 0;
        while (read < data.Length)
        {
            var rest = data[read..];
            var newline = rest.IndexOf((byte)'\n');
            var content = newline < 0 ? rest.Length : newline;
            if (!_cutting)
            {
                var keep = (int)Math.Min(content, MaxLineBytes - _lineLength);
                if (write != read)
                {
                    rest[..keep].CopyTo(data[write..]);
                }

                write += keep;
                _lineLength += keep;
                if (keep < content)
                {
                    _cutting = true;
                    _cut.Add(_line);
                }
            }

            if (newline < 0)
            {
                break;
            }

            data[write++] = (byte)'\n';
            _line++;
            _lineLength = 0;
            _cutting = false;
            read += newline + 1;
        }

        return write;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

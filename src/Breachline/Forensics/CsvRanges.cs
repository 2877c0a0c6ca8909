using System.Buffers;
using Breachline.Common;

namespace Breachline.Forensics;

/// <summary>
/// A run of whole rows of one CSV file, held in memory behind a copy of the file's header so Sep can read it
/// on its own: the hunt parses the ranges of a big file on several threads at once.
/// </summary>
/// <param name="Index">0 for the file's first range (which holds the header itself), then 1, 2…</param>
/// <param name="Buffer">Rented: the header (except in range 0), then the range's bytes.</param>
/// <param name="Length">Bytes used in <paramref name="Buffer"/>.</param>
/// <param name="Start">Offset in the file of the range's first byte.</param>
/// <param name="End">Offset in the file just past the range.</param>
/// <param name="LineOffset">Added to Sep's line numbers to give the file's (the header copy takes the first lines).</param>
/// <param name="IsLast">True for the range that ends the file.</param>
/// <param name="Rest">For a last range that found no boundary: the rest of the file, read after the buffer.</param>
internal sealed record CsvRange(int Index, byte[] Buffer, int Length, long Start, long End, int LineOffset, bool IsLast, Stream? Rest = null)
{
    /// <summary>The range's bytes as Sep reads them: the header, the rows, then the rest of the file if any.</summary>
    public Stream Open() => Rest is null ? new MemoryStream(Buffer, 0, Length, writable: false) : new ConcatStream(Buffer, Length, Rest);

    /// <summary>Gives the buffer back; the range cannot be read after.</summary>
    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>Bytes held in memory, then a stream's.</summary>
internal sealed class ConcatStream(byte[] buffer, int length, Stream rest) : ReadOnlyStream
{
    private int _position;

    public override int Read(Span<byte> destination)
    {
        if (_position < length)
        {
            var n = Math.Min(destination.Length, length - _position);
            buffer.AsSpan(_position, n).CopyTo(destination);
            _position += n;
            return n;
        }

        return rest.Read(destination);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Cuts one CSV file, read once from start to end (hashed on the way, long lines capped as every reader of
/// the hunt caps them), into ranges of about <c>targetBytes</c> that end on a row boundary. A boundary is a
/// <c>\n</c> with an even number of double quotes before it in the file: Sep counts quotes the same way (a
/// newline inside an open quote continues the row), so every range starts where Sep would start a row.
/// Sep still does all the parsing; this only finds where a range may end. Line numbers follow Sep's
/// counting: <c>\r\n</c>, <c>\n</c> and a lone <c>\r</c> each end a line.
/// Not thread-safe: the hunt calls <see cref="Next"/> for one file from one thread at a time.
/// </summary>
internal sealed class CsvRanges : IDisposable
{
    // A range that finds no boundary grows to this many times the target before the rest of the file
    // becomes one last range streamed from disk.
    private const int MaxRangeFactor = 4;

    private readonly int _targetBytes;
    private readonly HashingStream? _hashing;
    private readonly LineCapStream _capped;
    private readonly byte[] _header;
    private readonly int _headerLines;
    private byte[] _carry = [];
    private int _carryLength;
    private long _offset;
    private int _nextLine;
    private bool _oddQuotes;
    private bool _ended;
    private int _index;

    private CsvRanges(int targetBytes, HashingStream? hashing, LineCapStream capped, byte[] header, int headerLines, byte[] carry, int carryLength)
    {
        _targetBytes = targetBytes;
        _hashing = hashing;
        _capped = capped;
        _header = header;
        _headerLines = headerLines;
        _carry = carry;
        _carryLength = carryLength;
        _offset = header.Length;
        _nextLine = headerLines + 1;
    }

    /// <summary>Lines the cap cut, once every range has been taken.</summary>
    public IReadOnlyList<int> CutLines => _capped.CutLines;

    /// <summary>The cap's limit in bytes.</summary>
    public int MaxLineBytes => _capped.MaxLineBytes;

    /// <summary>SHA-256 of the whole file, once every range has been taken (null when not hashing).</summary>
    public string? Sha256 => _hashing?.Sha256;

    /// <summary>How many ranges have been taken: the index of the next one.</summary>
    public int Taken => _index;

    /// <summary>True once the last range has been taken.</summary>
    public bool Ended => _ended;

    /// <summary>
    /// Opens <paramref name="path"/> and reads its header row; null when the header does not end within the
    /// first range (the caller then reads the file whole). I/O errors are the caller's to report.
    /// </summary>
    public static CsvRanges? Open(string path, int targetBytes, bool hash)
    {
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        HashingStream? hashing = null;
        if (hash)
        {
            stream = hashing = new HashingStream(stream);
        }

        var capped = new LineCapStream(stream, LineCapStream.DefaultMaxLineBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(targetBytes, 1 << 16, 1 << 20));
        try
        {
            var length = Fill(capped, buffer, 0);
            var end = HeaderEnd(buffer.AsSpan(0, length));
            if (end < 0)
            {
                capped.Dispose();
                return null;
            }

            var header = buffer.AsSpan(0, end).ToArray();
            var carry = buffer.AsSpan(end, length - end).ToArray();
            return new CsvRanges(targetBytes, hashing, capped, header, Lines(header), carry, carry.Length);
        }
        catch
        {
            capped.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The next range, or null once the file has ended.</summary>
    public CsvRange? Next()
    {
        if (_ended)
        {
            return null;
        }

        var prefix = _header.Length;
        // The target counts the header and the carried bytes, so a buffer is one pool size (a power of two).
        var step = Math.Min(_targetBytes, 1 << 16);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_targetBytes, prefix + _carryLength));
        _header.CopyTo(buffer, 0);
        _carry.AsSpan(0, _carryLength).CopyTo(buffer.AsSpan(prefix));
        var length = prefix + _carryLength;
        _carryLength = 0;
        var searched = prefix;
        var quotesOdd = _oddQuotes;
        Stream? rest = null;
        int cut;
        while (true)
        {
            // The range ends at the last boundary before the target; with none there, at the first after it.
            var window = Math.Max(_targetBytes, searched + step);
            if (length < window)
            {
                if (buffer.Length < window)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(window, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                length = Fill(_capped, buffer, length, window);
                if (length < window)
                {
                    cut = length;
                    _ended = true;
                    break;
                }
            }

            cut = Boundary(buffer.AsSpan(searched, window - searched), quotesOdd);
            if (cut >= 0)
            {
                cut += searched;
                break;
            }

            quotesOdd ^= Odd(buffer.AsSpan(searched, window - searched));
            searched = window;
            if (searched - prefix >= Math.Max(MaxRangeFactor * _targetBytes, 256))
            {
                // No row ends outside quotes here (a quote left open, or lines ended by \r alone): Sep reads
                // the rest of the file as one last range, streamed rather than held.
                rest = _capped;
                cut = length;
                _ended = true;
                break;
            }
        }

        var data = buffer.AsSpan(prefix, cut - prefix);
        if (!_ended)
        {
            _oddQuotes ^= Odd(data);
            var carry = buffer.AsSpan(cut, length - cut);
            if (_carry.Length < carry.Length)
            {
                _carry = new byte[Math.Max(carry.Length, 1 << 16)];
            }

            carry.CopyTo(_carry);
            _carryLength = carry.Length;
        }

        var range = new CsvRange(_index++, buffer, cut, _offset, rest is null ? _offset + data.Length : long.MaxValue, _nextLine - (_headerLines + 1), _ended, rest);
        _offset += data.Length;
        _nextLine += Lines(data);
        return range;
    }

    /// <summary>Bytes of the header row, newline included: what precedes every range read alone.</summary>
    public byte[] Header => _header;

    /// <summary>
    /// Reads <paramref name="range"/>'s rows again from the file, behind the header, for the second pass (the
    /// file must have had no line cut, so offsets after the cap are offsets in the file).
    /// </summary>
    public static CsvRange Reread(string path, byte[] header, CsvRange range)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        stream.Seek(range.Start, SeekOrigin.Begin);
        if (range.Rest is not null || range.End == long.MaxValue)
        {
            var prefix = ArrayPool<byte>.Shared.Rent(header.Length);
            header.CopyTo(prefix, 0);
            return range with { Buffer = prefix, Length = header.Length, Rest = new LineCapStream(stream, LineCapStream.DefaultMaxLineBytes) };
        }

        using (stream)
        {
            var length = (int)(range.End - range.Start);
            var buffer = ArrayPool<byte>.Shared.Rent(header.Length + length);
            header.CopyTo(buffer, 0);
            var filled = Fill(stream, buffer, header.Length, header.Length + length);
            return range with { Buffer = buffer, Length = filled, Rest = null };
        }
    }

    public void Dispose() => _capped.Dispose();

    // Reads until the buffer holds `target` bytes or the file ends.
    private static int Fill(Stream stream, byte[] buffer, int length, int target = -1)
    {
        target = target < 0 ? buffer.Length : target;
        while (length < target)
        {
            var read = stream.Read(buffer.AsSpan(length, target - length));
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }

    private static bool Odd(ReadOnlySpan<byte> data) => (data.Count((byte)'"') & 1) == 1;

    /// <summary>Offset just past the last <c>\n</c> outside quotes in <paramref name="data"/>, else -1.</summary>
    private static int Boundary(ReadOnlySpan<byte> data, bool odd)
    {
        // The parity at a newline is the whole span's parity less that of the quotes after it.
        var total = odd ^ Odd(data);
        var after = false;
        var end = data.Length;
        while (end > 0)
        {
            var newline = data[..end].LastIndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            after ^= Odd(data[(newline + 1)..end]);
            if (total == after)
            {
                return newline + 1;
            }

            end = newline;
        }

        return -1;
    }

    /// <summary>Offset just past the first <c>\n</c> outside quotes (the end of the header row), else -1.</summary>
    private static int HeaderEnd(ReadOnlySpan<byte> data)
    {
        var odd = false;
        var from = 0;
        while (from < data.Length)
        {
            var newline = data[from..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            odd ^= Odd(data.Slice(from, newline));
            from += newline + 1;
            if (!odd)
            {
                return from;
            }
        }

        return -1;
    }

    // Sep's line count: \r\n, \n and a lone \r each end one line.
    private static int Lines(ReadOnlySpan<byte> data)
    {
        var lines = data.Count((byte)'\n');
        var returns = data.Count((byte)'\r');
        if (returns == 0)
        {
            return lines;
        }

        var pairs = 0;
        for (var at = data.IndexOf("\r\n"u8); at >= 0;)
        {
            pairs++;
            var next = data[(at + 2)..].IndexOf("\r\n"u8);
            at = next < 0 ? -1 : at + 2 + next;
        }

        return lines + returns - pairs;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Breachline.Evidence;

/// <summary>
/// Finds the period a log file covers (first and last event time) while its bytes stream into the vault: the
/// parser reads through a <see cref="TeeStream"/> that hashes and stores what it reads, so a log is read once.
/// Event Monitoring CSV: the TIMESTAMP column (<c>yyyyMMddHHmmss</c> with 0–3 fraction digits, UTC), read by
/// header name; SetupAuditTrail CSV: CreatedDate (<c>2023-12-19T21:04:35.000+0000</c>); Real-Time Event
/// Monitoring JSON: EventDate or CreatedDate; gateway JSON lines: <c>time</c>. A file with no such column,
/// or one that does not parse, simply has no observation period: the collection itself never depends on it.
/// </summary>
internal static class ObservationPeriod
{
    private static readonly string[] CsvIsoColumns = ["CreatedDate", "EventDate"];
    private static readonly string[] JsonTimeFields = ["time", "timestamp", "EventDate", "CreatedDate", "TIMESTAMP_DERIVED"];

    /// <summary>True when the file is read by a parser as it is collected.</summary>
    public static bool Applies(EvidenceKind kind, string relativePath) =>
        kind is EvidenceKind.Logs or EvidenceKind.Gateway && Format(relativePath) is not null;

    /// <summary>
    /// Reads <paramref name="tee"/> to its end, returning the first and last event time found.
    /// </summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Read(Stream tee, string relativePath)
    {
        (DateTimeOffset?, DateTimeOffset?) period = (null, null);
        try
        {
            period = Format(relativePath) == "csv" ? ReadCsv(tee) : ReadJsonLines(tee);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or DecoderFallbackException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // A malformed log still goes into the vault byte for byte; the hunt reports what it cannot read.
        }

        tee.CopyTo(Stream.Null);
        return period;
    }

    private static string? Format(string relativePath)
    {
        var ext = Path.GetExtension(relativePath).ToLowerInvariant();
        return ext switch
        {
            ".csv" => "csv",
            ".json" or ".jsonl" or ".ndjson" or ".log" => "json",
            _ => null,
        };
    }

    private static (DateTimeOffset?, DateTimeOffset?) ReadCsv(Stream stream)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).From(stream);
        var names = reader.Header.ColNames;
        var elf = IndexOf(names, "TIMESTAMP");
        if (elf >= 0)
        {
            return ReadElfTimestamps(reader, elf);
        }

        var iso = CsvIsoColumns.Select(c => IndexOf(names, c)).FirstOrDefault(i => i >= 0, -1);
        if (iso < 0)
        {
            return (null, null);
        }

        DateTimeOffset? min = null, max = null;
        foreach (var row in reader)
        {
            if (iso < row.ColCount && TryParseIso(row[iso].Span, out var t))
            {
                Widen(ref min, ref max, t);
            }
        }

        return (min, max);
    }

    // ELF TIMESTAMP values are fixed-width digits with an optional fraction, so ordinal order is time order:
    // keep the extreme strings and parse only those two (the column can hold millions of rows).
    private static (DateTimeOffset?, DateTimeOffset?) ReadElfTimestamps(SepReader reader, int column)
    {
        string? min = null, max = null;
        foreach (var row in reader)
        {
            if (column >= row.ColCount)
            {
                continue;
            }

            var span = row[column].Span;
            if (!IsElfTimestamp(span))
            {
                continue;
            }

            if (min is null || span.CompareTo(min, StringComparison.Ordinal) < 0)
            {
                min = span.ToString();
            }

            if (max is null || span.CompareTo(max, StringComparison.Ordinal) > 0)
            {
                max = span.ToString();
            }
        }

        return (ParseElf(min), ParseElf(max));
    }

    private static bool IsElfTimestamp(ReadOnlySpan<char> s)
    {
        if (s.Length != 14 && (s.Length < 16 || s.Length > 18 || s[14] != '.'))
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (i != 14 && !char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly string[] ElfFormats = ["yyyyMMddHHmmss", "yyyyMMddHHmmss.f", "yyyyMMddHHmmss.ff", "yyyyMMddHHmmss.fff"];

    private static DateTimeOffset? ParseElf(string? s) =>
        s is not null && DateTimeOffset.TryParseExact(s, ElfFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : null;

    private static (DateTimeOffset?, DateTimeOffset?) ReadJsonLines(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        DateTimeOffset? min = null, max = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] != '{')
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                foreach (var field in JsonTimeFields)
                {
                    if (doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && TryParseIso(v.GetString(), out var t))
                    {
                        Widen(ref min, ref max, t);
                        break;
                    }
                }
            }
            catch (JsonException)
            {
                // One broken line does not hide the period the others show.
            }
        }

        return (min, max);
    }

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    /// <summary>ISO 8601 with an offset, including Salesforce's <c>+0000</c> form.</summary>
    internal static bool TryParseIso(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        var s = text.Trim().ToString();
        // Salesforce writes offsets without a colon (+0000); .NET's zzz wants +00:00.
        if (s.Length > 5 && (s[^5] == '+' || s[^5] == '-') && s[^4..].All(char.IsAsciiDigit))
        {
            s = s[..^2] + ":" + s[^2..];
        }

        if (DateTimeOffset.TryParseExact(s, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
        {
            time = time.ToUniversalTime();
            return true;
        }

        return false;
    }

    private static bool TryParseIso(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && TryParseIso(text.AsSpan(), out time);
    }

    private static int IndexOf(IReadOnlyList<string> names, string wanted)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], wanted, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Widen(ref DateTimeOffset? min, ref DateTimeOffset? max, DateTimeOffset t)
    {
        if (min is null || t < min)
        {
            min = t;
        }

        if (max is null || t > max)
        {
            max = t;
        }
    }
}

/// <summary>
/// A read-only stream that hands every byte it reads to a sink (the hash and the vault's temp file). Disposing
/// it leaves the source open and readable, so the rest of a file a parser gave up on can still be drained.
/// </summary>
internal sealed class TeeStream(Stream source, Action<ReadOnlySpan<byte>> sink) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = source.Read(buffer);
        if (n > 0)
        {
            sink(buffer[..n]);
            BytesRead += n;
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

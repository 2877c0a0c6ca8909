using System.Globalization;
using System.Runtime.CompilerServices;
using Breachline.Common;
using nietras.SeparatedValues;
using NodaTime;

namespace Breachline.Forensics;

/// <summary>
/// Streams Event Monitoring log files (EventLogFile CSV) and SetupAuditTrail CSV exports with Sep. Columns
/// are found by header name in any order (Salesforce says the schema of each event type can change between
/// releases); absent columns read as null and extra ones are ignored. A row that cannot be read is counted
/// in <see cref="FileProblems"/> with its line and skipped; the rest of the file is still read.
/// </summary>
public static class EventLogCsvReader
{
    private const string InternalAddress = "Salesforce.com IP";

    /// <summary>
    /// Reads every good row of <paramref name="file"/>, reporting bad ones to <paramref name="problems"/>.
    /// With <paramref name="filter"/>, only rows it accepts become events (the others are still checked).
    /// With <paramref name="sha256"/>, the file is hashed as it is read and, once read to its end, its
    /// SHA-256 is given to it.
    /// </summary>
    public static IEnumerable<LogEvent> Read(LogFile file, int fileIndex, FileProblems problems, RowFilter? filter = null, Action<string>? sha256 = null)
    {
        SepReader reader;
        LineCapStream? capped = null;
        HashingStream? hashing = null;
        try
        {
            Stream stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (sha256 is not null)
            {
                stream = hashing = new HashingStream(stream);
            }

            capped = new LineCapStream(stream, LineCapStream.DefaultMaxLineBytes);
            reader = Sep.Reader(Options).From(capped);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            capped?.Dispose();
            problems.Add(null, $"cannot read: {e.Message}");
            hashing?.Dispose();
            yield break;
        }
        catch (ArgumentException e)
        {
            capped?.Dispose();
            problems.Add(1, CsvHeaderProblem.Describe(e), "header");
            yield break;
        }

        using (capped)
        using (reader)
        {
            if (reader.Header.IsEmpty)
            {
                yield break;
            }

            var columns = new Columns(reader.Header);
            if (columns.IsAuditTrail)
            {
                foreach (var e in ReadAuditTrail(reader, columns, file, fileIndex, problems))
                {
                    yield return e;
                }

                ReportCut(capped, problems);
                yield break;
            }

            if (columns.EventType < 0)
            {
                problems.Add(1, "no EVENT_TYPE column: not an Event Monitoring log file (and not a SetupAuditTrail export: no Action and Section columns)", "EVENT_TYPE");
                yield break;
            }

            if (columns.Timestamp < 0 && columns.TimestampDerived < 0)
            {
                problems.Add(1, "no TIMESTAMP or TIMESTAMP_DERIVED column: the rows cannot be placed in time", "TIMESTAMP");
                yield break;
            }

            foreach (var e in Rows(reader, columns, fileIndex, problems, filter, EndsWithNewline(file.FullPath), 0, new ReaderPools()))
            {
                yield return e;
            }

            ReportCut(capped, problems);
            if (hashing?.Sha256 is { } hash)
            {
                sha256!(hash);
            }
        }
    }

    /// <summary>
    /// Reads the rows of one range of a big Event Monitoring file (see <see cref="CsvRanges"/>): the same
    /// checks and events as <see cref="Read"/>, with the file's line numbers. Only the last range can end
    /// in a truncated row. The caller reports the cut lines and hashes the file.
    /// </summary>
    internal static IEnumerable<LogEvent> ReadRange(CsvRange range, int fileIndex, FileProblems problems, RowFilter? filter, bool endsWithNewline, ReaderPools pools)
    {
        using var reader = Sep.Reader(Options).From(range.Open());
        var columns = new Columns(reader.Header);
        foreach (var e in Rows(reader, columns, fileIndex, problems, filter, !range.IsLast || endsWithNewline, range.LineOffset, pools))
        {
            yield return e;
        }
    }

    /// <summary>
    /// True when a file with this header row can be read in ranges: an Event Monitoring log whose header
    /// Sep accepts. Anything else (a SetupAuditTrail export, a bad header) is read whole, where its problems
    /// are reported.
    /// </summary>
    internal static bool CanReadInRanges(byte[] header)
    {
        try
        {
            using var reader = Sep.Reader(Options).From(header);
            var columns = new Columns(reader.Header);
            return !reader.Header.IsEmpty && !columns.IsAuditTrail && columns.EventType >= 0 && (columns.Timestamp >= 0 || columns.TimestampDerived >= 0);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// The columns of an Event Monitoring file with this header that the reader reads on every row: what any
    /// hunt of these rows pays for at least (bench/hunt's ceiling).
    /// </summary>
    internal static int[] ColumnsReadPerRow(SepReaderHeader header) => new Columns(header).ReadPerRow;

    /// <summary>The columns the reader reads only on some rows (see <see cref="Columns.ReadOnSomeRows"/>).</summary>
    internal static int[] ColumnsReadOnSomeRows(SepReaderHeader header) => new Columns(header).ReadOnSomeRows;

    /// <summary>The reader's Sep options, for measurements that must parse as the reader does.</summary>
    internal static SepReaderOptions ReaderOptions(SepReaderOptions o) => Options(o);

    private static SepReaderOptions Options(SepReaderOptions o) => o with
    {
        Unescape = true,
        Trim = SepTrim.All,
        DisableColCountCheck = true,
        ColNameComparer = StringComparer.OrdinalIgnoreCase,
    };

    private static IEnumerable<LogEvent> Rows(SepReader reader, Columns columns, int fileIndex, FileProblems problems, RowFilter? filter, bool endsWithNewline, int lineOffset, ReaderPools pools)
    {
        var last = Pending.None;
        // The last two values of each column, then of the address and of the two Aura fields.
        var previous = new LastValues[columns.Count + 3];
        var ipSlot = columns.Count;
        foreach (var row in reader)
        {
            // A problem on the final row is only known to be "truncated" once the loop ends.
            last.Flush(problems);
            last = Pending.None;
            var line = row.LineNumberFrom + lineOffset;
            if (row.ColCount != columns.Count)
            {
                last = Pending.Wrong(line, row.LineNumberToExcl + lineOffset, row.ColCount, columns.Count, endsWithNewline);
                continue;
            }

            // The client address is the real one: "Salesforce.com IP" means the Login row's SOURCE_IP.
            var ip = Span(row, columns.ClientIp);
            if (ip.IsEmpty || ip.SequenceEqual(InternalAddress))
            {
                ip = Span(row, columns.SourceIp) is var source && source.SequenceEqual(InternalAddress) ? default : source;
            }

            if (filter is not null && !filter(ip, Span(row, columns.LoginKey), Span(row, columns.SessionKey)))
            {
                continue;
            }

            if (row.Span.Contains('\uFFFD'))
            {
                problems.Add(line, "invalid UTF-8 in the row");
                continue;
            }

            var timestamp = row[columns.Timestamp < 0 ? columns.TimestampDerived : columns.Timestamp].Span;
            Instant time;
            if (columns.Timestamp >= 0 ? !LogTime.TryParseElf(timestamp, out time) : !LogTime.TryParseIso(timestamp.ToString(), out time))
            {
                if (columns.TimestampDerived < 0 || !LogTime.TryParseIso(row[columns.TimestampDerived].ToString(), out time))
                {
                    problems.Add(line, $"bad timestamp '{Clip(timestamp)}' (expected yyyyMMddHHmmss with 0-3 fraction digits)", "TIMESTAMP");
                    continue;
                }
            }

            var uri = Pooled(pools.Uris, row, columns.Uri, previous);
            var soql = Pooled(pools.Soql, row, columns.Soql, previous) ?? pools.QueryOf(uri);
            var entity = Pooled(pools.Values, row, columns.Entity, previous);
            var operation = Pooled(pools.Values, row, columns.Operation, previous);
            if (columns.ActionMessage >= 0)
            {
                // Lightning (Aura) rows name the object and the controller action only inside ACTION_MESSAGE.
                var message = row[columns.ActionMessage].Span;
                entity ??= pools.Values.Get(JsonText(message, "\"entityNameOrId\":\""), ref previous[ipSlot + 1]) ?? pools.Values.Get(JsonText(message, "\"objectApiName\":\""));
                operation ??= pools.Values.Get(AuraAction(message), ref previous[ipSlot + 2]);
            }

            // Every property the reader sets is set on every row, so a reused event never keeps another row's value.
            var e = pools.Reuse ? pools.Scratch : new LogEvent();
            e.EventType = Pooled(pools.Values, row, columns.EventType, previous) ?? "";
            e.Source = LogSourceKind.EventLogFile;
            e.Time = time;
            e.UserId = Pooled(pools.Ids, row, columns.UserIdDerived, previous) ?? Pooled(pools.Ids, row, columns.UserId, previous);
            e.UserName = Pooled(pools.Values, row, columns.UserName, previous);
            e.UserType = Pooled(pools.Values, row, columns.UserType, previous);
            e.Ip = pools.Values.Get(ip, ref previous[ipSlot]);
            e.UserAgent = Pooled(pools.Values, row, columns.UserAgent, previous);
            e.AppId = Pooled(pools.Ids, row, columns.AppId, previous);
            e.AppName = Pooled(pools.Values, row, columns.AppName, previous);
            e.SessionKey = Pooled(pools.Values, row, columns.SessionKey, previous);
            e.LoginKey = Pooled(pools.Values, row, columns.LoginKey, previous);
            // Unique per row: not pooled, and built only for readers that need it (a string per row).
            e.RequestId = pools.RequestIds ? Text(row, columns.RequestId) : null;
            e.Uri = uri;
            e.Method = Pooled(pools.Values, row, columns.Method, previous);
            e.Entity = entity;
            e.Soql = soql;
            e.Rows = Number(row, columns.Rows);
            e.JobId = Pooled(pools.Ids, row, columns.JobId, previous);
            e.JobState = Pooled(pools.Values, row, columns.JobState, previous);
            e.Operation = operation;
            e.LoginType = Pooled(pools.Values, row, columns.LoginType, previous);
            e.Status = Pooled(pools.Values, row, columns.Status, previous);
            e.FileIndex = fileIndex;
            e.Line = line;
            yield return e;
        }

        last.Flush(problems, isLastRow: true);
    }

    // The row of a cut line is also reported as malformed; this says why it was.
    private static void ReportCut(LineCapStream capped, FileProblems problems) => ReportCut(capped.CutLines, capped.MaxLineBytes, problems);

    /// <summary>Reports the lines the cap cut (after the file's rows, as a whole-file read does).</summary>
    internal static void ReportCut(IReadOnlyList<int> lines, int maxLineBytes, FileProblems problems)
    {
        foreach (var line in lines)
        {
            problems.Add(line, $"line longer than {maxLineBytes >> 20} MB: only its first {maxLineBytes >> 20} MB were read");
        }
    }

    private static IEnumerable<LogEvent> ReadAuditTrail(SepReader reader, Columns columns, LogFile file, int fileIndex, FileProblems problems)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var endsWithNewline = EndsWithNewline(file.FullPath);
        var last = Pending.None;
        foreach (var row in reader)
        {
            last.Flush(problems);
            last = Pending.None;
            var line = row.LineNumberFrom;
            if (row.ColCount != columns.Count)
            {
                last = Pending.Wrong(line, row.LineNumberToExcl, row.ColCount, columns.Count, endsWithNewline);
                continue;
            }

            if (row.Span.Contains('\uFFFD'))
            {
                problems.Add(line, "invalid UTF-8 in the row");
                continue;
            }

            var created = Text(row, columns.CreatedDate) ?? "";
            if (!LogTime.TryParseIso(created, out var time))
            {
                problems.Add(line, $"bad CreatedDate '{Clip(created)}' (expected ISO 8601 such as 2025-08-09T10:15:00.000+0000)", "CreatedDate");
                continue;
            }

            yield return new LogEvent
            {
                EventType = "SetupAuditTrail",
                Source = LogSourceKind.SetupAuditTrail,
                Time = time,
                UserId = Id(row, columns.UserId, ids),
                UserName = Text(row, columns.UserName),
                Action = Text(row, columns.Action),
                Section = Text(row, columns.Section),
                Display = Text(row, columns.Display),
                RequestId = Text(row, columns.RequestId),
                FileIndex = fileIndex,
                Line = line,
            };
        }

        last.Flush(problems, isLastRow: true);
    }

    private static string? Text(SepReader.Row row, int index)
    {
        if (index < 0)
        {
            return null;
        }

        var col = row[index];
        return col.Span.IsEmpty ? null : col.ToString();
    }

    private static ReadOnlySpan<char> Span(SepReader.Row row, int index) => index < 0 ? default : row[index].Span;

    // Runs for every row: fully optimized from its first call instead of tiering up (docs/hunt.md, Speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Pooled(SpanPool pool, SepReader.Row row, int index, LastValues[] previous) =>
        index < 0 ? null : pool.Get(row[index].Span, ref previous[index]);

    private static string? Id(SepReader.Row row, int index, Dictionary<string, string> cache)
    {
        var raw = Text(row, index);
        if (raw is null)
        {
            return null;
        }

        if (!cache.TryGetValue(raw, out var id))
        {
            id = SalesforceId.Normalize(raw);
            if (cache.Count < 100_000)
            {
                cache[raw] = id;
            }
        }

        return id;
    }

    private static long Number(SepReader.Row row, int[] indexes)
    {
        foreach (var index in indexes)
        {
            var span = row[index].Span;
            if (span.IsEmpty)
            {
                continue;
            }

            // Numeric columns are strings; some exports write 1000364.0.
            if (long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            if (double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real >= 0)
            {
                return (long)real;
            }
        }

        return -1;
    }

    /// <summary>The SOQL of a REST query URI (<c>/services/data/v58.0/query?q=SELECT+…</c>), decoded.</summary>
    internal static string? QueryFromUri(string? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var q = uri.IndexOf("q=", StringComparison.Ordinal);
        if (q < 0 || (q > 0 && uri[q - 1] is not ('?' or '&')))
        {
            return null;
        }

        var end = uri.IndexOf('&', q);
        var encoded = end < 0 ? uri[(q + 2)..] : uri[(q + 2)..end];
        return System.Net.WebUtility.UrlDecode(encoded);
    }

    private static ReadOnlySpan<char> JsonText(ReadOnlySpan<char> message, string key)
    {
        var at = message.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return default;
        }

        var rest = message[(at + key.Length)..];
        var end = rest.IndexOf('"');
        return end <= 0 ? default : rest[..end];
    }

    private static ReadOnlySpan<char> AuraAction(ReadOnlySpan<char> message)
    {
        var at = message.IndexOf("ACTION$", StringComparison.Ordinal);
        if (at < 0)
        {
            return default;
        }

        var rest = message[(at + "ACTION$".Length)..];
        var end = rest.IndexOfAny('"', '\\');
        return end <= 0 ? default : rest[..end];
    }

    /// <summary>
    /// One reading thread's values: columns of few distinct values cost one string each, not one per row.
    /// Reused across the ranges a thread reads, so each range does not learn them again.
    /// </summary>
    internal sealed class ReaderPools
    {
        // Decoded once per distinct URI (most have no q= at all); bounded like the pools.
        private readonly StringMemo<string?> _queries = new(uri => uri.Contains("q=", StringComparison.Ordinal) ? QueryFromUri(uri) : null, capacity: 16_384);

        public SpanPool Values { get; } = new();

        /// <summary>
        /// False for the hunt's first pass: none of its hunts reads REQUEST_ID (only the second pass's queries
        /// do), and the unique string per row was a third of what the first pass allocated.
        /// </summary>
        public bool RequestIds { get; init; } = true;

        /// <summary>
        /// Fill one scratch event again for every row instead of a new one (see <see cref="LogEvent.IsScratch"/>):
        /// only for a consumer that keeps <see cref="LogEvent.Keep"/>'s copy of any row it holds past the row.
        /// </summary>
        public bool Reuse { get; init; }

        /// <summary>The one event filled for every row when <see cref="Reuse"/> is set, across all the ranges a worker reads.</summary>
        public LogEvent Scratch => field ??= LogEvent.Scratch();

        public SpanPool Ids { get; } = new(normalize: SalesforceId.Normalize);

        public SpanPool Uris { get; } = new();

        public SpanPool Soql { get; } = new(capacity: 16_384);

        /// <summary>The SOQL of a REST query URI, decoded once per distinct URI.</summary>
        public string? QueryOf(string? uri) => uri is null ? null : _queries[uri];
    }

    private static string Clip(ReadOnlySpan<char> text) => text.Length > 40 ? string.Concat(text[..40], "…") : text.ToString();

    internal static bool EndsWithNewline(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length == 0)
            {
                return true;
            }

            stream.Seek(-1, SeekOrigin.End);
            return stream.ReadByte() == '\n';
        }
        catch (IOException)
        {
            return true;
        }
    }

    // A wrong-length row is held back one row: only the last row of a file lacking its final newline is "truncated".
    private readonly record struct Pending(int Line, int LineTo, int Count, int Expected, bool EndsWithNewline, bool Active)
    {
        public static Pending None => default;

        public static Pending Wrong(int line, int lineTo, int count, int expected, bool endsWithNewline) =>
            new(line, lineTo, count, expected, endsWithNewline, true);

        public void Flush(FileProblems problems, bool isLastRow = false)
        {
            if (!Active)
            {
                return;
            }

            if (isLastRow && !EndsWithNewline)
            {
                problems.Add(Line, $"truncated last line: {Count} of {Expected} columns and no final newline");
            }
            else if (LineTo - Line > 1)
            {
                problems.Add(Line, $"unbalanced quotes: a quoted field opened here is not closed on its line, so the row runs on over the following lines ({Count} columns, the header has {Expected})");
            }
            else
            {
                problems.Add(Line, $"wrong column count: {Count} columns, the header has {Expected}");
            }
        }
    }

    private sealed class Columns
    {
        public Columns(SepReaderHeader header)
        {
            Count = header.ColNames.Count;
            int Find(params string[] names)
            {
                foreach (var name in names)
                {
                    if (header.TryIndexOf(name, out var index))
                    {
                        return index;
                    }
                }

                return -1;
            }

            EventType = Find("EVENT_TYPE");
            Timestamp = Find("TIMESTAMP");
            TimestampDerived = Find("TIMESTAMP_DERIVED");
            UserId = Find("USER_ID", "CreatedById", "CreatedBy.Id");
            UserIdDerived = Find("USER_ID_DERIVED");
            UserName = Find("USER_NAME", "USERNAME", "CreatedBy.Username", "User");
            UserType = Find("USER_TYPE");
            ClientIp = Find("CLIENT_IP");
            SourceIp = Find("SOURCE_IP");
            UserAgent = Find("USER_AGENT", "BROWSER_TYPE");
            AppId = Find("CONNECTED_APP_ID");
            AppName = Find("CONNECTED_APP_NAME", "APP_NAME");
            SessionKey = Find("SESSION_KEY");
            LoginKey = Find("LOGIN_KEY");
            RequestId = Find("REQUEST_ID", "Id");
            Uri = Find("URI", "API_RESOURCE");
            Method = Find("METHOD", "HTTP_METHOD", "METHOD_NAME", "REQUEST_METHOD");
            Entity = Find("ENTITY_NAME", "ENTITY_TYPE", "QUERIED_ENTITIES", "OBJECT_NAME");
            Soql = Find("QUERY_IDENTIFIER", "QUERY", "SOQL");
            Rows = [.. new[] { "ROWS_PROCESSED", "ROW_COUNT", "RECORDS_PROCESSED", "NUMBER_RECORDS_PROCESSED", "RESULT_SIZE" }
                .Select(n => Find(n)).Where(i => i >= 0)];
            JobId = Find("JOB_ID");
            JobState = Find("JOB_STATUS", "JOB_STATE");
            Operation = Find("OPERATION_TYPE", "OPERATION");
            LoginType = Find("LOGIN_TYPE");
            Status = Find("LOGIN_STATUS", "REQUEST_STATUS", "STATUS_CODE");
            Action = Find("Action");
            Section = Find("Section");
            Display = Find("Display");
            CreatedDate = Find("CreatedDate", "Date");
            ActionMessage = Find("ACTION_MESSAGE");
        }

        public int Count { get; }

        /// <summary>The columns the reader reads on every row it keeps (the request id only for readers that ask for it).</summary>
        public int[] ReadPerRow =>
            [.. new[] { ClientIp, LoginKey, SessionKey, Timestamp >= 0 ? Timestamp : TimestampDerived, Uri, Soql, Entity, Operation, ActionMessage, EventType, UserIdDerived, UserId, UserName, UserType, UserAgent, AppId, AppName, Method, JobId, JobState, LoginType, Status }
                .Concat(Rows.Take(1)).Where(i => i >= 0).Distinct()];

        /// <summary>
        /// Columns read only on some rows: the source address when the client address is empty or Salesforce's
        /// own, the derived timestamp when TIMESTAMP is bad, a further row count when the first is empty.
        /// </summary>
        public int[] ReadOnSomeRows =>
            [.. new[] { SourceIp, TimestampDerived }.Concat(Rows.Skip(1)).Where(i => i >= 0).Except(ReadPerRow)];

        public bool IsAuditTrail => EventType < 0 && Action >= 0 && Section >= 0;

        public int EventType { get; }

        public int Timestamp { get; }

        public int TimestampDerived { get; }

        public int UserId { get; }

        public int UserIdDerived { get; }

        public int UserName { get; }

        public int UserType { get; }

        public int ClientIp { get; }

        public int SourceIp { get; }

        public int UserAgent { get; }

        public int AppId { get; }

        public int AppName { get; }

        public int SessionKey { get; }

        public int LoginKey { get; }

        public int RequestId { get; }

        public int Uri { get; }

        public int Method { get; }

        public int Entity { get; }

        public int Soql { get; }

        public int[] Rows { get; }

        public int JobId { get; }

        public int JobState { get; }

        public int Operation { get; }

        public int LoginType { get; }

        public int Status { get; }

        public int Action { get; }

        public int Section { get; }

        public int Display { get; }

        public int CreatedDate { get; }

        public int ActionMessage { get; }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Breachline.Common;
using nietras.SeparatedValues;

namespace Breachline.Forensics;

/// <summary>
/// Hunts an org export's logs for what was taken, by whom and when. Two streaming passes over files read in
/// parallel: the first keeps aggregates (first origins per identity, sessions, Bulk jobs, rows per user and
/// day) and the rows row-level hunts match, then decides the suspects; the second reads only the files that
/// hold a suspect's address or session and collects every malicious event. Memory follows the number of
/// identities, sessions and jobs, not the size of the logs.
/// </summary>
public static class HuntEngine
{
    /// <summary>Hunts the logs of the export at <paramref name="exportRoot"/>.</summary>
    public static HuntResult Run(string exportRoot, HuntOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.AppNames.Count == 0)
        {
            options = options with { AppNames = RecordNames(exportRoot, "ConnectedApplication", "Name") };
        }

        if (options.UserNames.Count == 0)
        {
            options = options with { UserNames = RecordNames(exportRoot, "User", "Username") };
        }

        return Run(LogFile.Discover(exportRoot), options, progress, cancellationToken);
    }

    /// <summary>
    /// Names by 18-character id from a record export of the export (records/&lt;Object&gt;.csv with Id and the
    /// name column), when present: ApiTotalUsage names connected apps only by id (ConnectedApplication.Name),
    /// and users who never log in, such as a site's guest user, have no username in the logs (User.Username).
    /// </summary>
    public static IReadOnlyDictionary<string, string> RecordNames(string exportRoot, string objectName, string nameField)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(exportRoot, "records", objectName + ".csv");
        if (!File.Exists(path))
        {
            return names;
        }

        try
        {
            using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path);
            if (!reader.Header.TryIndexOf("Id", out var id) || !reader.Header.TryIndexOf(nameField, out var name))
            {
                return names;
            }

            foreach (var row in reader)
            {
                if (row.ColCount > Math.Max(id, name))
                {
                    names[SalesforceId.Normalize(row[id].ToString())] = row[name].ToString();
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // Names are a convenience: without them apps and users are reported by id.
        }

        return names;
    }

    /// <summary>Hunts the given log files.</summary>
    public static HuntResult Run(IReadOnlyList<LogFile> files, HuntOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = new RulePlan(options.Rules);
        var problems = files.Select(f => new FileProblems(f.RelativePath)).ToArray();
        var reads = Enumerable.Range(0, files.Count).Select(i => new FileRead(files[i], i, problems[i])).ToArray();
        var totalBytes = Math.Max(1, files.Sum(f => f.Length));
        long doneBytes = 0;
        var threads = Math.Max(1, options.Threads);
        void Done(long bytes) => progress?.Report(0.7 * Interlocked.Add(ref doneBytes, bytes) / totalBytes);

        // First pass. A big CSV file is cut into ranges as it is read (and hashed) from start to end; each
        // range is parsed by whichever thread is free, so two threads share even one big file. The ranges'
        // aggregates are merged as they come in, in a fixed order (files biggest first, each from its start),
        // as if one thread had read them all: the result does not depend on the number of threads.
        var order = reads.OrderByDescending(r => r.File.Length).ThenBy(r => r.Index).ToArray();
        var all = new HuntAccumulator(plan, options);
        var merger = new Merger(all, order);
        var queue = new FileWorkQueue<Worker>();
        queue.Run(threads, order.Select(r => (Action<Worker>)(w => Start(r, w))), merger.Abort, cancellationToken);
        void Start(FileRead read, Worker worker)
        {
            if (read.File.Kind == LogFileKind.Csv && read.File.Length >= 2L * options.RangeBytes && read.OpenRanges(options.RangeBytes))
            {
                NextRange(read, worker);
                return;
            }

            queue.DoneCutting();
            var accumulator = new HuntAccumulator(plan, options, worker.Memo);
            var keys = new RangeKeys();
            foreach (var e in ReadFile(read.File, read.Index, read.Problems, sha256: hash => read.Sha256 = hash))
            {
                accumulator.Add(e);
                keys.Add(e);
            }

            merger.Complete(read, new RangeResult(null, accumulator, null, keys.Set));
            Done(read.File.Length);
        }

        void NextRange(FileRead read, Worker worker)
        {
            merger.WaitForRoom(read, read.Ranges!.Taken, 2 * threads);
            var range = read.Ranges.Next()!;
            if (range.IsLast)
            {
                queue.DoneCutting();
            }
            else
            {
                queue.Continue(w => NextRange(read, w));
            }

            try
            {
                var accumulator = new HuntAccumulator(plan, options, worker.Memo);
                var rangeProblems = new FileProblems(read.File.RelativePath);
                var keys = new RangeKeys();
                foreach (var e in EventLogCsvReader.ReadRange(range, read.Index, rangeProblems, null, read.EndsWithNewline, worker.Pools))
                {
                    accumulator.Add(e);
                    keys.Add(e);
                }

                merger.Complete(read, new RangeResult(range with { Buffer = [] }, accumulator, rangeProblems, keys.Set));
                Done(Math.Min(range.End, read.File.Length) - range.Start);
            }
            finally
            {
                range.Release();
            }
        }

        var analysis = new HuntAnalysis(all, plan, options);
        analysis.FindSuspects();

        // Second pass: only the files, or the ranges of a big file, that hold a suspect's address or session.
        var malicious = new ConcurrentBag<LogEvent>();
        if (analysis.HasSuspects)
        {
            var filter = analysis.SecondPassFilter();
            bool Wanted(HashSet<string> keys) => keys.Overlaps(analysis.SuspectIps) || keys.Overlaps(analysis.SuspectSessions);
            var parts = new List<(FileRead Read, CsvRange? Range, long Bytes)>();
            foreach (var read in reads)
            {
                if (read.RangeList.Count > 0 && read.Header is not null && !read.HadCutLines)
                {
                    parts.AddRange(read.RangeList.Where(r => Wanted(r.Keys)).Select(r => (read, (CsvRange?)r.Range, Math.Min(r.Range.End, read.File.Length) - r.Range.Start)));
                }
                else if (read.KeySets.Any(Wanted))
                {
                    parts.Add((read, null, read.File.Length));
                }
            }

            Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(parts.OrderByDescending(p => p.Bytes), EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
                part =>
                {
                    var ignored = new FileProblems(part.Read.File.RelativePath);
                    if (part.Range is null)
                    {
                        Collect(ReadFile(part.Read.File, part.Read.Index, ignored, filter));
                        return;
                    }

                    var range = CsvRanges.Reread(part.Read.File.FullPath, part.Read.Header!, part.Range);
                    try
                    {
                        Collect(EventLogCsvReader.ReadRange(range, part.Read.Index, ignored, filter, part.Read.EndsWithNewline, new EventLogCsvReader.ReaderPools()));
                    }
                    finally
                    {
                        range.Release();
                    }
                });

            void Collect(IEnumerable<LogEvent> events)
            {
                foreach (var e in events)
                {
                    if (analysis.IsMalicious(e))
                    {
                        malicious.Add(e);
                    }
                }
            }
        }

        progress?.Report(0.9);
        var hashes = new ConcurrentDictionary<int, string>(reads.Where(r => r.Sha256 is not null).Select(r => KeyValuePair.Create(r.Index, r.Sha256!)));
        var result = analysis.Build([.. malicious], files, problems, Hashes(files, hashes));
        progress?.Report(1);
        return result;
    }

    private static IEnumerable<LogEvent> ReadFile(LogFile file, int index, FileProblems problems, RowFilter? filter = null, Action<string>? sha256 = null) => file.Kind switch
    {
        LogFileKind.Csv => EventLogCsvReader.Read(file, index, problems, filter, sha256),
        LogFileKind.RealTimeJson or LogFileKind.GatewayJsonLines => JsonLogReader.Read(file, index, problems),
        _ => [],
    };

    /// <summary>
    /// The addresses and sessions met in one range, so the second pass re-reads only the ranges holding a
    /// suspect's. Rows of one session follow each other or alternate with another's: a value the same (pooled)
    /// string as one of the last two is not hashed again.
    /// </summary>
    private sealed class RangeKeys
    {
        private LastTwo<bool> _ips;
        private LastTwo<bool> _logins;
        private LastTwo<bool> _sessions;

        public HashSet<string> Set { get; } = new(StringComparer.Ordinal);

        public void Add(LogEvent e)
        {
            Note(e.Ip, ref _ips);
            Note(e.LoginKey, ref _logins);
            Note(e.SessionKey, ref _sessions);
        }

        private void Note(string? value, ref LastTwo<bool> recent)
        {
            if (value is not null && !recent.TryGet(value, out _))
            {
                Set.Add(value);
                recent.Remember(value, true);
            }
        }
    }

    // Evidence names a file by the SHA-256 of all its bytes: CSV files were hashed as the first pass read them;
    // others are hashed when the result cites them.
    private static Func<int, string> Hashes(IReadOnlyList<LogFile> files, ConcurrentDictionary<int, string> cache)
    {
        return index => cache.GetOrAdd(index, i =>
        {
            try
            {
                using var stream = File.OpenRead(files[i].FullPath);
                return Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            catch (IOException e)
            {
                throw new InputException(files[i].RelativePath, null, $"cannot hash for evidence: {e.Message}", inner: e);
            }
        });
    }

    /// <summary>What the first pass learnt from one range of a file (or from the whole file, read at once).</summary>
    private sealed record RangeResult(CsvRange? Range, HuntAccumulator Accumulator, FileProblems? Problems, HashSet<string> Keys);

    /// <summary>One file's first pass: its ranges' results, merged in order as they come in.</summary>
    private sealed class FileRead(LogFile file, int index, FileProblems problems)
    {
        public LogFile File { get; } = file;

        public int Index { get; } = index;

        public FileProblems Problems { get; } = problems;

        /// <summary>The cutter of a file read in ranges, until its last range has been merged.</summary>
        public CsvRanges? Ranges { get; private set; }

        public byte[]? Header { get; private set; }

        public bool EndsWithNewline { get; private set; } = true;

        public bool HadCutLines { get; private set; }

        public string? Sha256 { get; set; }

        /// <summary>The ranges read (without their bytes), with the addresses and sessions each holds.</summary>
        public List<(CsvRange Range, HashSet<string> Keys)> RangeList { get; } = [];

        public IEnumerable<HashSet<string>> KeySets => RangeList.Count > 0 ? RangeList.Select(r => r.Keys) : _keys;

        private readonly List<HashSet<string>> _keys = [];

        /// <summary>Starts reading the file in ranges; false when it must be read whole (unreadable, or not a plain Event Monitoring log).</summary>
        public bool OpenRanges(int rangeBytes)
        {
            try
            {
                Ranges = CsvRanges.Open(File.FullPath, rangeBytes, hash: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            if (Ranges is null || !EventLogCsvReader.CanReadInRanges(Ranges.Header))
            {
                Ranges?.Dispose();
                Ranges = null;
                return false;
            }

            Header = Ranges.Header;
            EndsWithNewline = EventLogCsvReader.EndsWithNewline(File.FullPath);
            return true;
        }

        /// <summary>Takes one range's problems and keys, in order; true when it was the file's last.</summary>
        public bool Take(RangeResult result)
        {
            if (result.Problems is not null)
            {
                Problems.Append(result.Problems);
            }

            if (result.Range is null)
            {
                _keys.Add(result.Keys);
                return true;
            }

            RangeList.Add((result.Range, result.Keys));
            if (result.Range.IsLast)
            {
                Finish();
            }

            return result.Range.IsLast;
        }

        // Once every range is in, the file as a whole: its cut lines (also reported as malformed rows) and hash.
        private void Finish()
        {
            var ranges = Ranges!;
            EventLogCsvReader.ReportCut(ranges.CutLines, ranges.MaxLineBytes, Problems);

            HadCutLines = ranges.CutLines.Count > 0;
            Sha256 = ranges.Sha256;
            ranges.Dispose();
            Ranges = null;
        }
    }

    /// <summary>
    /// Merges the results of the first pass into one accumulator in a fixed order, whichever thread finishes
    /// first: a result waits until those before it are in (at most about one per thread waits).
    /// </summary>
    private sealed class Merger(HuntAccumulator all, FileRead[] order)
    {
        private readonly Dictionary<(int File, int Range), (FileRead Read, RangeResult Result)> _waiting = [];
        private readonly Dictionary<FileRead, int> _position = order.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
        private int _file;
        private int _range;
        private bool _aborted;

        /// <summary>A thread failed: the results it owed will not come, so nobody waits for them.</summary>
        public void Abort()
        {
            lock (_waiting)
            {
                _aborted = true;
                Monitor.PulseAll(_waiting);
            }
        }

        public void Complete(FileRead read, RangeResult result)
        {
            lock (_waiting)
            {
                _waiting.Add((_position[read], result.Range?.Index ?? 0), (read, result));
                while (_waiting.Remove((_file, _range), out var next))
                {
                    all.Merge(next.Result.Accumulator);
                    if (next.Read.Take(next.Result))
                    {
                        _file++;
                        _range = 0;
                    }
                    else
                    {
                        _range++;
                    }
                }

                Monitor.PulseAll(_waiting);
            }
        }

        /// <summary>
        /// Holds a thread back from cutting range <paramref name="range"/> of <paramref name="read"/> while
        /// <paramref name="limit"/> results already wait for a slower one, so memory stays bounded when one
        /// thread is held up (on a busy machine). The range next in order never waits: the results before
        /// it are all being parsed, so waiting always ends.
        /// </summary>
        public void WaitForRoom(FileRead read, int range, int limit)
        {
            lock (_waiting)
            {
                while (!_aborted && _waiting.Count >= limit && (_position[read], range) != (_file, _range))
                {
                    Monitor.Wait(_waiting);
                }
            }
        }
    }

    /// <summary>A reading thread's own caches, kept across the files and ranges it reads.</summary>
    private sealed class Worker
    {
        public RuleMemo Memo { get; } = new();

        public EventLogCsvReader.ReaderPools Pools { get; } = new() { RequestIds = false, Reuse = true };
    }
}

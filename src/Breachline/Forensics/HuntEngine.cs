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
        var keys = new HashSet<string>[files.Count];
        var totalBytes = Math.Max(1, files.Sum(f => f.Length));
        long doneBytes = 0;
        var accumulators = new ConcurrentBag<HuntAccumulator>();
        var order = Enumerable.Range(0, files.Count).OrderByDescending(i => files[i].Length).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads), CancellationToken = cancellationToken };

        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering),
            parallel,
            () => new HuntAccumulator(plan, options),
            (index, _, accumulator) =>
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                foreach (var e in ReadFile(files[index], index, problems[index]))
                {
                    accumulator.Add(e);
                    AddKeys(set, e);
                }

                keys[index] = set;
                progress?.Report(0.7 * Interlocked.Add(ref doneBytes, files[index].Length) / totalBytes);
                return accumulator;
            },
            accumulators.Add);

        var all = new HuntAccumulator(plan, options);
        foreach (var accumulator in accumulators)
        {
            all.Merge(accumulator);
        }

        var analysis = new HuntAnalysis(all, plan, options);
        analysis.FindSuspects();

        // Second pass: only files that hold a suspect's address or session.
        var malicious = new ConcurrentBag<LogEvent>();
        if (analysis.HasSuspects)
        {
            var filter = analysis.SecondPassFilter();
            var wanted = Enumerable.Range(0, files.Count)
                .Where(i => keys[i].Overlaps(analysis.SuspectIps) || keys[i].Overlaps(analysis.SuspectSessions))
                .OrderByDescending(i => files[i].Length)
                .ToArray();
            Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(wanted, EnumerablePartitionerOptions.NoBuffering),
                parallel,
                index =>
                {
                    foreach (var e in ReadFile(files[index], index, new FileProblems(files[index].RelativePath), filter))
                    {
                        if (analysis.IsMalicious(e))
                        {
                            malicious.Add(e);
                        }
                    }
                });
        }

        progress?.Report(0.9);
        var result = analysis.Build([.. malicious], files, problems, Hashes(files));
        progress?.Report(1);
        return result;
    }

    private static IEnumerable<LogEvent> ReadFile(LogFile file, int index, FileProblems problems, RowFilter? filter = null) => file.Kind switch
    {
        LogFileKind.Csv => EventLogCsvReader.Read(file, index, problems, filter),
        LogFileKind.RealTimeJson or LogFileKind.GatewayJsonLines => JsonLogReader.Read(file, index, problems),
        _ => [],
    };

    private static void AddKeys(HashSet<string> set, LogEvent e)
    {
        if (e.Ip is { } ip)
        {
            set.Add(ip);
        }

        if (e.LoginKey is { } login)
        {
            set.Add(login);
        }

        if (e.SessionKey is { } session)
        {
            set.Add(session);
        }
    }

    // Evidence names a file by the SHA-256 of all its bytes; only files the result cites are hashed.
    private static Func<int, string> Hashes(IReadOnlyList<LogFile> files)
    {
        var cache = new ConcurrentDictionary<int, string>();
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
}

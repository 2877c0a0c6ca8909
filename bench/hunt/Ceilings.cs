using System.Diagnostics;
using System.Security.Cryptography;
using Breachline.Forensics;
using nietras.SeparatedValues;

namespace Breachline.Bench.Hunt;

/// <summary>
/// The fastest any hunt built like this one could go on this machine, from what it cannot skip: the evidence
/// hash of every byte (SHA-256), Sep splitting every row into columns, and then reading (unescaping and
/// trimming) the columns an event is built from, each measured on one thread, reading the files once, and
/// shared perfectly across the threads. A target above these ceilings is out of reach whatever the
/// hunting itself costs.
/// </summary>
internal static class Ceilings
{
    /// <summary>
    /// CPU seconds of one thread: reading the files alone, reading and hashing them, reading and splitting their
    /// rows, reading, splitting and reading the event's columns; and the throughput each ceiling allows on the
    /// threads given (a file read once, so the read counts once).
    /// </summary>
    public sealed record Ceiling(double ReadSeconds, double HashSeconds, double SplitSeconds, double ColumnsSeconds, long Rows, int Columns, double SplitGigabytesPerSecond, double ColumnsGigabytesPerSecond);

    /// <summary>Measures the ceiling for <paramref name="files"/> on <paramref name="threads"/> threads.</summary>
    public static Ceiling Measure(IReadOnlyList<LogFile> files, int threads)
    {
        var bytes = files.Sum(f => f.Length);
        var read = Cpu(() => Read(files, null));
        var hash = Cpu(() => Read(files, IncrementalHash.CreateHash(HashAlgorithmName.SHA256)));
        long rows = 0;
        var split = Cpu(() =>
        {
            foreach (var file in files)
            {
                // The reader's options: unescaping and trimming happen only for the columns asked for.
                using var reader = Sep.Reader(EventLogCsvReader.ReaderOptions).FromFile(file.FullPath);
                foreach (var _ in reader)
                {
                    rows++;
                }
            }
        });
        var columns = 0;
        var columnsSeconds = Cpu(() =>
        {
            long chars = 0;
            foreach (var file in files)
            {
                using var reader = Sep.Reader(EventLogCsvReader.ReaderOptions).FromFile(file.FullPath);
                var wanted = EventLogCsvReader.ColumnsReadPerRow(reader.Header);
                columns = Math.Max(columns, wanted.Length);
                foreach (var row in reader)
                {
                    foreach (var index in wanted)
                    {
                        chars += index < row.ColCount ? row[index].Span.Length : 0;
                    }
                }
            }

            GC.KeepAlive(chars);
        });
        double Allows(double cpu) => bytes / 1e9 / ((hash + cpu - read) / threads);
        return new Ceiling(read, hash, split, columnsSeconds, rows, columns, Allows(split), Allows(columnsSeconds));
    }

    private static void Read(IReadOnlyList<LogFile> files, IncrementalHash? sha)
    {
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                sha?.AppendData(buffer.AsSpan(0, read));
            }

            _ = sha?.GetHashAndReset();
        }

        sha?.Dispose();
    }

    // CPU rather than wall time: one thread does the work, and on a shared machine the wall clock also counts
    // the neighbours.
    private static double Cpu(Action work)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        work();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalSeconds;
    }
}

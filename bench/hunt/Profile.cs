using System.Diagnostics;
using System.Globalization;
using Breachline.Forensics;
using nietras.SeparatedValues;

namespace Breachline.Bench.Hunt;

/// <summary>
/// Where the hunt's time goes, one thread, stage by stage on the same files: Sep alone (every column's
/// span touched), the reader (events built), and the reader feeding the first pass's aggregates.
/// </summary>
internal static class Profile
{
    public static void Run(IReadOnlyList<LogFile> files, Indicators indicators)
    {
        var bytes = files.Sum(f => f.Length);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        void Report(string stage, Stopwatch sw, long rows)
        {
            // CPU time as well as wall time: on a shared machine the wall clock mostly measures the others.
            process.Refresh();
            var used = process.TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-28} {sw.Elapsed.TotalSeconds,7:0.00} s wall {used.TotalSeconds,7:0.00} s CPU  {bytes / 1e6 / used.TotalSeconds,7:0} MB/s of CPU  {rows} rows"));
            cpu = process.TotalProcessorTime;
            sw.Restart();
        }

        var sw = Stopwatch.StartNew();
        long rows = 0;
        long chars = 0;
        foreach (var file in files)
        {
            using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(file.FullPath);
            foreach (var row in reader)
            {
                rows++;
                for (var i = 0; i < row.ColCount; i++)
                {
                    chars += row[i].Span.Length;
                }
            }
        }

        Report("Sep, every column", sw, rows);

        rows = 0;
        for (var i = 0; i < files.Count; i++)
        {
            foreach (var e in EventLogCsvReader.Read(files[i], i, new FileProblems(files[i].RelativePath)))
            {
                rows += e.Line > 0 ? 1 : 0;
            }
        }

        Report("reader (events)", sw, rows);

        var options = new HuntOptions();
        var accumulator = new HuntAccumulator(new RulePlan(options.Rules), options);
        for (var i = 0; i < files.Count; i++)
        {
            foreach (var e in EventLogCsvReader.Read(files[i], i, new FileProblems(files[i].RelativePath)))
            {
                accumulator.Add(e);
            }
        }

        Report("reader + first-pass", sw, accumulator.Rows);

        var hunt = HuntEngine.Run(files, options with { Threads = 1, Indicators = indicators });
        Report("whole hunt, 1 thread", sw, hunt.Input.Rows);
    }
}

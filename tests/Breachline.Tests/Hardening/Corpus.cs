using System.Text;
using Breachline.Forensics;

namespace Breachline.Tests.Hardening;

/// <summary>
/// Builds malformed inputs in code (so large ones never sit in the repository) and reads them with the real
/// readers. Memory bounds are measured as bytes allocated on the test's thread: the readers are lazy and
/// run on it, and an allocation count, unlike a time, does not depend on the machine's load.
/// </summary>
internal static class Corpus
{
    public const string ElfHeader = "\"EVENT_TYPE\",\"TIMESTAMP\",\"USER_ID\",\"CLIENT_IP\",\"ROWS_PROCESSED\",\"QUERY\"";

    public static string ElfRow(string time = "20260313015214.123", string user = "0055j00000AT6I1", string rows = "12") =>
        $"\"RestApi\",\"{time}\",\"{user}\",\"203.0.113.7\",\"{rows}\",\"SELECT Id FROM Contact\"";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Lines(params string[] lines) => Utf8(string.Join("\n", lines) + "\n");

    /// <summary>Reads bytes as the log file <paramref name="name"/> of an export, with the reader its kind uses.</summary>
    public static (List<LogEvent> Events, FileProblems Problems) ReadLog(TempDir dir, string name, byte[] content, LogFileKind kind = LogFileKind.Csv)
    {
        var path = dir.Combine(name);
        File.WriteAllBytes(path, content);
        return ReadLogFile(path, name, kind);
    }

    public static (List<LogEvent> Events, FileProblems Problems) ReadLogFile(string path, string name, LogFileKind kind)
    {
        var file = new LogFile(path, "logs/" + name, kind, new FileInfo(path).Length);
        var problems = new FileProblems(file.RelativePath);
        var events = (kind == LogFileKind.Csv ? EventLogCsvReader.Read(file, 0, problems) : JsonLogReader.Read(file, 0, problems)).ToList();
        return (events, problems);
    }

    /// <summary>Bytes allocated on this thread while <paramref name="action"/> runs.</summary>
    public static long Allocated(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

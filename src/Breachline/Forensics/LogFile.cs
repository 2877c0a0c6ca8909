namespace Breachline.Forensics;

/// <summary>What a log file holds, decided from its place and name (and, for CSV, its header).</summary>
public enum LogFileKind
{
    /// <summary>CSV: an Event Monitoring log file or a SetupAuditTrail export (told apart by the header).</summary>
    Csv,

    /// <summary>Real-Time Event Monitoring records (JSON array, SOQL query result or JSON lines).</summary>
    RealTimeJson,

    /// <summary>API gateway access log (JSON lines).</summary>
    GatewayJsonLines,
}

/// <summary>One log file of an org export.</summary>
/// <param name="FullPath">Absolute path.</param>
/// <param name="RelativePath">Path relative to the org export root, forward slashes: what evidence cites.</param>
/// <param name="Kind">How to read it.</param>
/// <param name="Length">Size in bytes.</param>
public sealed record LogFile(string FullPath, string RelativePath, LogFileKind Kind, long Length)
{
    /// <summary>
    /// The log files of an export: <c>logs/**</c> (*.csv; *.json, *.jsonl, *.ndjson as RTEM) and
    /// <c>gateway/**</c> (*.jsonl, *.ndjson, *.json, *.log), in a stable order.
    /// </summary>
    public static IReadOnlyList<LogFile> Discover(string exportRoot)
    {
        var files = new List<LogFile>();
        Add(files, exportRoot, "logs", path => Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => LogFileKind.Csv,
            ".json" or ".jsonl" or ".ndjson" => LogFileKind.RealTimeJson,
            _ => null,
        });
        Add(files, exportRoot, "gateway", path => Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" or ".jsonl" or ".ndjson" or ".log" => LogFileKind.GatewayJsonLines,
            _ => null,
        });
        return files;
    }

    private static void Add(List<LogFile> files, string root, string folder, Func<string, LogFileKind?> kind)
    {
        var dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (kind(path) is { } k)
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                files.Add(new LogFile(path, relative, k, new FileInfo(path).Length));
            }
        }
    }
}

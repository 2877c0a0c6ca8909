using System.Collections.Concurrent;
using System.Security.Cryptography;
using Breachline.Posture.Secrets;
using Breachline.Salesforce;
using nietras.SeparatedValues;

namespace Breachline.Posture;

/// <summary>A text file of an integration, read once for the line-based checks.</summary>
/// <param name="Path">Path relative to the export root.</param>
/// <param name="Sha256">SHA-256 of the file.</param>
/// <param name="Lines">Its lines.</param>
public sealed record IntegrationTextFile(string Path, string Sha256, IReadOnlyList<string> Lines);

/// <summary>
/// What the checks look at, read lazily from one org export: the metadata model, the Event Monitoring event
/// types present in logs/, the text of integration configuration and code, and secret scans per folder.
/// </summary>
public sealed class ScanInputs
{
    /// <summary>Integration files larger than this are left to the streaming secret scan only.</summary>
    public const long MaxLineCheckedFileBytes = 4L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, SecretScanResult> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly Lazy<IReadOnlySet<string>> _eventTypes;
    private readonly Lazy<IReadOnlyList<IntegrationTextFile>> _integrationFiles;
    private readonly List<Common.InputProblem> _problems = [];
    private readonly List<Common.InputProblem> _notes = [];
    private readonly SecretScanner _scanner;

    /// <summary>Reads an export rooted at <paramref name="root"/> with the given metadata model.</summary>
    public ScanInputs(string root, OrgMetadata metadata, SecretScanner? scanner = null)
    {
        Root = Path.GetFullPath(root);
        Metadata = metadata;
        _scanner = scanner ?? SecretScanner.BuiltIn;
        _eventTypes = new(ReadEventTypes);
        _integrationFiles = new(ReadIntegrationFiles);
    }

    /// <summary>The export root.</summary>
    public string Root { get; }

    /// <summary>The metadata model.</summary>
    public OrgMetadata Metadata { get; }

    /// <summary>True when the export has a logs/ folder (logging coverage is judged only then).</summary>
    public bool HasLogs => Directory.Exists(Path.Combine(Root, "logs"));

    /// <summary>Event types found in logs/ (EVENT_TYPE column of Event Monitoring CSV; SetupAuditTrail by its header).</summary>
    public IReadOnlySet<string> EventTypes => _eventTypes.Value;

    /// <summary>Text files under integrations/.</summary>
    public IReadOnlyList<IntegrationTextFile> IntegrationTextFiles => _integrationFiles.Value;

    /// <summary>Problems met while reading (unreadable logs, skipped files), for the scan's report.</summary>
    public IReadOnlyList<Common.InputProblem> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Files read partly on purpose (too large for the line-based checks), for the scan's report.</summary>
    public IReadOnlyList<Common.InputProblem> Notes
    {
        get
        {
            lock (_notes)
            {
                return [.. _notes];
            }
        }
    }

    /// <summary>The secret scan of one export folder (cached).</summary>
    public SecretScanResult SecretsIn(string folder) =>
        _secrets.GetOrAdd(folder, f => _scanner.ScanTree(Path.Combine(Root, f), Root));

    /// <summary>SHA-256 of a file of the export, by relative path (cached).</summary>
    public string Sha256Of(string relativePath) =>
        _hashes.GetOrAdd(relativePath, p =>
        {
            using var stream = File.OpenRead(Path.Combine(Root, p));
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });

    /// <summary>Every secret-scan result computed so far.</summary>
    public IReadOnlyDictionary<string, SecretScanResult> SecretScans => _secrets;

    private void Problem(string path, int? line, string message)
    {
        lock (_problems)
        {
            _problems.Add(new Common.InputProblem(path, line, message));
        }
    }

    private HashSet<string> ReadEventTypes()
    {
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var logs = Path.Combine(Root, "logs");
        if (!Directory.Exists(logs))
        {
            return types;
        }

        foreach (var file in Directory.EnumerateFiles(logs, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            try
            {
                using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(file);
                var columns = reader.Header.ColNames;
                if (columns.Contains("EVENT_TYPE"))
                {
                    // An EventLogFile CSV holds one event type; a merged file may hold several, so read a sample of rows.
                    var rows = 0;
                    foreach (var row in reader)
                    {
                        types.Add(row["EVENT_TYPE"].ToString());
                        if (++rows >= 1000)
                        {
                            break;
                        }
                    }
                }
                else if (columns.Contains("Action") && columns.Contains("Section"))
                {
                    types.Add("SetupAuditTrail");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
            {
                Problem(relative, null, $"cannot be read as CSV: {e.Message}");
            }
        }

        return types;
    }

    private List<IntegrationTextFile> ReadIntegrationFiles()
    {
        var files = new List<IntegrationTextFile>();
        var dir = Path.Combine(Root, "integrations");
        if (!Directory.Exists(dir))
        {
            return files;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(dir, "*", options).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            var info = new FileInfo(file);
            if (relative.Contains("/node_modules/", StringComparison.Ordinal))
            {
                continue;
            }

            if (info.Length > MaxLineCheckedFileBytes)
            {
                // Said, not silent: the reader must know which checks did not look at the file.
                lock (_notes)
                {
                    _notes.Add(new Common.InputProblem(relative, null, $"larger than {MaxLineCheckedFileBytes / (1024 * 1024)} MB: scanned for secrets only, not by the line-based integration checks (insecure transfer, request logging)"));
                }

                continue;
            }

            if (info.Length == 0)
            {
                // Nothing to check, and not opened: a named pipe or device also reports 0 and would block the open.
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_problems)
                {
                    _problems.Add(new Common.InputProblem(relative, null, $"cannot be read: {e.Message}"));
                }

                continue;
            }

            if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
            {
                continue;
            }

            var text = new System.Text.UTF8Encoding(false, false).GetString(bytes);
            files.Add(new IntegrationTextFile(relative, Convert.ToHexStringLower(SHA256.HashData(bytes)), text.Split('\n').Select(l => l.TrimEnd('\r')).ToList()));
        }

        return files;
    }
}

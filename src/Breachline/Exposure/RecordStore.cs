using System.Security.Cryptography;
using Breachline.Common;
using nietras.SeparatedValues;

namespace Breachline.Exposure;

/// <summary>One record export: <c>records/&lt;Object&gt;.csv</c>, Data Loader layout, header = field API names.</summary>
/// <param name="Object">Object API name (the file name).</param>
/// <param name="Path">Full path.</param>
/// <param name="RelativePath">Path relative to the org export, forward slashes.</param>
/// <param name="Columns">Header names, in file order.</param>
/// <param name="KeyPrefix">The first three characters of the first record's Id (Salesforce's object key prefix), when known.</param>
public sealed record RecordFile(string Object, string Path, string RelativePath, IReadOnlyList<string> Columns, string? KeyPrefix)
{
    /// <summary>Index of a column by API name (case-insensitive), or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when the export has that column.</summary>
    public bool Has(string column) => IndexOf(column) >= 0;

    /// <summary>The SHA-256 of the file, for evidence references (computed when asked).</summary>
    public string Sha256()
    {
        using var stream = File.OpenRead(Path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>
/// The record exports of an org (records/): which objects are there, their columns, and a streaming reader
/// that names the file and line of every row it cannot read. One unreadable file never stops the others.
/// </summary>
public sealed class RecordStore
{
    private readonly Dictionary<string, RecordFile> _files = new(StringComparer.OrdinalIgnoreCase);

    private RecordStore(string root)
    {
        Root = root;
    }

    /// <summary>The records folder.</summary>
    public string Root { get; }

    /// <summary>Files that could be opened, by object.</summary>
    public IReadOnlyCollection<RecordFile> Files => _files.Values;

    /// <summary>Problems met opening the files.</summary>
    public List<InputProblem> Problems { get; } = [];

    /// <summary>Exports present but unreadable as record exports (no header, no Id column, I/O error), by object: the reason and the rows they hold (-1 unknown).</summary>
    public Dictionary<string, (string RelativePath, string Reason, long Rows)> Unreadable { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lists and opens every <c>*.csv</c> under <paramref name="recordsDir"/> (none when it does not exist).</summary>
    /// <param name="recordsDir">The records folder.</param>
    /// <param name="exportRoot">Paths in evidence and messages are relative to it.</param>
    public static RecordStore Open(string recordsDir, string exportRoot)
    {
        var store = new RecordStore(recordsDir);
        if (!Directory.Exists(recordsDir))
        {
            return store;
        }

        foreach (var path in Directory.EnumerateFiles(recordsDir, "*.csv").Order(StringComparer.Ordinal))
        {
            var relative = System.IO.Path.GetRelativePath(exportRoot, path).Replace('\\', '/');
            var obj = System.IO.Path.GetFileNameWithoutExtension(path);
            try
            {
                using var reader = OpenReader(path);
                if (reader.Header.IsEmpty)
                {
                    store.Problems.Add(new InputProblem(relative, 1, "empty file: no header row"));
                    store.Unreadable[obj] = (relative, "empty file", 0);
                    continue;
                }

                var columns = reader.Header.ColNames.ToList();
                if (!columns.Contains("Id", StringComparer.OrdinalIgnoreCase))
                {
                    store.Problems.Add(new InputProblem(relative, 1, "no Id column: a record export's header names field API names with Id first; its records cannot be told apart or led to people", "Id"));
                    long rows = 0;
                    foreach (var _ in reader)
                    {
                        rows++;
                    }

                    store.Unreadable[obj] = (relative, "no Id column", rows);
                    continue;
                }

                string? prefix = null;
                var id = columns.FindIndex(c => string.Equals(c, "Id", StringComparison.OrdinalIgnoreCase));
                foreach (var row in reader)
                {
                    if (row.ColCount > id && row[id].Span.Length >= 15)
                    {
                        prefix = row[id].Span[..3].ToString();
                    }

                    break;
                }

                store._files[obj] = new RecordFile(obj, path, relative, columns, prefix);
            }
            catch (ArgumentException e)
            {
                store.Problems.Add(new InputProblem(relative, 1, CsvHeaderProblem.Describe(e), "header"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                store.Problems.Add(new InputProblem(relative, null, $"cannot read: {e.Message}"));
                store.Unreadable[obj] = (relative, "cannot be read", -1);
            }
        }

        return store;
    }

    /// <summary>The export of an object, or null.</summary>
    public RecordFile? Find(string obj) => _files.GetValueOrDefault(obj);

    /// <summary>The object whose Ids start with <paramref name="prefix"/>, or null.</summary>
    public string? ObjectOfPrefix(string prefix) =>
        _files.Values.FirstOrDefault(f => string.Equals(f.KeyPrefix, prefix, StringComparison.Ordinal))?.Object;

    /// <summary>Opens a Sep reader the way every record export is read: unescaped, trimmed, column count checked by the caller.</summary>
    internal static SepReader OpenReader(string path) =>
        Sep.Reader(o => o with
        {
            Unescape = true,
            DisableColCountCheck = true,
            ColNameComparer = StringComparer.OrdinalIgnoreCase,
        }).FromFile(path);

    /// <summary>
    /// Reads the named columns of every row as strings (small tables: users, profiles, lookups). Rows with the
    /// wrong number of cells are reported and skipped.
    /// </summary>
    public IEnumerable<string[]> ReadColumns(RecordFile file, IReadOnlyList<string> columns, List<InputProblem> problems)
    {
        var index = columns.Select(file.IndexOf).ToArray();
        using var reader = OpenReader(file.Path);
        var count = file.Columns.Count;
        foreach (var row in reader)
        {
            if (row.ColCount != count)
            {
                problems.Add(new InputProblem(file.RelativePath, row.LineNumberFrom, $"row has {row.ColCount} cells, the header has {count}; the row is skipped"));
                continue;
            }

            var values = new string[index.Length];
            for (var i = 0; i < index.Length; i++)
            {
                values[i] = index[i] >= 0 ? row[index[i]].ToString() : "";
            }

            yield return values;
        }
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Breachline.Posture.Secrets;

/// <summary>A secret found in a file. The value itself is never kept: only its first characters and its length.</summary>
/// <param name="RuleId">The secret pattern that matched.</param>
/// <param name="Title">What the secret is.</param>
/// <param name="Severity">How bad its exposure is.</param>
/// <param name="Path">File path relative to the scanned root, forward slashes.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column (UTF-16 characters).</param>
/// <param name="Masked">The first 4 characters followed by an ellipsis.</param>
/// <param name="Length">The secret's length in characters.</param>
public sealed record SecretFinding(string RuleId, string Title, Severity Severity, string Path, int Line, int Column, string Masked, int Length)
{
    /// <summary>The masked value with its length, as shown to people: <c>AKIA…(20)</c>.</summary>
    public string Display => $"{Masked}({Length})";
}

/// <summary>A match that is not a finding, and why (placeholder, reference, test fixture, inline marker, documented example).</summary>
public sealed record SuppressedSecret(string RuleId, string Path, int Line, int Column, string Reason);

/// <summary>Something about one file the person should know: skipped as binary, not valid UTF-8, unreadable.</summary>
public sealed record SecretFileNote(string Path, string Message);

/// <summary>The result of scanning files for secrets.</summary>
public sealed record SecretScanResult(
    IReadOnlyList<SecretFinding> Findings,
    IReadOnlyList<SuppressedSecret> Suppressed,
    IReadOnlyList<SecretFileNote> Notes,
    int FilesScanned,
    long CharactersScanned);

/// <summary>
/// Finds secrets in text files: one pass of a multi-literal prefilter (all keywords of all patterns, case-
/// insensitive, vectorised by <see cref="SearchValues{T}"/>) picks the patterns worth running and the
/// windows around each hit; only those run their precise regex; then entropy, documented examples,
/// placeholders, environment references, fixtures and inline markers decide what is a finding. Files are
/// read in bounded chunks, so a 100 MB single-line file costs one chunk of memory, not 100 MB.
/// </summary>
public sealed class SecretScanner
{
    /// <summary>Characters read per chunk.</summary>
    public const int ChunkCharacters = 1 << 20;

    // A match must fit in the overlap kept between chunks of one line; the longest patterns are PEM bodies.
    private const int Overlap = 16 * 1024;
    private const int WindowBefore = 512;
    private const int WindowAfter = 1024;
    private const int MultilineWindow = 12 * 1024;

    private readonly SecretRules _rules;
    private readonly SearchValues<string> _keywords;
    private readonly Dictionary<char, (string Keyword, int[] Patterns)[]> _byFirstChar;

    /// <summary>Creates a scanner over a rule set (usually <see cref="SecretRules.BuiltIn"/>).</summary>
    public SecretScanner(SecretRules rules)
    {
        _rules = rules;
        var keywordPatterns = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Patterns.Count; i++)
        {
            foreach (var keyword in rules.Patterns[i].Keywords)
            {
                if (!keywordPatterns.TryGetValue(keyword, out var list))
                {
                    keywordPatterns[keyword] = list = [];
                }

                list.Add(i);
            }
        }

        _keywords = SearchValues.Create([.. keywordPatterns.Keys], StringComparison.OrdinalIgnoreCase);
        _byFirstChar = keywordPatterns
            .GroupBy(k => char.ToLowerInvariant(k.Key[0]))
            .ToDictionary(g => g.Key, g => g.Select(k => (k.Key, k.Value.ToArray())).ToArray());
    }

    /// <summary>The scanner over the shipped patterns.</summary>
    public static SecretScanner BuiltIn { get; } = new(SecretRules.BuiltIn);

    /// <summary>
    /// Scans every file under <paramref name="directory"/>; paths are reported relative to
    /// <paramref name="relativeTo"/>. Files are scanned in parallel (up to <paramref name="parallelism"/>);
    /// results are sorted by path, line and column.
    /// </summary>
    public SecretScanResult ScanTree(string directory, string relativeTo, int parallelism = 0)
    {
        var root = Path.GetFullPath(relativeTo);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var files = Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", options) : [];
        var sink = new ConcurrentBag<FileResult>();
        Parallel.ForEach(
            files.Where(f => !IsToolFolder(f)),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount },
            file => sink.Add(ScanFile(file, Path.GetRelativePath(root, file).Replace('\\', '/'))));
        return Combine(sink);
    }

    /// <summary>Scans text already in memory, reported as <paramref name="path"/>.</summary>
    public SecretScanResult ScanText(string text, string path = "input")
    {
        using var reader = new StringReader(text);
        var result = new FileResult(path);
        ScanReader(reader, result);
        return Combine([result]);
    }

    /// <summary>Scans one file.</summary>
    internal FileResult ScanFile(string fullPath, string relativePath)
    {
        var result = new FileResult(relativePath);
        if (_rules.BinaryExtensions.Contains(Path.GetExtension(fullPath)))
        {
            result.Notes.Add(new SecretFileNote(relativePath, $"skipped: binary file type ({Path.GetExtension(fullPath)})"));
            return result;
        }

        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            var head = new byte[8192];
            var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var utf16 = headLength >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
            if (!utf16 && head.AsSpan(0, headLength).Contains((byte)0))
            {
                result.Notes.Add(new SecretFileNote(relativePath, "skipped: binary content (NUL bytes in the first 8 KB)"));
                return result;
            }

            stream.Position = 0;
            using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            ScanReader(reader, result);
            if (result.InvalidText)
            {
                result.Notes.Add(new SecretFileNote(relativePath, "contains bytes that are not valid UTF-8; they were read as U+FFFD and the rest of the file was scanned"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result.Notes.Add(new SecretFileNote(relativePath, $"cannot be read: {e.Message}"));
        }

        return result;
    }

    private static bool IsToolFolder(string path) =>
        path.Contains("/node_modules/", StringComparison.Ordinal) || path.Contains("/.git/", StringComparison.Ordinal);

    private static SecretScanResult Combine(IEnumerable<FileResult> results)
    {
        var all = results.ToList();
        return new SecretScanResult(
            [.. all.SelectMany(r => r.Findings).OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)],
            [.. all.SelectMany(r => r.Suppressed).OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column)],
            [.. all.SelectMany(r => r.Notes).OrderBy(n => n.Path, StringComparer.Ordinal)],
            all.Count(r => r.Scanned),
            all.Sum(r => r.Characters));
    }

    private void ScanReader(TextReader reader, FileResult result)
    {
        result.Scanned = true;
        var isTestFixture = _rules.TestPaths.Any(r => r.IsMatch(result.Path));
        var buffer = ArrayPool<char>.Shared.Rent(ChunkCharacters + Overlap);
        try
        {
            var filled = 0;
            var line = 1;
            var column = 1; // column of buffer[0]
            long absolute = 0; // offset of buffer[0] in the file
            var lastEnd = new long[_rules.Patterns.Count];
            var eof = false;
            while (true)
            {
                while (!eof && filled < buffer.Length)
                {
                    var read = reader.Read(buffer, filled, buffer.Length - filled);
                    if (read == 0)
                    {
                        eof = true;
                    }

                    filled += read;
                }

                if (filled == 0)
                {
                    break;
                }

                var span = buffer.AsSpan(0, filled);
                if (!result.InvalidText && span.Contains('\uFFFD'))
                {
                    result.InvalidText = true;
                }

                int cut;
                if (eof)
                {
                    cut = filled;
                }
                else
                {
                    // Keep whole lines when we can; a line longer than a chunk is split with an overlap.
                    var newline = span[..(filled - Overlap)].LastIndexOf('\n');
                    cut = newline >= 0 ? newline + 1 : filled - Overlap;
                }

                var text = new string(span);
                ScanRegion(text, cut, absolute, line, column, lastEnd, isTestFixture, result);
                result.Characters += cut;

                var consumed = span[..cut];
                var newlines = consumed.Count('\n');
                if (newlines > 0)
                {
                    line += newlines;
                    column = cut - consumed.LastIndexOf('\n');
                }
                else
                {
                    column += cut;
                }

                absolute += cut;
                span[cut..].CopyTo(buffer);
                filled -= cut;
                if (eof && filled == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private void ScanRegion(string text, int reportBefore, long absolute, int firstLine, int firstColumn, long[] lastEnd, bool isTestFixture, FileResult result)
    {
        var windows = new List<(int Start, int End)>?[_rules.Patterns.Count];
        var span = text.AsSpan();
        var position = 0;
        while (position < text.Length)
        {
            var hit = span[position..].IndexOfAny(_keywords);
            if (hit < 0)
            {
                break;
            }

            hit += position;
            if (_byFirstChar.TryGetValue(char.ToLowerInvariant(text[hit]), out var candidates))
            {
                foreach (var (keyword, patterns) in candidates)
                {
                    if (!span[hit..].StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    foreach (var p in patterns)
                    {
                        AddWindow(ref windows[p], span, hit, _rules.Patterns[p].Multiline);
                    }
                }
            }

            position = hit + 1;
        }

        var matches = new List<(int Index, int Pattern, int SecretIndex, string Secret)>();
        for (var p = 0; p < windows.Length; p++)
        {
            if (windows[p] is not { } list)
            {
                continue;
            }

            var pattern = _rules.Patterns[p];
            foreach (var (start, end) in list)
            {
                for (var m = pattern.Regex.Match(text, start, end - start); m.Success; m = m.NextMatch())
                {
                    if (m.Index >= reportBefore || absolute + m.Index < lastEnd[p])
                    {
                        continue;
                    }

                    var group = pattern.HasSecretGroup && m.Groups["secret"].Success ? m.Groups["secret"] : (System.Text.RegularExpressions.Capture)m;
                    matches.Add((m.Index, p, group.Index, group.Value));
                    lastEnd[p] = absolute + m.Index + m.Length;
                }
            }
        }

        if (matches.Count == 0)
        {
            return;
        }

        matches.Sort((a, b) => a.SecretIndex.CompareTo(b.SecretIndex));
        var line = firstLine;
        var lineStart = -firstColumn + 1; // index in text where the current line starts (may be negative)
        var cursor = 0;
        foreach (var (_, p, index, secret) in matches)
        {
            while (cursor < index)
            {
                var next = span[cursor..index].IndexOf('\n');
                if (next < 0)
                {
                    cursor = index;
                    break;
                }

                cursor += next + 1;
                line++;
                lineStart = cursor;
            }

            var column = index - lineStart + 1;
            var pattern = _rules.Patterns[p];
            var reason = Suppression(pattern, secret, LineAround(span, index, secret.Length), isTestFixture);
            if (reason == "")
            {
                continue;
            }

            if (reason is null)
            {
                result.Findings.Add(new SecretFinding(pattern.Id, pattern.Title, pattern.Severity, result.Path, line, column, Mask(secret), secret.Length));
            }
            else
            {
                result.Suppressed.Add(new SuppressedSecret(pattern.Id, result.Path, line, column, reason));
            }
        }
    }

    private static void AddWindow(ref List<(int Start, int End)>? windows, ReadOnlySpan<char> span, int hit, bool multiline)
    {
        int start, end;
        if (multiline)
        {
            start = Math.Max(0, hit - 64);
            end = Math.Min(span.Length, hit + MultilineWindow);
        }
        else
        {
            var from = Math.Max(0, hit - WindowBefore);
            var before = span[from..hit].LastIndexOf('\n');
            start = before >= 0 ? from + before + 1 : from;
            var to = Math.Min(span.Length, hit + WindowAfter);
            var after = span[hit..to].IndexOf('\n');
            end = after >= 0 ? hit + after : to;
        }

        windows ??= [];
        if (windows.Count > 0 && start <= windows[^1].End)
        {
            windows[^1] = (windows[^1].Start, Math.Max(end, windows[^1].End));
        }
        else
        {
            windows.Add((start, end));
        }
    }

    private static ReadOnlySpan<char> LineAround(ReadOnlySpan<char> span, int index, int length)
    {
        var from = Math.Max(0, index - 1024);
        var before = span[from..index].LastIndexOf('\n');
        var start = before >= 0 ? from + before + 1 : from;
        var to = Math.Min(span.Length, index + length + 1024);
        var after = span[index..to].IndexOf('\n');
        var end = after >= 0 ? index + after : to;
        return span[start..end];
    }

    /// <summary>Null: a finding. Empty: not a secret at all (too little entropy). Otherwise why it is not a finding.</summary>
    private string? Suppression(SecretPattern pattern, string secret, ReadOnlySpan<char> line, bool isTestFixture)
    {
        if (Entropy.Shannon(secret) < pattern.MinEntropy)
        {
            return "";
        }

        if (pattern.Allow.Any(a => a.IsMatch(secret)))
        {
            return "documented example value";
        }

        if (_rules.References.Any(r => r.IsMatch(secret)))
        {
            return "reference to an environment variable, template or vault";
        }

        if (_rules.Placeholders.Any(r => r.IsMatch(secret)))
        {
            return "placeholder";
        }

        foreach (var marker in _rules.InlineMarkers)
        {
            if (line.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return $"flagged as a fixture on its line ({marker})";
            }
        }

        return isTestFixture ? "test fixture path" : null;
    }

    /// <summary>The first 4 characters and an ellipsis; never more of the secret.</summary>
    public static string Mask(string secret) => secret.Length <= 4 ? new string('*', secret.Length) : secret[..4] + "…";

    internal sealed class FileResult(string path)
    {
        public string Path { get; } = path;

        public List<SecretFinding> Findings { get; } = [];

        public List<SuppressedSecret> Suppressed { get; } = [];

        public List<SecretFileNote> Notes { get; } = [];

        public bool Scanned { get; set; }

        public bool InvalidText { get; set; }

        public long Characters { get; set; }
    }
}

/// <summary>Shannon entropy of a string, in bits per character.</summary>
public static class Entropy
{
    /// <summary>Computes H = −Σ p·log2 p over the characters of <paramref name="text"/>.</summary>
    public static double Shannon(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (var c in text)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        double h = 0;
        foreach (var n in counts.Values)
        {
            var p = (double)n / text.Length;
            h -= p * Math.Log2(p);
        }

        return h;
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

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
/// Finds secrets in text files: one pass of a four-character filter (a bit per hashed, case-folded 4-gram that starts
/// a keyword of some pattern) finds the places where a keyword may start, the keyword table confirms them; an anchored pattern tries its regex only at
/// its hits (after a cheap check of what must follow the keyword), the others on the line around them; then
/// entropy, documented examples, placeholders, environment references, fixtures and inline markers decide what is
/// a finding. A file of up to 1 MB is read whole into pooled buffers; a larger one is read in bounded chunks, so a
/// 100 MB single-line file costs one chunk of memory, not 100 MB. Regexes run on spans: a string is made only for
/// a match.
/// </summary>
public sealed class SecretScanner
{
    /// <summary>Characters read per chunk; files up to this many bytes are read whole.</summary>
    public const int ChunkCharacters = 1 << 20;

    // A match must fit in the overlap kept between chunks of one line; the longest patterns are PEM bodies.
    private const int Overlap = 16 * 1024;
    // The longest stretch of a secret before its keyword (Azure DevOps tokens end in "AZDO" + 4 characters).
    private const int WindowBefore = 96;
    private const int WindowAfter = 1024;
    private const int MultilineWindow = 12 * 1024;
    // Context kept around a match when it is re-run on a string to read its groups; covers every lookaround.
    private const int GroupContext = 256;
    private const int BinaryProbe = 8192;

    private readonly SecretRules _rules;
    private readonly ConcurrentBag<RegexSet> _regexSets = [];
    private int _sharedRegexSetTaken;
    // The prefilter. With more than about 90 literals SearchValues<string> falls back to a scalar Aho-Corasick that
    // ran at 230 MB/s on the bench tree (and Teddy over groups of 24+ literals let through too many candidates);
    // a rolling hash of the last four case-folded characters tested against a 512 KB bitset runs at 800+ MB/s and
    // lets through almost only true keyword starts. A keyword of one character is tested on its own (its 4-grams
    // would fill the bitset); a keyword of two or three characters sets every 4-gram it can start.
    private const int FilterBits = 22;
    private readonly ulong[] _filter = new ulong[(1 << FilterBits) / 64];
    private readonly HashSet<char> _singleCharacterKeywords = [];
    private readonly SearchValues<char>? _singles;
    // Keywords by their first two ASCII characters folded to lower case (index c0 * 128 + c1); a keyword of one
    // character fills its whole row. Non-ASCII text never starts a keyword.
    private readonly (string Keyword, int[] Patterns)[]?[] _byBigram = new (string, int[])[]?[128 * 128];

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

        var keywords = keywordPatterns.Keys.ToList();
        SearchLiterals = [.. keywords.Where(k => !keywords.Any(o => o.Length < k.Length && k.StartsWith(o, StringComparison.Ordinal))).Order(StringComparer.Ordinal)];
        foreach (var literal in SearchLiterals)
        {
            AddToFilter(literal);
        }

        _singles = _singleCharacterKeywords.Count > 0 ? SearchValues.Create([.. _singleCharacterKeywords]) : null;

        var buckets = new List<(string, int[])>?[128 * 128];
        foreach (var (keyword, patterns) in keywordPatterns)
        {
            if (keyword.Any(c => c >= 128))
            {
                throw new ArgumentException($"keyword '{keyword}' is not ASCII", nameof(rules));
            }

            var first = Fold(keyword[0]);
            var seconds = keyword.Length > 1 ? [Fold(keyword[1])] : Enumerable.Range(0, 128).Select(c => Fold((char)c)).Distinct();
            foreach (var second in seconds)
            {
                (buckets[(first * 128) + second] ??= []).Add((keyword, patterns.ToArray()));
            }
        }

        for (var i = 0; i < buckets.Length; i++)
        {
            _byBigram[i] = buckets[i]?.ToArray();
        }
    }

    private void AddToFilter(string literal)
    {
        if (literal.Length == 1)
        {
            _singleCharacterKeywords.Add(char.ToLowerInvariant(literal[0]));
            _singleCharacterKeywords.Add(char.ToUpperInvariant(literal[0]));
            return;
        }

        // Every folded ASCII value, and 0 (what non-ASCII characters and the padding after the end fold to).
        // (FoldTable is not initialised yet when BuiltIn is constructed: static fields initialise in file order.)
        static uint Folded(int c) => c == 127 ? 0u : (uint)Fold((char)c);
        var anyCharacter = Enumerable.Range(0, 128).Select(Folded).Distinct().ToArray();
        IEnumerable<uint> grams = [0];
        for (var i = 0; i < 4; i++)
        {
            var position = i;
            grams = position < literal.Length
                ? grams.Select(g => (g << 7) | Folded(literal[position]))
                : grams.SelectMany(g => anyCharacter.Select(c => (g << 7) | c));
        }

        foreach (var gram in grams)
        {
            var bit = GramBit(gram);
            _filter[bit >> 6] |= 1UL << (int)bit;
        }
    }

    private static uint GramBit(uint gram) => (gram * 0x9E3779B1u) >> (32 - FilterBits);

    /// <summary>The literals the prefilter searches for: every keyword that does not start with another.</summary>
    public IReadOnlyList<string> SearchLiterals { get; }

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
        // Largest first, one file at a time: the default chunking of an enumerable could leave one thread with
        // the last big chunk while the other waits.
        var bySize = files.Where(f => !IsToolFolder(f)).Select(f => (Path: f, Size: SizeOf(f))).OrderByDescending(f => f.Size).ToList();
        Parallel.ForEach(
            Partitioner.Create(bySize, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount },
            TakeRegexSet,
            (file, _, regexes) =>
            {
                sink.Add(ScanFile(file.Path, Path.GetRelativePath(root, file.Path).Replace('\\', '/'), file.Size, regexes));
                return regexes;
            },
            _regexSets.Add);
        return Combine(sink);
    }

    /// <summary>Scans text already in memory, reported as <paramref name="path"/>.</summary>
    public SecretScanResult ScanText(string text, string path = "input")
    {
        var result = new FileResult(path);
        var regexes = TakeRegexSet();
        try
        {
            if (text.Length <= ChunkCharacters)
            {
                ScanWhole(text, result, regexes);
            }
            else
            {
                using var reader = new StringReader(text);
                ScanReader(reader, result, regexes);
            }
        }
        finally
        {
            _regexSets.Add(regexes);
        }

        return Combine([result]);
    }

    /// <summary>Scans one file of <paramref name="size"/> bytes (as listed; -1 when unknown).</summary>
    internal FileResult ScanFile(string fullPath, string relativePath, long size, RegexSet regexes)
    {
        var result = new FileResult(relativePath);
        if (_rules.BinaryExtensions.Contains(Path.GetExtension(fullPath)))
        {
            result.Notes.Add(new SecretFileNote(relativePath, $"skipped: binary file type ({Path.GetExtension(fullPath)})"));
            return result;
        }

        try
        {
            if (size == 0)
            {
                // Nothing to scan, and not opened: a named pipe or a device also reports 0, and opening one blocks.
                result.Scanned = true;
                return result;
            }

            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length <= ChunkCharacters)
            {
                ScanSmallFile(stream, result, regexes);
            }
            else
            {
                ScanLargeFile(stream, result, regexes);
            }

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

    private static bool IsUtf16(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));

    private static bool LooksBinary(ReadOnlySpan<byte> head, FileResult result)
    {
        if (IsUtf16(head) || !head[..Math.Min(head.Length, BinaryProbe)].Contains((byte)0))
        {
            return false;
        }

        result.Notes.Add(new SecretFileNote(result.Path, "skipped: binary content (NUL bytes in the first 8 KB)"));
        return true;
    }

    // Most files are small: one pooled byte buffer, one pooled char buffer, no string for the file.
    private void ScanSmallFile(FileStream stream, FileResult result, RegexSet regexes)
    {
        var length = (int)stream.Length;
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        char[]? chars = null;
        try
        {
            length = stream.ReadAtLeast(bytes.AsSpan(0, length), length, throwOnEndOfStream: false);
            var data = bytes.AsSpan(0, length);
            if (LooksBinary(data, result))
            {
                return;
            }

            Encoding encoding = Encoding.UTF8;
            var preamble = 0;
            if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                preamble = 3;
            }
            else if (IsUtf16(data))
            {
                encoding = data[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
                preamble = 2;
            }

            data = data[preamble..];
            chars = ArrayPool<char>.Shared.Rent(Math.Max(encoding.GetMaxCharCount(data.Length), 1));
            var count = encoding.GetChars(data, chars);
            var text = chars.AsSpan(0, count);
            result.InvalidText = preamble == 2 ? text.Contains('\uFFFD') : !System.Text.Unicode.Utf8.IsValid(data);
            ScanWhole(text, result, regexes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    private void ScanLargeFile(FileStream stream, FileResult result, RegexSet regexes)
    {
        var head = ArrayPool<byte>.Shared.Rent(BinaryProbe);
        try
        {
            var headLength = stream.ReadAtLeast(head.AsSpan(0, BinaryProbe), BinaryProbe, throwOnEndOfStream: false);
            if (LooksBinary(head.AsSpan(0, headLength), result))
            {
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }

        stream.Position = 0;
        using var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        ScanReader(reader, result, regexes);
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1; // unknown: the open that follows reports why
        }
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

    private void ScanWhole(ReadOnlySpan<char> text, FileResult result, RegexSet regexes)
    {
        result.Scanned = true;
        var state = new ScanState(_rules.Patterns.Count, _rules.TestPaths.Any(r => r.IsMatch(result.Path)), regexes);
        ScanRegion(text, text.Length, 0, 1, 1, state, result);
        result.Characters += text.Length;
    }

    private void ScanReader(TextReader reader, FileResult result, RegexSet regexes)
    {
        result.Scanned = true;
        var state = new ScanState(_rules.Patterns.Count, _rules.TestPaths.Any(r => r.IsMatch(result.Path)), regexes);
        var buffer = ArrayPool<char>.Shared.Rent(ChunkCharacters + Overlap);
        try
        {
            var filled = 0;
            var line = 1;
            var column = 1; // column of buffer[0]
            long absolute = 0; // offset of buffer[0] in the file
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

                ScanRegion(span, cut, absolute, line, column, state, result);
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

    /// <summary>
    /// Scans <paramref name="span"/>, reporting only matches that start before <paramref name="reportBefore"/> (the rest
    /// is scanned again with the next chunk); <paramref name="absolute"/>, <paramref name="firstLine"/> and
    /// <paramref name="firstColumn"/> place span[0] in the file.
    /// </summary>
    private void ScanRegion(ReadOnlySpan<char> span, int reportBefore, long absolute, int firstLine, int firstColumn, ScanState state, FileResult result)
    {
        var patterns = _rules.Patterns;
        List<(int Start, int End)>?[]? windows = null;
        List<Candidate>? matches = null;
        var lastHit = state.LastHit;
        Array.Fill(lastHit, -1);
        var keywordCursor = new KeywordCursor(span, _filter, _singles);
        while (keywordCursor.Next(out var hit))
        {
            if (KeywordsAt(span, hit) is not { } candidates)
            {
                continue;
            }

            // A keyword names several patterns that mostly share their checks: the line around the hit and the
            // "follows" test are computed once per hit (on keyword-dense code this halved the scan's time).
            (int Start, int End) lineWindow = (-1, -1);
            var followsChecked = new FollowsMemo();
            foreach (var (keyword, keywordPatterns) in candidates)
            {
                if (!span[hit..].StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var p in keywordPatterns)
                {
                    var pattern = patterns[p];
                    if (pattern.Follows is { } follows && !followsChecked.Follows(span, hit + keyword.Length, pattern.FollowsWithin, follows))
                    {
                        continue;
                    }

                    if ((pattern.Anchored || !pattern.Multiline) && lineWindow.Start < 0)
                    {
                        lineWindow = LineWindow(span, hit);
                    }

                    if (!pattern.Anchored)
                    {
                        AddWindow(ref (windows ??= new List<(int, int)>?[patterns.Count])[p], pattern.Multiline ? MultilineWindowAround(span, hit) : lineWindow);
                        continue;
                    }

                    if (lastHit[p] == hit || hit >= reportBefore)
                    {
                        continue;
                    }

                    lastHit[p] = hit;
                    var (start, end) = lineWindow;
                    if (state.Regexes.Pattern(p).IsMatch(span[start..end], hit - start))
                    {
                        Record(ref matches, span, start, end, hit, p, reportBefore, absolute, state);
                    }
                }
            }
        }

        for (var p = 0; windows is not null && p < windows.Length; p++)
        {
            foreach (var (start, end) in windows[p] ?? [])
            {
                foreach (var m in state.Regexes.Pattern(p).EnumerateMatches(span[start..end]))
                {
                    Record(ref matches, span, start, end, start + m.Index, p, reportBefore, absolute, state);
                }
            }
        }

        if (matches is null)
        {
            return;
        }

        matches.Sort((a, b) => a.SecretIndex.CompareTo(b.SecretIndex));
        var line = firstLine;
        var lineStart = -firstColumn + 1; // index in span where the current line starts (may be negative)
        var cursor = 0;
        foreach (var (p, index, secret) in matches)
        {
            var pattern = patterns[p];
            if (pattern.Generic && matches.Exists(o => (!patterns[o.Pattern].Generic || o.Pattern < p) && o.SecretIndex < index + secret.Length && index < o.SecretIndex + o.Secret.Length))
            {
                // A format-specific pattern (or the first generic one) names this secret already; one finding per secret.
                continue;
            }

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
            var reason = Suppression(pattern, secret, LineAround(span, index, secret.Length), state);
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

    /// <summary>
    /// Keeps a regex match found on a span at <paramref name="index"/>: re-runs the regex on a string of the window
    /// around it (lookarounds see what they saw on the span) to read the match and its <c>secret</c> group.
    /// </summary>
    private void Record(ref List<Candidate>? matches, ReadOnlySpan<char> span, int windowStart, int windowEnd, int index, int p, int reportBefore, long absolute, ScanState state)
    {
        if (index >= reportBefore || absolute + index < state.LastEnd[p])
        {
            return;
        }

        var pattern = _rules.Patterns[p];
        var from = Math.Max(windowStart, index - GroupContext);
        var context = new string(span[from..windowEnd]);
        var m = state.Regexes.Pattern(p).Match(context, index - from);
        if (!m.Success || m.Index != index - from)
        {
            // Only a lookaround reaching further back than GroupContext could get here.
            return;
        }

        state.LastEnd[p] = absolute + index + m.Length;
        var (secretIndex, secret) = pattern.HasSecretGroup && m.Groups["secret"] is { Success: true } g
            ? (from + g.Index, g.Value)
            : (index, m.Value);
        (matches ??= []).Add(new Candidate(p, secretIndex, secret));
    }

    /// <summary>Every place in <paramref name="text"/> where a keyword starts, with the keyword (for tests of the prefilter).</summary>
    internal List<(int Start, string Keyword)> KeywordStarts(string text)
    {
        var hits = new List<(int, string)>();
        var cursor = new KeywordCursor(text, _filter, _singles);
        while (cursor.Next(out var hit))
        {
            foreach (var (keyword, _) in KeywordsAt(text, hit) ?? [])
            {
                if (text.AsSpan(hit).StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
                {
                    hits.Add((hit, keyword));
                }
            }
        }

        return hits;
    }

    // The keywords that may start at a place the filter let through, by its first two characters.
    private (string Keyword, int[] Patterns)[]? KeywordsAt(ReadOnlySpan<char> span, int hit)
    {
        // A non-ASCII second character can only follow a keyword of one character, whose row holds 0 as well.
        int c0 = span[hit], c1 = hit + 1 < span.Length && span[hit + 1] < 128 ? span[hit + 1] : 0;
        return c0 >= 128 ? null : _byBigram[(Fold((char)c0) * 128) + Fold((char)c1)];
    }

    /// <summary>
    /// Walks a text to the places where a keyword may start, in order: a rolling hash of the last four case-folded
    /// characters is tested against the filter's bits; after the last character, three steps of padding push the
    /// gram on so that keywords of three characters or fewer at the very end are seen (a gram seen at step i
    /// starts at i - 3). Keywords of one character are found by a vectorised search of their own and merged in.
    /// </summary>
    private ref struct KeywordCursor(ReadOnlySpan<char> text, ulong[] filter, SearchValues<char>? singles)
    {
        private const int Unknown = -2;
        private const uint GramMask = 0x0FFFFFFF;
        private readonly ReadOnlySpan<char> _text = text;
        private uint _gram;
        private int _next;
        private int _held = Unknown;
        private int _singleFrom;
        private int _nextSingle = singles is null ? -1 : Unknown;

        public bool Next(out int start)
        {
            var gramHit = _held != Unknown ? _held : NextGram();
            _held = Unknown;
            var single = NextSingle();
            if (single >= 0 && (gramHit < 0 || single <= gramHit))
            {
                _singleFrom = single + 1;
                _nextSingle = Unknown;
                if (gramHit != single)
                {
                    _held = gramHit;
                }

                start = single;
                return true;
            }

            start = gramHit;
            return gramHit >= 0;
        }

        private int NextSingle()
        {
            if (_nextSingle == Unknown)
            {
                var found = _text[_singleFrom..].IndexOfAny(singles!);
                _nextSingle = found < 0 ? -1 : _singleFrom + found;
            }

            return _nextSingle;
        }

        // The hot loop of the scan. The fold table has an entry for every UTF-16 value and the filter's length is
        // fixed by FilterBits, so neither lookup can leave its array: they skip the bounds checks.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int NextGram()
        {
            var text = _text;
            ref var bits = ref MemoryMarshal.GetArrayDataReference(filter);
            ref var fold = ref MemoryMarshal.GetArrayDataReference(WideFoldTable);
            var gram = _gram;
            var i = _next;
            for (; i < text.Length; i++)
            {
                gram = ((gram << 7) | Unsafe.Add(ref fold, text[i])) & GramMask;
                var bit = GramBit(gram);
                if ((Unsafe.Add(ref bits, (int)(bit >> 6)) & (1UL << (int)bit)) != 0 && i >= 3)
                {
                    (_gram, _next) = (gram, i + 1);
                    return i - 3;
                }
            }

            for (; i < text.Length + 3; i++)
            {
                gram = (gram << 7) & GramMask;
                var bit = GramBit(gram);
                if ((Unsafe.Add(ref bits, (int)(bit >> 6)) & (1UL << (int)bit)) != 0 && i >= 3)
                {
                    (_gram, _next) = (gram, i + 1);
                    return i - 3;
                }
            }

            (_gram, _next) = (gram, i);
            return -1;
        }
    }

    /// <summary>The last "follows" test of one hit and its answer: the patterns of one keyword mostly ask the same.</summary>
    private struct FollowsMemo
    {
        private SearchValues<char>? _follows;
        private int _from;
        private int _within;
        private bool _answer;

        public bool Follows(ReadOnlySpan<char> span, int from, int within, SearchValues<char> follows)
        {
            if (!ReferenceEquals(follows, _follows) || from != _from || within != _within)
            {
                (_follows, _from, _within) = (follows, from, within);
                _answer = SecretScanner.Follows(span, from, within, follows);
            }

            return _answer;
        }
    }

    /// <summary>True when one of <paramref name="follows"/> (which holds the line feed too) is within <paramref name="within"/> characters of <paramref name="from"/> on its line.</summary>
    private static bool Follows(ReadOnlySpan<char> span, int from, int within, SearchValues<char> follows)
    {
        var found = span.Slice(from, Math.Min(within, span.Length - from)).IndexOfAny(follows);
        return found >= 0 && span[from + found] != '\n';
    }

    private static (int Start, int End) LineWindow(ReadOnlySpan<char> span, int hit)
    {
        var from = Math.Max(0, hit - WindowBefore);
        var before = span[from..hit].LastIndexOf('\n');
        var start = before >= 0 ? from + before + 1 : from;
        var to = Math.Min(span.Length, hit + WindowAfter);
        var after = span[hit..to].IndexOf('\n');
        return (start, after >= 0 ? hit + after : to);
    }

    // DEL folds to 0 like the padding: every character from 127 up is clamped to it before the lookup.
    private static readonly byte[] FoldTable = [.. Enumerable.Range(0, 128).Select(c => c == 127 ? (byte)0 : (byte)Fold((char)c))];

    // The same for every UTF-16 value: non-ASCII characters fold to 0, as DEL and the padding do. (Only the first two
    // cache lines are touched by ASCII text.)
    private static readonly byte[] WideFoldTable = [.. Enumerable.Range(0, 65536).Select(c => c < 128 ? FoldTable[c] : (byte)0)];

    private static int Fold(char c) => c is >= 'A' and <= 'Z' ? c + 32 : c;

    private static (int Start, int End) MultilineWindowAround(ReadOnlySpan<char> span, int hit) =>
        (Math.Max(0, hit - 64), Math.Min(span.Length, hit + MultilineWindow));

    private static void AddWindow(ref List<(int Start, int End)>? windows, (int Start, int End) window)
    {
        var (start, end) = window;
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
    private string? Suppression(SecretPattern pattern, string secret, ReadOnlySpan<char> line, ScanState state)
    {
        if (Entropy.Shannon(secret) < pattern.MinEntropy)
        {
            return "";
        }

        if (pattern.Allow.Any(a => a.IsMatch(secret)))
        {
            return "documented example value";
        }

        if (state.Regexes.References.Any(r => r.IsMatch(secret)))
        {
            return "reference to an environment variable, template or vault";
        }

        if (state.Regexes.Placeholders.Any(r => r.IsMatch(secret)) || (!pattern.KeepCommonWords && state.Regexes.PlaceholderWords.Any(r => r.IsMatch(secret))))
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

        return state.IsTestFixture ? "test fixture path" : null;
    }

    /// <summary>The first 4 characters and an ellipsis; never more of the secret.</summary>
    public static string Mask(string secret) => secret.Length <= 4 ? new string('*', secret.Length) : secret[..4] + "…";

    private readonly record struct Candidate(int Pattern, int SecretIndex, string Secret);

    /// <summary>What one file's scan carries from chunk to chunk.</summary>
    private sealed class ScanState(int patterns, bool isTestFixture, RegexSet regexes)
    {
        public bool IsTestFixture { get; } = isTestFixture;

        public RegexSet Regexes { get; } = regexes;

        // Offset in the file where each pattern's last match ended: the overlap between chunks is not reported twice.
        public long[] LastEnd { get; } = new long[patterns];

        // The last keyword hit at which each anchored pattern was tried (two keywords can start at one place).
        public int[] LastHit { get; } = new int[patterns];
    }

    private RegexSet TakeRegexSet() =>
        _regexSets.TryTake(out var set) ? set : new RegexSet(_rules, shared: Interlocked.Exchange(ref _sharedRegexSetTaken, 1) == 0);

    /// <summary>
    /// One thread's regular expressions. A <see cref="Regex"/> caches a single runner, so two threads matching with
    /// one instance keep building runners for each other (measured on the bench tree: 60% more allocation and a
    /// third more CPU on two threads). The first set uses the rule set's own instances; another copies a regex
    /// the first time its thread needs it (compiled on first use, ~2 ms each, only for the patterns that hit).
    /// </summary>
    internal sealed class RegexSet(SecretRules rules, bool shared)
    {
        private readonly Regex?[] _patterns = new Regex?[rules.Patterns.Count];
        private List<Regex>? _references;
        private List<Regex>? _placeholders;
        private List<Regex>? _placeholderWords;

        public Regex Pattern(int p) => shared ? rules.Patterns[p].Regex : (_patterns[p] ??= Copy(rules.Patterns[p].Regex));

        public IReadOnlyList<Regex> References => shared ? rules.References : (_references ??= [.. rules.References.Select(Copy)]);

        public IReadOnlyList<Regex> Placeholders => shared ? rules.Placeholders : (_placeholders ??= [.. rules.Placeholders.Select(Copy)]);

        public IReadOnlyList<Regex> PlaceholderWords => shared ? rules.PlaceholderWords : (_placeholderWords ??= [.. rules.PlaceholderWords.Select(Copy)]);

        private static Regex Copy(Regex regex) => new(regex.ToString(), regex.Options, regex.MatchTimeout);
    }

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

        // Secrets are almost always ASCII: count those on the stack, the rest (if any) in a dictionary.
        Span<int> ascii = stackalloc int[128];
        Dictionary<char, int>? other = null;
        foreach (var c in text)
        {
            if (c < 128)
            {
                ascii[c]++;
            }
            else
            {
                other ??= [];
                other[c] = other.GetValueOrDefault(c) + 1;
            }
        }

        double h = 0;
        void Add(int n)
        {
            var p = (double)n / text.Length;
            h -= p * Math.Log2(p);
        }

        foreach (var n in ascii)
        {
            if (n > 0)
            {
                Add(n);
            }
        }

        foreach (var n in other?.Values ?? Enumerable.Empty<int>())
        {
            Add(n);
        }

        return h;
    }
}

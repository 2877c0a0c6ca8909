using System.Buffers;
using System.Text.RegularExpressions;
using Breachline.Common;

namespace Breachline.Posture.Secrets;

/// <summary>One secret-pattern file (<c>data/secrets/*.yaml</c>) as written.</summary>
public sealed class SecretPatternFile : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Family name; must match the file name.</summary>
    public string Family { get; set; } = "";

    /// <summary>
    /// True for patterns recognised by a key name rather than by the secret's own format (<c>password=</c>);
    /// their match yields to a format-specific pattern's match on the same characters.
    /// </summary>
    public bool Generic { get; set; }

    /// <summary>The patterns.</summary>
    public List<SecretPatternEntry> Patterns { get; set; } = [];
}

/// <summary>One secret pattern as written in its data file.</summary>
public sealed class SecretPatternEntry : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Stable id, e.g. <c>aws-access-key-id</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>What the secret is.</summary>
    public string Title { get; set; } = "";

    /// <summary>critical, high, medium, low.</summary>
    public string Severity { get; set; } = "";

    /// <summary>Literals (matched without regard to case) of which one must occur near a match; the prefilter.</summary>
    public List<string> Keywords { get; set; } = [];

    /// <summary>.NET regular expression; the secret is the group <c>secret</c>, else the whole match.</summary>
    public string Regex { get; set; } = "";

    /// <summary>Minimum Shannon entropy (bits per character) of the secret.</summary>
    public double MinEntropy { get; set; }

    /// <summary>Regexes on the secret that mark documented example values.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>True when a match may span lines (PEM blocks).</summary>
    public bool Multiline { get; set; }

    /// <summary>
    /// True when every match starts where one of the keywords starts: the regex is then tried only at the
    /// keyword hits (anchored with <c>\G</c>) instead of across the line around them.
    /// </summary>
    public bool Anchored { get; set; }

    /// <summary>Characters of which one must follow the keyword on its line within <see cref="FollowsWithin"/> characters before the regex is tried (an assignment operator, say).</summary>
    public string Follows { get; set; } = "";

    /// <summary>How many characters after the keyword are searched for <see cref="Follows"/>.</summary>
    public int FollowsWithin { get; set; }

    /// <summary>True when a common word (secret, password, admin…) is still reported: in a URL or connection string it is a working password.</summary>
    public bool KeepCommonWords { get; set; }

    /// <summary>Where the format is documented.</summary>
    public string Reference { get; set; } = "";

    /// <summary>When the format was last checked against that reference.</summary>
    public string CheckedOn { get; set; } = "";
}

/// <summary>The filters that tell placeholders, environment references and test fixtures from real secrets.</summary>
public sealed class SecretFilterFile : ISourceLine
{
    /// <inheritdoc />
    public int Line { get; set; }

    /// <summary>Regexes on the secret value that mark a placeholder shape (&lt;your-key&gt;, xxxx…).</summary>
    public List<string> Placeholders { get; set; } = [];

    /// <summary>Regexes on the secret value that mark a common word standing in for one (changeme, password, secret…).</summary>
    public List<string> PlaceholderWords { get; set; } = [];

    /// <summary>Regexes on the secret value that mark a reference to an environment variable or a vault.</summary>
    public List<string> References { get; set; } = [];

    /// <summary>Regexes on the file path (forward slashes) of test fixtures.</summary>
    public List<string> TestPaths { get; set; } = [];

    /// <summary>Markers on the same line by which a developer flags a deliberate fixture value.</summary>
    public List<string> InlineMarkers { get; set; } = [];

    /// <summary>File extensions never read as text (images, archives, …).</summary>
    public List<string> BinaryExtensions { get; set; } = [];

    /// <summary>When the lists were last reviewed.</summary>
    public string CheckedOn { get; set; } = "";
}

/// <summary>A secret pattern, validated and compiled.</summary>
/// <param name="Regex">The pattern's regex; for an anchored pattern it starts with <c>\G</c>, so it is tried only where the scan starts it.</param>
/// <param name="Follows">One of these characters must follow a keyword hit on its line (within <paramref name="FollowsWithin"/> characters); null when the pattern has no such check. The set also holds the line feed, which ends the search.</param>
/// <param name="Generic">A key-name pattern whose match yields to a format-specific one on the same characters.</param>
public sealed record SecretPattern(
    string Id,
    string Title,
    Severity Severity,
    IReadOnlyList<string> Keywords,
    Regex Regex,
    bool HasSecretGroup,
    double MinEntropy,
    IReadOnlyList<Regex> Allow,
    bool Multiline,
    string Reference,
    bool Anchored = false,
    SearchValues<char>? Follows = null,
    int FollowsWithin = 0,
    bool Generic = false,
    bool KeepCommonWords = false);

/// <summary>Every secret pattern and filter, loaded from <c>data/secrets/</c> and validated.</summary>
public sealed class SecretRules
{
    private const RegexOptions Compiled = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private const RegexOptions FilterOptions = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private static readonly Lazy<SecretRules> BuiltInRules = new(LoadBuiltIn);

    private SecretRules(IReadOnlyList<SecretPattern> patterns, SecretFilterFile filters)
    {
        Patterns = patterns;
        Placeholders = Alternation(filters.Placeholders);
        PlaceholderWords = Alternation(filters.PlaceholderWords);
        References = Alternation(filters.References);
        TestPaths = [.. filters.TestPaths.Select(p => new Regex(p, FilterOptions, MatchTimeout))];
        InlineMarkers = filters.InlineMarkers;
        BinaryExtensions = new HashSet<string>(filters.BinaryExtensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
    }

    // Every candidate secret is tested against each filter list: one regex per list instead of one per entry (the
    // entries only ever answer "any of them?"). An entry with groups keeps its own regex, so that its
    // backreferences still count from its own first group.
    private static List<Regex> Alternation(IReadOnlyList<string> patterns)
    {
        var alone = patterns.Where(p => new Regex(p, FilterOptions & ~RegexOptions.Compiled).GetGroupNumbers().Length > 1).ToList();
        var together = patterns.Except(alone).ToList();
        var regexes = alone.Select(p => new Regex(p, FilterOptions, MatchTimeout)).ToList();
        if (together.Count > 0)
        {
            regexes.Insert(0, new Regex(string.Join('|', together.Select(p => $"(?:{p})")), FilterOptions, MatchTimeout));
        }

        return regexes;
    }

    /// <summary>The shipped patterns (loaded once).</summary>
    public static SecretRules BuiltIn => BuiltInRules.Value;

    /// <summary>The patterns.</summary>
    public IReadOnlyList<SecretPattern> Patterns { get; }

    /// <summary>Placeholder filters.</summary>
    public IReadOnlyList<Regex> Placeholders { get; }

    /// <summary>Common-word placeholder filters (not applied to patterns that keep common words).</summary>
    public IReadOnlyList<Regex> PlaceholderWords { get; }

    /// <summary>Environment/vault reference filters.</summary>
    public IReadOnlyList<Regex> References { get; }

    /// <summary>Test fixture path filters.</summary>
    public IReadOnlyList<Regex> TestPaths { get; }

    /// <summary>Inline allow markers.</summary>
    public IReadOnlyList<string> InlineMarkers { get; }

    /// <summary>Extensions skipped as binary without reading.</summary>
    public IReadOnlySet<string> BinaryExtensions { get; }

    /// <summary>Loads and validates pattern files and the filter file from parsed DTOs (used for the built-in set and for tests).</summary>
    /// <exception cref="InputException">Any entry is invalid; every problem is listed with file, line, entry and field.</exception>
    public static SecretRules Create(IEnumerable<(string FileName, SecretPatternFile File)> files, (string FileName, SecretFilterFile File) filters)
    {
        var patterns = new List<SecretPattern>();
        var problems = new List<InputProblem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fileName, file) in files)
        {
            var errors = new DataFileErrors(fileName);
            var expectedFamily = Path.GetFileNameWithoutExtension(fileName);
            if (file.Family != expectedFamily)
            {
                errors.Add(file.Line, null, "family", $"'{file.Family}' does not match the file name '{expectedFamily}'");
            }

            foreach (var entry in file.Patterns)
            {
                if (Validate(entry, errors, ids) is { } pattern)
                {
                    patterns.Add(pattern with { Generic = file.Generic });
                }
            }

            try
            {
                errors.ThrowIfAny();
            }
            catch (InputException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        var filterErrors = new DataFileErrors(filters.FileName);
        foreach (var (list, field) in new[] { (filters.File.Placeholders, "placeholders"), (filters.File.PlaceholderWords, "placeholderWords"), (filters.File.References, "references"), (filters.File.TestPaths, "testPaths") })
        {
            foreach (var regex in list)
            {
                if (CompileError(regex, FilterOptions) is { } error)
                {
                    filterErrors.Add(filters.File.Line, null, field, $"'{regex}' is not a valid regular expression: {error}");
                }
            }
        }

        try
        {
            filterErrors.ThrowIfAny();
        }
        catch (InputException e)
        {
            problems.AddRange(e.Problems);
        }

        if (problems.Count > 0)
        {
            throw new InputException(problems);
        }

        return new SecretRules(patterns, filters.File);
    }

    private static SecretRules LoadBuiltIn()
    {
        var files = DataFile.ListEmbedded("data/secrets/")
            .Where(n => !n.EndsWith("/filters.yaml", StringComparison.Ordinal))
            .Select(n => (n, DataFile.LoadEmbedded<SecretPatternFile>(n)));
        const string FiltersName = "data/secrets/filters.yaml";
        return Create(files, (FiltersName, DataFile.LoadEmbedded<SecretFilterFile>(FiltersName)));
    }

    private static SecretPattern? Validate(SecretPatternEntry entry, DataFileErrors errors, HashSet<string> ids)
    {
        var name = string.IsNullOrEmpty(entry.Id) ? $"pattern at line {entry.Line}" : entry.Id;
        var ok = true;
        void Fail(string field, string message)
        {
            errors.Add(entry.Line, name, field, message);
            ok = false;
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(entry.Id, "^[a-z0-9]+(-[a-z0-9]+)*$"))
        {
            Fail("id", "is required: lower-case words joined by '-'");
        }
        else if (!ids.Add(entry.Id))
        {
            Fail("id", "is used twice");
        }

        if (string.IsNullOrWhiteSpace(entry.Title))
        {
            Fail("title", "is required");
        }

        if (!SeverityNames.TryParse(entry.Severity, out var severity))
        {
            Fail("severity", $"'{entry.Severity}' is not one of {SeverityNames.List}");
        }

        if (entry.Keywords.Count == 0 || entry.Keywords.Any(string.IsNullOrEmpty))
        {
            Fail("keywords", "at least one non-empty keyword is required (the prefilter skips text without one)");
        }

        if (entry.MinEntropy is < 0 or > 8)
        {
            Fail("minEntropy", "must be between 0 and 8 bits per character");
        }

        if (string.IsNullOrWhiteSpace(entry.Reference))
        {
            Fail("reference", "is required: where the format is documented");
        }

        if (!DateOnly.TryParseExact(entry.CheckedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
        {
            Fail("checkedOn", $"'{entry.CheckedOn}' is not a date (yyyy-MM-dd)");
        }

        if (entry.Anchored && entry.Multiline)
        {
            Fail("anchored", "a multiline pattern cannot be anchored (its window starts before the keyword)");
        }

        if (entry.Follows.Contains('\n', StringComparison.Ordinal))
        {
            Fail("follows", "a line feed cannot follow on the same line");
        }

        if ((entry.Follows.Length > 0) != (entry.FollowsWithin > 0))
        {
            Fail("followsWithin", "is required with follows (a positive number of characters), and only with it");
        }

        Regex? regex = null;
        if (CompileError(entry.Regex, Compiled) is { } error)
        {
            Fail("regex", $"is not a valid regular expression: {error}");
        }
        else
        {
            // \G pins the match to the keyword hit where the scan starts it; the group keeps inline options local.
            regex = new Regex(entry.Anchored ? $"\\G(?:{entry.Regex})" : entry.Regex, Compiled, MatchTimeout);
        }

        var allow = new List<Regex>();
        foreach (var a in entry.Allow)
        {
            if (CompileError(a, Compiled) is { } allowError)
            {
                Fail("allow", $"'{a}' is not a valid regular expression: {allowError}");
            }
            else
            {
                allow.Add(new Regex(a, Compiled, MatchTimeout));
            }
        }

        return ok && regex is not null
            ? new SecretPattern(
                entry.Id,
                entry.Title,
                severity,
                [.. entry.Keywords.Select(k => k.ToLowerInvariant())],
                regex,
                regex.GetGroupNames().Contains("secret"),
                entry.MinEntropy,
                allow,
                entry.Multiline,
                entry.Reference,
                entry.Anchored,
                entry.Follows.Length > 0 ? SearchValues.Create(entry.Follows + "\n") : null,
                entry.FollowsWithin,
                KeepCommonWords: entry.KeepCommonWords)
            : null;
    }

    private static string? CompileError(string pattern, RegexOptions options)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "it is empty";
        }

        try
        {
            _ = new Regex(pattern, options & ~RegexOptions.Compiled, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}

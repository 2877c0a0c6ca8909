using System.Text;
using System.Text.Json.Nodes;
using Breachline.Sample;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Posture;

/// <summary>
/// A sample org export with the bad files of issue #5 planted among its own: three hostile metadata XML files
/// (malformed, billion laughs, XXE on /etc/passwd) from <c>Fixtures/scan/bad-input</c>, and in integrations/
/// a binary, a file of invalid UTF-8 and a generated 100 MB single-line file. <c>breachline scan</c> runs over
/// it once as a table and once as JSON with a SARIF file; the tests read those runs.
/// </summary>
public sealed class BadInputExport : IAsyncLifetime
{
    public const string Metadata = "metadata/force-app/main/default/";
    public const string BigLine = "integrations/legacy-sis/students-dump.json";

    private readonly TempDir _dir = new();

    public SampleResult Sample { get; private set; } = null!;

    /// <summary>The GitHub token planted at the very end of the 100 MB line, and its 1-based column.</summary>
    public (string Token, long Column) EndOfBigLine { get; private set; }

    public CliResult Table { get; private set; } = null!;

    public CliResult Json { get; private set; } = null!;

    public string Sarif { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Sample = SampleOrg.Generate(new SampleOptions(Seed: 3, Students: 60, Days: SampleOptions.MinDays), _dir.Combine("org"));
        var bad = Fixtures.Path("scan", "bad-input");
        foreach (var file in Directory.EnumerateFiles(bad, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(bad, file).Replace('\\', '/');
            var target = Path.Combine(Sample.Root, relative.StartsWith("metadata/", StringComparison.Ordinal) ? Metadata + relative["metadata/".Length..] : relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        EndOfBigLine = WriteBigLine(Path.Combine(Sample.Root, BigLine));
        Table = await CliRun.RunAsync("scan", Sample.Root);
        var sarifPath = _dir.Combine("scan.sarif");
        Json = await CliRun.RunAsync("--format", "json", "scan", Sample.Root, "--fail-on", "none", "--sarif", sarifPath);
        Sarif = File.ReadAllText(sarifPath);

        // The 100 MB file is needed only by the two runs above.
        File.Delete(Path.Combine(Sample.Root, BigLine));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A 100 MB JSON array of student rows on one line, ending in a row whose note holds a GitHub token.</summary>
    internal static (string Token, long Column) WriteBigLine(string path)
    {
        var random = new Random(11);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var token = "ghp_" + new string([.. Enumerable.Range(0, 36).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        var block = new StringBuilder();
        for (var i = 0; block.Length < 1 << 20; i++)
        {
            block.Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"Id\":\"003{i:D12}\",\"Name\":\"Student {i}\",\"Email\":\"student{i}@lakeshore.example.edu\"}},");
        }

        var bytes = Encoding.ASCII.GetBytes(block.ToString());
        long written = 1;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        stream.WriteByte((byte)'[');
        while (written < 100L * 1024 * 1024)
        {
            stream.Write(bytes);
            written += bytes.Length;
        }

        var last = Encoding.ASCII.GetBytes($"{{\"Id\":\"003999999999999\",\"Note\":\"sync token={token}\"}}]");
        stream.Write(last);
        return (token, written + last.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token)) + 1);
    }
}

/// <summary>Issue #5's bad-input acceptance for <c>breachline scan</c>: clear per-file messages, the scan continues, exit 3.</summary>
public sealed class ScanBadInputTests(BadInputExport export) : IClassFixture<BadInputExport>
{
    private const string Refused = "declares a DTD (DOCTYPE); refused, because DTDs carry external entities (XXE) and entity expansion (billion laughs)";

    private static string[] ErrorLines(CliResult run) =>
        run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Each_bad_metadata_file_is_named_on_stderr_with_its_line_where_the_parser_gives_one_and_why_it_was_refused()
    {
        string[] expected =
        [
            $"error: {BadInputExport.Metadata}connectedApps/Broken_Sync.connectedApp-meta.xml:8: is not well-formed XML: The 'oauthConfig' start tag on line 5 position 6 does not match the end tag of 'ConnectedApp'. Line 8, position 3.",
            // The XML reader gives no position for a prohibited DOCTYPE (docs/security.md, known limits).
            $"error: {BadInputExport.Metadata}profiles/Billion_Laughs.profile-meta.xml: {Refused}",
            $"error: {BadInputExport.Metadata}remoteSiteSettings/Passwd_Export.remoteSite-meta.xml: {Refused}",
        ];

        Assert.Equal(expected, ErrorLines(export.Table));
        Assert.Equal(expected, ErrorLines(export.Json));
        var problems = JsonNode.Parse(export.Json.Out)!["problems"]!.AsArray()
            .Select(p => (p!["file"]!.GetValue<string>(), p["line"]?.GetValue<int>()))
            .ToList();
        Assert.Equal(
            [
                ($"{BadInputExport.Metadata}connectedApps/Broken_Sync.connectedApp-meta.xml", 8),
                ($"{BadInputExport.Metadata}profiles/Billion_Laughs.profile-meta.xml", null),
                ($"{BadInputExport.Metadata}remoteSiteSettings/Passwd_Export.remoteSite-meta.xml", null),
            ],
            problems);
    }

    [Fact]
    public void The_binary_the_invalid_UTF8_file_and_the_100_MB_line_each_get_a_note_and_the_scan_exits_3_for_the_unreadable_XML()
    {
        string[] expected =
        [
            "integrations/legacy-sis/migration-notes.txt: contains bytes that are not valid UTF-8; they were read as U+FFFD and the rest of the file was scanned",
            "integrations/legacy-sis/sis-agent: skipped: binary content (NUL bytes in the first 8 KB)",
            $"{BadInputExport.BigLine}: larger than 4 MB: scanned for secrets only, not by the line-based integration checks (insecure transfer, request logging)",
        ];

        var notes = JsonNode.Parse(export.Json.Out)!["notes"]!.AsArray().Select(n => $"{n!["file"]!.GetValue<string>()}: {n["message"]!.GetValue<string>()}").ToList();
        Assert.Equal(expected, notes.Where(n => n.StartsWith("integrations/legacy-sis/", StringComparison.Ordinal)));
        var tableNotes = export.Table.Out.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("note: integrations/legacy-sis/", StringComparison.Ordinal));
        Assert.Equal(expected.Select(e => "note: " + e), tableNotes);

        // Input errors win over findings (DESIGN.md §9): the answer lacks three metadata files.
        Assert.Equal(3, export.Table.ExitCode);
        Assert.Equal(3, export.Json.ExitCode);
    }

    [Fact]
    public void The_100_MB_line_is_scanned_to_its_end_and_its_last_secret_is_found_at_its_column()
    {
        var findings = JsonNode.Parse(export.Json.Out)!["findings"]!.AsArray();

        var github = Assert.Single(findings, f => f!["location"]!["path"]!.GetValue<string>() == BadInputExport.BigLine)!;
        Assert.Equal("hardcoded-credential", github["pattern"]!.GetValue<string>());
        Assert.Equal((1, export.EndOfBigLine.Column), (github["location"]!["line"]!.GetValue<int>(), github["location"]!["column"]!.GetValue<long>()));
        Assert.DoesNotContain(export.EndOfBigLine.Token, export.Json.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(export.EndOfBigLine.Token, export.Table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(export.EndOfBigLine.Token, export.Sarif, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_planted_leak_cause_of_the_sample_is_still_found_next_to_the_bad_files()
    {
        var findings = JsonNode.Parse(export.Json.Out)!["findings"]!.AsArray()
            .Select(f => (f!["pattern"]!.GetValue<string>(), f["location"]!["path"]!.GetValue<string>(), f["location"]!["line"]?.GetValue<int>()))
            .ToHashSet();

        Assert.NotEmpty(export.Sample.Truth.Findings);
        var missed = export.Sample.Truth.Findings.Where(t => !findings.Contains((t.Pattern, t.Path, t.Line))).Select(t => $"{t.Pattern} {t.Path}:{t.Line} ({t.What})").ToList();
        Assert.True(missed.Count == 0, "missed:\n" + string.Join("\n", missed));
        foreach (var refused in new[] { "Broken_Sync", "Billion_Laughs", "Passwd_Export" })
        {
            Assert.DoesNotContain(findings, f => f.Item2.Contains(refused, StringComparison.Ordinal));
        }

        Assert.Equal(JsonNode.Parse(export.Sarif)!["runs"]![0]!["results"]!.AsArray().Count, JsonNode.Parse(export.Json.Out)!["findings"]!.AsArray().Count);
    }

    [Fact]
    public void Nothing_of_etc_passwd_reaches_stdout_stderr_or_the_SARIF_file()
    {
        // Had the XXE entity been expanded, /etc/passwd would sit in the remote site's URL, which the
        // insecure-transfer finding quotes ("remote site … calls http://…").
        var passwd = File.Exists("/etc/passwd")
            ? File.ReadAllLines("/etc/passwd").Where(l => l.Contains(':', StringComparison.Ordinal)).ToList()
            : [];
        string[] outputs = [export.Table.Out, export.Table.Error, export.Json.Out, export.Json.Error, export.Sarif];

        foreach (var output in outputs)
        {
            Assert.DoesNotContain("root:x:0:0", output, StringComparison.Ordinal);
            Assert.DoesNotContain("/bin/bash", output, StringComparison.Ordinal);
            Assert.DoesNotContain(passwd, line => output.Contains(line, StringComparison.Ordinal));
        }
    }
}

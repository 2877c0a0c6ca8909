using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

/// <summary>
/// A big CSV file is cut into ranges that threads parse apart: cut anywhere a row may end, the ranges must
/// give exactly the events, line numbers, problems and hash of the file read whole.
/// </summary>
public sealed class CsvRangesTests
{
    // Quoted newlines (\n and a lone \r), CRLF rows, escaped quotes, a wrong column count, invalid UTF-8, a
    // row longer than the smallest ranges, an unbalanced quote and no final newline; a BOM before the header.
    private static byte[] EdgeCases()
    {
        var text = new StringBuilder("\uFEFF\"EVENT_TYPE\",\"TIMESTAMP\",\"CLIENT_IP\",\"LOGIN_KEY\",\"SESSION_KEY\",\"URI\",\"ROWS_PROCESSED\"\n");
        for (var i = 0; i < 40; i++)
        {
            var time = string.Create(CultureInfo.InvariantCulture, $"202603130{i % 10}{i:00}14.{i % 7}");
            var ip = i % 3 == 0 ? "185.220.101.33" : $"10.0.0.{i}";
            var uri = (i % 8) switch
            {
                0 => "\"/services/data/v62.0/query?q=SELECT+Id\nFROM+Contact\"",
                1 => "\"/a\rb\"",
                2 => "\"say \"\"hi\"\"\"",
                3 => "/sobjects/" + new string('x', 300),
                _ => "/services/data/v62.0/limits",
            };
            var end = i % 5 == 0 ? "\r\n" : "\n";
            text.Append(CultureInfo.InvariantCulture, $"\"RestApi\",\"{time}\",\"{ip}\",\"LK{i % 4}\",\"SK{i % 4}\",{uri},\"{i}\"{end}");
            if (i == 17)
            {
                text.Append("\"RestApi\",\"20260313011414\",\"10.0.0.1\"\n");
            }

            if (i == 30)
            {
                text.Append("\"RestApi\",\"20260313091414\",\"10.0.0.9\",\"LK1\",\"SK1\",\"/open \"quote,\"3\"\n");
            }
        }

        text.Append("\"RestApi\",\"20260313091415\",\"10.0.0.9\",\"LK1\",\"SK1\",\"/x\",\"4\"");
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
        var bad = bytes.IndexOf((byte)'7', bytes.IndexOf((byte)'\n') + 400);
        bytes[bad] = 0xFF;
        return [.. bytes];
    }

    public static TheoryData<string> Files() => ["readers/RestApi-malformed.csv", "readers/RestApi-truncated.csv", "readers/Login-spaced.csv", "org/logs/RestApi.csv", "org/logs/AuraRequest.csv", "org/logs/Login.csv", "edge"];

    [Theory]
    [MemberData(nameof(Files))]
    public void Ranges_read_what_the_whole_file_reads(string name)
    {
        using var dir = new TempDir();
        var path = name == "edge" ? dir.Combine("RestApi.csv") : Fixtures.Path(["hunt", .. name.Split('/')]);
        if (name == "edge")
        {
            File.WriteAllBytes(path, EdgeCases());
        }

        var file = new LogFile(path, "logs/" + Path.GetFileName(path), LogFileKind.Csv, new FileInfo(path).Length);
        var wholeProblems = new FileProblems(file.RelativePath);
        string? wholeHash = null;
        var whole = EventLogCsvReader.Read(file, 0, wholeProblems, sha256: h => wholeHash = h).Select(Describe).ToList();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), wholeHash);

        foreach (var target in new[] { 1, 40, 97, 256, 1000, 1 << 20 })
        {
            using var ranges = CsvRanges.Open(path, target, hash: true);
            Assert.NotNull(ranges);
            Assert.True(EventLogCsvReader.CanReadInRanges(ranges.Header));
            var problems = new FileProblems(file.RelativePath);
            var events = new List<string>();
            var pools = new EventLogCsvReader.ReaderPools();
            var count = 0;
            while (ranges.Next() is { } range)
            {
                count++;
                var rangeProblems = new FileProblems(file.RelativePath);
                events.AddRange(EventLogCsvReader.ReadRange(range, 0, rangeProblems, null, EventLogCsvReader.EndsWithNewline(path), pools).Select(Describe));
                problems.Append(rangeProblems);
                range.Release();
            }

            EventLogCsvReader.ReportCut(ranges.CutLines, ranges.MaxLineBytes, problems);
            // One byte: past the first rows the rest is streamed as one range (no boundary close enough).
            Assert.True(target != 256 || file.Length < 4096 || count > 4, $"{count} ranges of {target} bytes");
            Assert.Equal(whole, events);
            Assert.Equal(wholeProblems.Count, problems.Count);
            Assert.Equal(wholeProblems.Listed, problems.Listed);
            Assert.Equal(wholeHash, ranges.Sha256);
        }
    }

    [Fact]
    public void The_hunt_finds_the_same_in_ranges_on_one_or_two_threads()
    {
        using var dir = new TempDir();
        CopyDirectory(Fixtures.Path("hunt", "org"), dir.Path);
        File.WriteAllBytes(dir.Combine("logs", "RestApiEdge.csv"), EdgeCases());
        var indicators = new Indicators();
        indicators.AddIp("185.220.101.33");
        var options = new HuntOptions { Indicators = indicators, Threads = 1, RangeBytes = int.MaxValue / 4 };

        var whole = JsonSerializer.Serialize(HuntEngine.Run(dir.Path, options));

        Assert.Equal(whole, JsonSerializer.Serialize(HuntEngine.Run(dir.Path, options with { RangeBytes = 64 })));
        Assert.Equal(whole, JsonSerializer.Serialize(HuntEngine.Run(dir.Path, options with { RangeBytes = 64, Threads = 2 })));
        Assert.Equal(whole, JsonSerializer.Serialize(HuntEngine.Run(dir.Path, options with { RangeBytes = 1000, Threads = 2 })));
    }

    private static string Describe(LogEvent e) => string.Join('|', e.EventType, e.Time, e.Line, e.Ip, e.LoginKey, e.SessionKey, e.UserId, e.UserAgent, e.RequestId, e.Uri, e.Soql, e.Entity, e.Operation, e.Rows, e.Status);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
    }
}

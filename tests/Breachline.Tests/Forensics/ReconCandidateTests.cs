using System.Globalization;
using System.Text;
using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

/// <summary>
/// The reconnaissance hunt must see the attacker's steps however many benign describe and sobjects calls
/// the org's integrations make: those calls once filled a global cap on kept rows before the attack began.
/// </summary>
public sealed class ReconCandidateTests
{
    private const int Cap = 50;

    [Fact]
    public void The_attacker_s_recon_sequence_is_reported_when_benign_describe_calls_outnumber_the_candidate_cap()
    {
        using var dir = new TempDir();
        CopyDirectory(Fixtures.Path("hunt", "org"), dir.Path);
        var options = new HuntOptions { Threads = 1, MaxCandidates = Cap };
        var expected = Recon(HuntEngine.Run(dir.Path, options));
        AddBenignDescribeCalls(dir.Combine("logs", "RestApi.csv"), 4 * Cap);

        var hunt = HuntEngine.Run(dir.Path, options);

        var recon = Recon(hunt);
        Assert.NotEmpty(recon);
        Assert.All(recon, s => Assert.Contains("|185.220.101.33|", s, StringComparison.Ordinal));
        Assert.Equal(expected, recon);
        Assert.Equal(["185.220.101.33", "208.68.36.90"], hunt.Suspects.Ips);
        Assert.DoesNotContain("52.10.10.10", hunt.Suspects.Ips);
    }

    [Fact]
    public void The_recon_hunt_finds_the_same_whether_a_busy_session_s_rows_are_read_whole_or_in_ranges()
    {
        using var dir = new TempDir();
        CopyDirectory(Fixtures.Path("hunt", "org"), dir.Path);
        AddBenignDescribeCalls(dir.Combine("logs", "RestApi.csv"), 4 * Cap);
        var options = new HuntOptions { Threads = 1, RangeBytes = int.MaxValue / 4 };

        var whole = Recon(HuntEngine.Run(dir.Path, options));
        var ranges = Recon(HuntEngine.Run(dir.Path, options with { RangeBytes = 512, Threads = 2 }));

        Assert.NotEmpty(whole);
        Assert.Equal(whole, ranges);
    }

    // Evidence lists compare by reference in the record: compare what they say instead.
    private static List<string> Recon(HuntResult hunt) =>
        [.. hunt.Signals.Where(s => s.Rule == "recon-sequence").Select(s => $"{s.Time:O}|{s.User}|{s.Ip}|{s.Session}|{s.Detail}|{string.Join(',', s.Evidence)}")];

    // The marketing integration's session describes objects and lists sobjects once a minute on 5 March,
    // before the attack: two recon steps, never the three a sequence needs. They go in a file of their own
    // (the biggest, read first and named first) so the attack's rows and their evidence lines stay as they were.
    private static void AddBenignDescribeCalls(string restApi, int count)
    {
        var path = Path.Combine(Path.GetDirectoryName(restApi)!, "RestApi-benign.csv");
        var rows = new StringBuilder();
        var start = Instant.FromUtc(2026, 3, 5, 8, 0);
        for (var i = 0; i < count; i++)
        {
            var t = (start + Duration.FromMinutes(i)).InUtc().LocalDateTime;
            var uri = i % 2 == 0 ? "/services/data/v62.0/sobjects/Contact/describe/" : "/services/data/v62.0/sobjects/";
            rows.Append(CultureInfo.InvariantCulture,
                $"\"RestApi\",\"{t:yyyyMMddHHmmss}.000\",\"RB{i:D20}\",\"00D8X000000Lake\",\"0058X000003MktG\",\"{uri}\",\"SK0000000000002\",\"LK00000000000002\",\"Standard\",\"GET\",\"200\",\"MarketingConnect/2.1\",\"\",\"0\",\"{t:yyyy-MM-ddTHH:mm:ss}.000Z\",\"0058X000003MktGQAS\",\"52.10.10.10\"\n");
        }

        File.WriteAllText(path, File.ReadLines(restApi).First() + "\n" + rows);
    }

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

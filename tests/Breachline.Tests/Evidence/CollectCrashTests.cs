using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Breachline.Tests.Evidence;

public partial class CollectCrashTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"^collected (E-\d{6}) sha256:([0-9a-f]{64}) (\S+) (.+)$")]
    private static partial Regex CollectedLine();

    [Fact]
    public async Task Killing_collect_with_SIGKILL_at_random_points_never_loses_a_reported_item_or_breaks_the_vault()
    {
        using var org = new EvidenceOrg();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var files = new List<string>();
        for (var i = 0; i < 160; i++)
        {
            var relative = $"records/batch{i / 50}/Export_{i:D3}.csv";
            org.Write(relative, "Id,Payload\n");
            files.Add(relative);
        }

        void Refill(int count)
        {
            foreach (var relative in files.OrderBy(_ => random.Next()).Take(count))
            {
                var bytes = new byte[random.Next(16 << 10, 160 << 10)];
                random.NextBytes(bytes);
                File.WriteAllText(Path.Combine(org.Root, relative), "Id,Payload\n001," + Convert.ToBase64String(bytes) + "\n");
            }
        }

        Refill(files.Count);
        var cli = Path.Combine(AppContext.BaseDirectory, "breachline.dll");
        Assert.True(File.Exists(cli), $"the built CLI is expected beside the tests at {cli}");
        var reported = new Dictionary<(string Path, string Sha), string>();
        var budget = Stopwatch.StartNew();
        var kills = 0;
        // Round 0 runs to completion to learn how long a collect takes on this (shared, loaded) machine; every
        // later round changes some files and kills the child at a random point within that span.
        var full = TimeSpan.Zero;
        for (var round = 0; round < 8 && budget.Elapsed < TimeSpan.FromSeconds(24); round++)
        {
            var clock = Stopwatch.StartNew();
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { cli, "collect", org.Root, "--workspace", org.WorkspacePath, "--actor", "crash-test" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var child = Process.Start(start)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            var delay = round == 0 ? int.MaxValue : random.Next((int)(full.TotalMilliseconds * 0.2), (int)(full.TotalMilliseconds * 0.9));
            var exited = child.WaitForExit(delay);
            if (!exited)
            {
                child.Kill(); // SIGKILL on Unix: no finally blocks, no flush, no cleanup.
                kills++;
            }

            await child.WaitForExitAsync();
            if (round == 0)
            {
                full = clock.Elapsed;
                Assert.Equal(0, child.ExitCode);
            }

            var text = await stdout;
            await stderr;
            // Only whole lines count as reported.
            text = text[..(text.LastIndexOf('\n') + 1)];
            foreach (var line in text.Split('\n'))
            {
                if (CollectedLine().Match(line) is { Success: true } m)
                {
                    reported[(m.Groups[4].Value, m.Groups[2].Value)] = m.Groups[1].Value;
                }
            }

            using (var vault = org.OpenVault())
            {
                var report = vault.Verify();
                Assert.True(report.Ok, $"seed {seed}, round {round}, killed after {delay} ms:\n" + string.Join("\n", report.Problems));
                var items = vault.Items().Select(i => (i.Path, i.Sha256)).ToHashSet();
                foreach (var ((path, sha), id) in reported)
                {
                    Assert.True(items.Contains((path, sha)), $"seed {seed}: {id} {path} was reported collected but is not in the vault");
                    Assert.True(File.Exists(vault.ObjectPath(sha)));
                }

                Assert.Empty(Directory.EnumerateFiles(Path.Combine(vault.Root, "tmp")));
            }

            output.WriteLine($"round {round}: killed={!exited} after {delay} ms, reported so far {reported.Count}, elapsed {budget.Elapsed}");
            Refill(60);
        }

        Assert.True(kills > 0, $"seed {seed}: no collect was interrupted; the export is too small to test crashes");
        using var final = org.OpenVault();
        var result = final.Collect(org.Root, "crash-test");
        Assert.Empty(result.Skipped);
        var last = final.Verify();
        Assert.True(last.Ok, $"seed {seed}: " + string.Join("\n", last.Problems));
    }
}

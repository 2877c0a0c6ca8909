using System.Diagnostics;
using System.Net.Sockets;
using Breachline.Common;
using Breachline.Evidence;
using Breachline.Tests.Cli;

namespace Breachline.Tests.Evidence;

// Symlinks, sockets, FIFOs and mode bits are POSIX matters.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class CollectBadInputTests
{
    private static void AssertRestCollected(EvidenceOrg org, CollectResult result, int extraSkipped)
    {
        Assert.Equal(extraSkipped, result.Skipped.Count);
        Assert.Equal(EvidenceOrg.FileCount, result.Items.Count);
        using var vault = org.OpenVault();
        Assert.True(vault.Verify().Ok);
    }

    [Fact]
    public void A_symlink_loop_is_skipped_with_a_reason_and_the_rest_is_collected()
    {
        using var org = new EvidenceOrg();
        File.CreateSymbolicLink(Path.Combine(org.Root, "logs", "a.csv"), "b.csv");
        File.CreateSymbolicLink(Path.Combine(org.Root, "logs", "b.csv"), "a.csv");
        var result = org.Collect();
        AssertRestCollected(org, result, 2);
        Assert.All(result.Skipped, p => Assert.Contains("symbolic link loop", p.Message, StringComparison.Ordinal));
        Assert.Equal(["logs/a.csv", "logs/b.csv"], result.Skipped.Select(p => p.File).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Symlinks_escaping_the_export_are_refused_and_links_inside_it_are_collected()
    {
        using var org = new EvidenceOrg();
        var outside = Path.Combine(org.Scratch, "secret.txt");
        File.WriteAllText(outside, "not evidence");
        File.CreateSymbolicLink(Path.Combine(org.Root, "records", "escape.csv"), outside);
        Directory.CreateSymbolicLink(Path.Combine(org.Root, "integrations", "up"), org.Scratch);
        File.CreateSymbolicLink(Path.Combine(org.Root, "records", "dangling.csv"), "nowhere.csv");
        File.CreateSymbolicLink(Path.Combine(org.Root, "records", "alias.csv"), "Contact.csv");

        var result = org.Collect();

        Assert.Equal(3, result.Skipped.Count);
        Assert.Contains(result.Skipped, p => p.File == "records/escape.csv" && p.Message.Contains("escapes the export folder", StringComparison.Ordinal));
        Assert.Contains(result.Skipped, p => p.File == "integrations/up" && p.Message.Contains("escapes the export folder", StringComparison.Ordinal));
        Assert.Contains(result.Skipped, p => p.File == "records/dangling.csv" && p.Message.Contains("does not exist", StringComparison.Ordinal));
        var alias = Assert.Single(result.Items, i => i.Path == "records/alias.csv");
        Assert.Equal(result.Items.Single(i => i.Path == "records/Contact.csv").Sha256, alias.Sha256);
        Assert.DoesNotContain(result.Items, i => i.Path.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void A_socket_or_fifo_in_the_export_is_reported_unreadable_without_hanging()
    {
        using var org = new EvidenceOrg();
        var socketPath = Path.Combine(org.Root, "logs", "agent.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(org.Root, "logs", "pipe.csv")))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var result = org.Collect();

        AssertRestCollected(org, result, 2);
        Assert.Contains(result.Skipped, p => p.File == "logs/agent.sock" && p.Message.Contains("cannot be read", StringComparison.Ordinal));
        Assert.Contains(result.Skipped, p => p.File == "logs/pipe.csv" && p.Message.Contains("not a regular file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_the_collector_may_not_read_is_reported_as_permission_denied()
    {
        using var org = new EvidenceOrg();
        var locked = Path.Combine(org.Root, "records", "Locked.csv");
        File.WriteAllText(locked, "Id\n001\n");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        var options = new CollectOptions();
        if (Environment.UserName == "root")
        {
            // Root bypasses mode bits, so chmod 000 cannot fail for it; the open is made to fail exactly as
            // .NET reports EACCES, which exercises the same handling path.
            options = options with
            {
                OpenSource = path => path.EndsWith("Locked.csv", StringComparison.Ordinal)
                    ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0),
            };
        }

        var result = org.Collect(options);

        AssertRestCollected(org, result, 1);
        var problem = Assert.Single(result.Skipped);
        Assert.Equal("records/Locked.csv", problem.File);
        Assert.Contains("permission denied", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_changes_while_it_is_read_is_refused_and_nothing_half_read_is_kept()
    {
        using var org = new EvidenceOrg();
        var growing = Path.Combine(org.Root, "logs", "growing.csv");
        File.WriteAllText(growing, "\"EVENT_TYPE\",\"TIMESTAMP\"\n\"API\",\"20260301101500\"\n");
        var options = new CollectOptions
        {
            AfterFirstChunk = path =>
            {
                if (path == growing)
                {
                    File.AppendAllText(growing, "\"API\",\"20260301101501\"\n");
                    File.SetLastWriteTimeUtc(growing, DateTime.UtcNow.AddMinutes(1));
                }
            },
        };

        var result = org.Collect(options);

        AssertRestCollected(org, result, 1);
        var problem = Assert.Single(result.Skipped);
        Assert.Equal("logs/growing.csv", problem.File);
        Assert.Contains("changed while it was read", problem.Message, StringComparison.Ordinal);
        using var vault = org.OpenVault();
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(vault.Root, "tmp")));
        Assert.DoesNotContain(vault.Items(), i => i.Path == "logs/growing.csv");
    }

    [Fact]
    public async Task The_collect_command_exits_3_listing_what_was_skipped_after_collecting_the_rest()
    {
        using var org = new EvidenceOrg();
        File.CreateSymbolicLink(Path.Combine(org.Root, "logs", "passwd.csv"), "/etc/passwd");

        var result = await CliRun.RunAsync("collect", org.Root, "--workspace", org.WorkspacePath);

        Assert.Equal(ExitCodes.Input, result.ExitCode);
        Assert.Contains("1 file(s) were NOT collected", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: logs/passwd.csv: symbolic link escapes the export folder", result.Error, StringComparison.Ordinal);
        Assert.Contains($"collected {EvidenceOrg.FileCount} file(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains("collected E-000001 sha256:", result.Out, StringComparison.Ordinal);

        var missing = await CliRun.RunAsync("collect", Path.Combine(org.Scratch, "nope"), "--workspace", org.WorkspacePath);
        Assert.Equal(ExitCodes.Input, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
    }
}

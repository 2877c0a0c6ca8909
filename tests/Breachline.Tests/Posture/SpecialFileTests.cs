using System.Diagnostics;
using Breachline.Posture;

namespace Breachline.Tests.Posture;

/// <summary>Files an export should not hold but may: a named pipe among the integrations must not hang the scan.</summary>
public sealed class SpecialFileTests
{
    [Fact]
    public async Task A_named_pipe_under_integrations_is_skipped_and_the_secret_next_to_it_is_still_found()
    {
        using var dir = new TempDir();
        var integrations = Directory.CreateDirectory(dir.Combine("integrations", "portal")).FullName;
        File.WriteAllText(Path.Combine(integrations, "settings.properties"), "aws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n");
        var fifo = Path.Combine(integrations, "pipe");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync(CancellationToken.None);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening the pipe for reading blocks until a writer comes; before the fix the scan never returned. The
        // bound only turns that hang into a failure, it measures nothing.
        var scan = Task.Run(() => PostureScan.Run(dir.Path), CancellationToken.None);
        var finished = await Task.WhenAny(scan, Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None));
        Assert.Same(scan, finished);

        var result = await scan;
        Assert.Contains(result.Findings, f => f.Location.Path == "integrations/portal/settings.properties");
        Assert.DoesNotContain(result.Findings, f => f.Location.Path.EndsWith("/pipe", StringComparison.Ordinal));
    }
}

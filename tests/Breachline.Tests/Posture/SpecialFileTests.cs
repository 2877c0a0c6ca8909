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

    [Fact]
    public async Task A_named_pipe_among_the_metadata_is_reported_not_opened_and_the_rest_is_read()
    {
        using var dir = new TempDir();
        const string Object = "Contact_Language__c";
        var objects = Directory.CreateDirectory(dir.Combine("metadata", "objects", Object)).FullName;
        File.Copy(Fixtures.Path("scan", "eda-metadata", "force-app", "main", "default", "objects", Object, Object + ".object-meta.xml"), Path.Combine(objects, Object + ".object-meta.xml"));
        var pipe = Directory.CreateDirectory(dir.Combine("metadata", "objects", "Pipe__c")).FullName;
        await MakeFifo(Path.Combine(pipe, "Pipe__c.object-meta.xml"));

        var scan = Task.Run(() => PostureScan.Run(dir.Path), CancellationToken.None);
        var finished = await Task.WhenAny(scan, Task.Delay(TimeSpan.FromSeconds(60), CancellationToken.None));
        Assert.Same(scan, finished);

        var result = await scan;
        var problem = Assert.Single(result.Problems, p => p.File.EndsWith("Pipe__c.object-meta.xml", StringComparison.Ordinal));
        Assert.Contains("not a regular file", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.Summary.MetadataFiles);
    }

    private static async Task MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        await mkfifo.WaitForExitAsync(CancellationToken.None);
        Assert.Equal(0, mkfifo.ExitCode);
    }
}

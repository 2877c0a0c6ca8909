namespace Breachline.Tests.Cli;

public sealed class ConcurrentTaskTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Workspace => _dir.Combine("ws");

    private async Task OpenAsync()
    {
        var open = await CliRun.RunAsync("-w", Workspace, "incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z", "--aware-at", "2026-03-07T10:00:00Z");
        Assert.Equal(0, open.ExitCode);
    }

    [Fact]
    public async Task Two_processes_finishing_different_tasks_at_once_both_land()
    {
        await OpenAsync();

        var results = await Task.WhenAll(
            BreachlineProcess.RunAsync("-w", Workspace, "--actor", "alice", "task", "done", "preserve-logs"),
            BreachlineProcess.RunAsync("-w", Workspace, "--actor", "bob", "task", "done", "engage-counsel"));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        var list = await CliRun.RunAsync("-w", Workspace, "--format", "json", "timeline");
        Assert.Contains("\"actor\": \"alice\"", list.Out, StringComparison.Ordinal);
        Assert.Contains("\"actor\": \"bob\"", list.Out, StringComparison.Ordinal);
        var status = await CliRun.RunAsync("-w", Workspace, "--format", "json", "task", "list");
        Assert.Equal(2, CountOccurrences(status.Out, "\"status\": \"done\""));
    }

    [Fact]
    public async Task Two_processes_finishing_the_same_task_record_it_once()
    {
        await OpenAsync();

        var results = await Task.WhenAll(
            BreachlineProcess.RunAsync("-w", Workspace, "--actor", "alice", "task", "done", "preserve-logs"),
            BreachlineProcess.RunAsync("-w", Workspace, "--actor", "bob", "task", "done", "preserve-logs"));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.Single(results, r => r.Out.Contains("already done", StringComparison.Ordinal));
        var timeline = await CliRun.RunAsync("-w", Workspace, "--format", "json", "timeline");
        Assert.Equal(1, CountOccurrences(timeline.Out, "\"kind\": \"task-done\""));
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

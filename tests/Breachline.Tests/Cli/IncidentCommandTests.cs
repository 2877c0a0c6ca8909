using System.Text.Json.Nodes;

namespace Breachline.Tests.Cli;

public sealed class IncidentCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Workspace => _dir.Combine("ws");

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(["-w", Workspace, .. args]);

    [Fact]
    public async Task Status_as_json_validates_against_the_documented_schema()
    {
        await Run("incident", "open", "--title", "Portal credentials harvested", "--detected-at", "2026-03-07T09:12", "--aware-at", "2026-03-07T15:40",
            "--org", Fixtures.Path("orgs", "minimal"), "--as-of", "2026-03-07T16:00");

        var result = await Run("status", "--format", "json", "--as-of", "2026-03-08T12:00");

        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Out);
        SchemaValidation.AssertValid(json, "status.schema.json");
        Assert.Equal("America/Chicago", json!["incident"]!["timeZone"]!.GetValue<string>());
        Assert.Equal("Lakeshore State University", json["incident"]!["org"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_exits_1_once_a_deadline_is_overdue()
    {
        await Run("incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:12:00Z", "--aware-at", "2026-03-07T10:00:00Z");

        var before = await Run("status", "--as-of", "2026-03-08T09:59:00Z");
        var after = await Run("status", "--as-of", "2026-03-08T10:00:00Z");

        Assert.Equal(0, before.ExitCode);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("overdue", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_times_are_read_in_the_org_zone()
    {
        await Run("incident", "open", "--title", "t", "--detected-at", "2026-07-01T09:00", "--org", Fixtures.Path("orgs", "minimal"));

        var show = await Run("incident", "show", "--format", "json");

        Assert.Contains("\"detectedAt\": \"2026-07-01T09:00:00-05:00\"", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_recomputes_the_deadlines_shown_by_status()
    {
        await Run("incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z");

        var update = await Run("incident", "update", "--aware-at", "2026-03-07T12:00:00Z", "--format", "json", "--as-of", "2026-03-07T13:00:00Z");

        Assert.Equal(0, update.ExitCode);
        var json = JsonNode.Parse(update.Out)!;
        var auditor = json["clock"]!["deadlines"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == "soc2-auditor-notice")!;
        Assert.Equal("2026-03-08T12:00:00+00:00", auditor["due"]!.GetValue<string>());
        Assert.Equal("awareness", json["clock"]!["startsFrom"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_incident_in_the_same_workspace_is_a_usage_error()
    {
        await Run("incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z");

        var again = await Run("incident", "open", "--title", "u", "--detected-at", "2026-03-07T09:00:00Z");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds an incident", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--as-of", "yesterday")]
    [InlineData("--as-of", "2026-13-01T00:00:00Z")]
    public async Task An_unreadable_time_is_a_usage_error_that_says_what_is_accepted(string option, string value)
    {
        await Run("incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z");

        var result = await Run("status", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ISO 8601", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_on_a_workspace_without_an_incident_say_how_to_start()
    {
        var result = await Run("status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("incident open", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_from_a_newer_breachline_exits_3_with_one_clear_line()
    {
        await Run("incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Workspace, "breachline.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_versions SET version = 7 WHERE module = 'incidents'";
            command.ExecuteNonQuery();
        }

        var result = await Run("status");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("newer Breachline", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_playbook_error_exits_3_naming_file_and_line()
    {
        var path = Fixtures.Path("playbooks", "cycle.yaml");

        var result = await Run("incident", "open", "--title", "t", "--detected-at", "2026-03-07T09:00:00Z", "--playbook", path);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{path}:5", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_help_with_an_example()
    {
        foreach (var command in new[] { "run", "incident open", "incident update", "status", "task done", "deadline waive", "timeline" })
        {
            var result = await CliRun.RunAsync([.. command.Split(' '), "--help"]);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Example: breachline", result.Out, StringComparison.Ordinal);
        }
    }
}

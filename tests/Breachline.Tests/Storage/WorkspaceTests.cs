using Breachline.Storage;
using Dapper;

namespace Breachline.Tests.Storage;

public sealed class WorkspaceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Opening_creates_the_documented_layout_with_owner_only_folders()
    {
        var workspace = Workspace.Open(_dir.Combine("ws"));

        Assert.True(File.Exists(workspace.DatabasePath));
        Assert.True(Directory.Exists(workspace.VaultPath));
        Assert.True(Directory.Exists(workspace.OutPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(workspace.Root));
        }
    }

    [Fact]
    public void Opening_twice_migrates_once()
    {
        Workspace.Open(_dir.Combine("ws"));
        var again = Workspace.Open(_dir.Combine("ws"));

        var versions = again.Read(c => c.Query<(string, long)>("SELECT module, version FROM schema_versions").ToList());
        Assert.Contains(versions, v => v.Item1 == "incidents" && v.Item2 >= 1);
    }

    [Fact]
    public void A_workspace_written_by_a_newer_schema_is_refused_and_left_untouched()
    {
        var workspace = Workspace.Open(_dir.Combine("ws"));
        workspace.Write((c, t) => c.Execute("UPDATE schema_versions SET version = 99 WHERE module = 'incidents'", transaction: t));
        var before = File.ReadAllBytes(workspace.DatabasePath);

        var error = Assert.Throws<WorkspaceException>(() => Workspace.Open(_dir.Combine("ws")));

        Assert.Contains("newer Breachline", error.Message, StringComparison.Ordinal);
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(workspace.DatabasePath));
    }

    [Fact]
    public void A_module_this_build_does_not_know_is_refused()
    {
        var workspace = Workspace.Open(_dir.Combine("ws"));
        workspace.Write((c, t) => c.Execute("INSERT INTO schema_versions(module, version) VALUES ('teleportation', 1)", transaction: t));

        var error = Assert.Throws<WorkspaceException>(() => Workspace.Open(_dir.Combine("ws")));

        Assert.Contains("'teleportation'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_named_in_a_clear_error()
    {
        Directory.CreateDirectory(_dir.Combine("ws"));
        File.WriteAllText(_dir.Combine("ws", "breachline.db"), "this is not sqlite, just text long enough to look like a header......................................................................");

        var error = Assert.Throws<WorkspaceException>(() => Workspace.Open(_dir.Combine("ws")));

        Assert.Contains("not a Breachline workspace", error.Message, StringComparison.Ordinal);
    }
}

using Dapper;
using Microsoft.Data.Sqlite;

namespace Breachline.Storage;

/// <summary>
/// An incident workspace on disk (DESIGN.md §9): <c>breachline.db</c> (SQLite), <c>vault/</c> (evidence)
/// and <c>out/</c> (incident.json, reports, exports). Opening it creates what is missing and brings the
/// schema of every stage up to date; a database written by a newer Breachline is refused, not altered.
/// </summary>
public sealed class Workspace
{
    private readonly string _connectionString;

    private Workspace(string root)
    {
        Root = root;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Absolute path of the workspace folder.</summary>
    public string Root { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath => Path.Combine(Root, "breachline.db");

    /// <summary>The evidence vault folder.</summary>
    public string VaultPath => Path.Combine(Root, "vault");

    /// <summary>Where outputs (incident.json, reports, exports) go.</summary>
    public string OutPath => Path.Combine(Root, "out");

    /// <summary>Opens (creating if needed) the workspace at <paramref name="root"/> and migrates its schema.</summary>
    /// <exception cref="WorkspaceException">The workspace was written by a newer Breachline, or is not a Breachline database.</exception>
    public static Workspace Open(string root)
    {
        var full = Path.GetFullPath(root);
        OwnerOnlyFiles.RestrictNewFiles();
        CreateOwnerOnlyDirectory(full);
        CreateOwnerOnlyDirectory(Path.Combine(full, "vault"));
        CreateOwnerOnlyDirectory(Path.Combine(full, "out"));
        var workspace = new Workspace(full);
        workspace.Migrate();
        return workspace;
    }

    /// <summary>True when a workspace database already exists at <paramref name="root"/>.</summary>
    public static bool Exists(string root) => File.Exists(Path.Combine(root, "breachline.db"));

    /// <summary>A new open connection in WAL mode with a busy timeout, so two processes wait rather than fail.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction taken with BEGIN IMMEDIATE, so a read-then-write
    /// by another process cannot interleave and no update is lost.
    /// </summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction.</summary>
    public void Write(Action<SqliteConnection, SqliteTransaction> work) =>
        Write<bool>((c, t) =>
        {
            work(c, t);
            return true;
        });

    /// <summary>Runs a read on a fresh connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Connect();
        return work(connection);
    }

    private void Migrate()
    {
        SqliteConnection connection;
        try
        {
            connection = Connect();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            throw new WorkspaceException($"{DatabasePath} is not a Breachline workspace database ({e.Message})");
        }

        using var _ = connection;
        using var transaction = connection.BeginTransaction(deferred: false);
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)", transaction: transaction);

        var known = connection.Query<(string Module, long Version)>("SELECT module, version FROM schema_versions", transaction: transaction)
            .ToDictionary(r => r.Module, r => r.Version, StringComparer.Ordinal);
        foreach (var (module, version) in known)
        {
            var ours = WorkspaceSchema.Modules.FirstOrDefault(m => m.Name == module);
            if (ours is null || version > ours.Migrations.Count)
            {
                throw new WorkspaceException(
                    $"{DatabasePath} was written by a newer Breachline (module '{module}' at schema version {version}, this build knows {ours?.Migrations.Count ?? 0}); upgrade Breachline to open it");
            }
        }

        foreach (var module in WorkspaceSchema.Modules)
        {
            var current = known.GetValueOrDefault(module.Name);
            for (var v = (int)current; v < module.Migrations.Count; v++)
            {
                connection.Execute(module.Migrations[v], transaction: transaction);
            }

            if (current < module.Migrations.Count)
            {
                connection.Execute(
                    "INSERT INTO schema_versions(module, version) VALUES (@module, @version) ON CONFLICT(module) DO UPDATE SET version = excluded.version",
                    new { module = module.Name, version = module.Migrations.Count },
                    transaction);
            }
        }

        transaction.Commit();
    }

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Workspaces hold evidence with personal data: owner-only from the start, not chmod-ed later.
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

/// <summary>The workspace cannot be opened as it is (exit code 3).</summary>
public sealed class WorkspaceException(string message) : Exception(message);

/// <summary>One stage's tables: a name and its migrations in order; version N means the first N have run.</summary>
/// <param name="Name">Stable module name, e.g. <c>incidents</c>.</param>
/// <param name="Migrations">SQL scripts, append-only: never edit one that has shipped.</param>
public sealed record SchemaModule(string Name, IReadOnlyList<string> Migrations);

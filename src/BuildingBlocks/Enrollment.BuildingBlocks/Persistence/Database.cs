using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Enrollment.BuildingBlocks.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// <c>Database:Provider</c> (Sqlite default, or Postgres) and <c>Database:ConnectionString</c>.
/// With SQLite the modules share one file under ./data/ (tables carry the module's prefix) — except the modules that keep
/// derived, unaudited data written beside every submit (Notifications' outbox, Reporting's read models), which have a file
/// of their own so their writes never wait for the shared file's one write lock (ADR 0907);
/// with PostgreSQL every module has its own schema.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string? ConnectionString { get; set; }

    /// <summary>Folder for SQLite files, Hangfire's SQLite storage, notification files and uploads.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite: a module registered with a file of its own (<c>ownSqliteFile</c>) keeps its tables in <c>&lt;module&gt;.db</c>
    /// beside the shared file (ADR 0907). <c>false</c> keeps every module in the shared file.
    /// </summary>
    public bool SqliteOwnFiles { get; set; } = true;

    public string EffectiveConnectionString => ConnectionString ?? Provider switch
    {
        DatabaseProvider.Sqlite => $"Data Source={Path.Combine(DataDirectory, "enrollment.db")}",
        _ => throw new InvalidOperationException("Database:ConnectionString is required for PostgreSQL."),
    };

    /// <summary>
    /// The connection string of <paramref name="module"/>'s context. On SQLite a module with <paramref name="ownFile"/>
    /// gets <c>&lt;module&gt;.db</c> in the shared file's folder (same settings otherwise) — unless the shared file already
    /// holds the module's tables (a data directory from before ADR 0907: they stay where they are, nothing is lost) or the
    /// shared database is in memory.
    /// </summary>
    public string ConnectionStringFor(string module, bool ownFile)
    {
        var shared = EffectiveConnectionString;
        if (Provider != DatabaseProvider.Sqlite || !ownFile || !SqliteOwnFiles)
        {
            return shared;
        }

        var builder = new SqliteConnectionStringBuilder(shared);
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:")
        {
            return shared;
        }

        var own = OwnFile(builder.DataSource, module);
        if (!File.Exists(own) && SharedFileHolds(builder.DataSource, module))
        {
            return shared;
        }

        builder.DataSource = own;
        return builder.ToString();
    }

    /// <summary>The file of a module with a SQLite file of its own, beside <paramref name="sharedFile"/>.</summary>
    public static string OwnFile(string sharedFile, string module) =>
        Path.Combine(Path.GetDirectoryName(sharedFile) ?? "", module + ".db");

    /// <summary>Whether the shared file has the module's migrations history table (its tables were created there).</summary>
    private static bool SharedFileHolds(string sharedFile, string module)
    {
        if (!File.Exists(sharedFile))
        {
            return false;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sharedFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", $"__{module}_migrations");
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }
}

/// <summary>
/// How a module configures its DbContext: the provider, the module's own migrations history table and
/// (on PostgreSQL) its own schema, and SQLite pragmas that keep one writer fast and durable.
/// </summary>
public static class ModuleDatabase
{
    // Every module context's options are built once per host (ModuleDbContexts); the cache keeps that cheap for tools too.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<System.Reflection.Assembly, string> MigrationsAssemblies = new();

    /// <param name="ownSqliteFile">On SQLite, the module's tables are in a file of their own (ADR 0907).</param>
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, string module, Type contextForMigrations, bool ownSqliteFile = false)
    {
        var migrationsAssembly = MigrationsAssemblies.GetOrAdd(contextForMigrations.Assembly, a => a.GetName().Name!);
        builder.AddInterceptors(DatabaseStatistics.Instance);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(options.ConnectionStringFor(module, ownSqliteFile), o => o
                    .MigrationsAssembly(migrationsAssembly)
                    .MigrationsHistoryTable($"__{module}_migrations"));
                builder.AddInterceptors(SqliteTransactionGuard.Instance, SqlitePragmas.Instance);
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.EffectiveConnectionString, o => o
                    .MigrationsAssembly(migrationsAssembly)
                    .MigrationsHistoryTable("__migrations", module));
                break;
        }
    }
}

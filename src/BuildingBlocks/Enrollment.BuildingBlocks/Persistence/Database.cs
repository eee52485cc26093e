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
/// With SQLite every module shares one file under ./data/ (tables carry the module's prefix);
/// with PostgreSQL every module has its own schema.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string? ConnectionString { get; set; }

    /// <summary>Folder for SQLite files, Hangfire's SQLite storage, notification files and uploads.</summary>
    public string DataDirectory { get; set; } = "data";

    public string EffectiveConnectionString => ConnectionString ?? Provider switch
    {
        DatabaseProvider.Sqlite => $"Data Source={Path.Combine(DataDirectory, "enrollment.db")}",
        _ => throw new InvalidOperationException("Database:ConnectionString is required for PostgreSQL."),
    };

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

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, string module, Type contextForMigrations)
    {
        var migrationsAssembly = MigrationsAssemblies.GetOrAdd(contextForMigrations.Assembly, a => a.GetName().Name!);
        builder.AddInterceptors(DatabaseStatistics.Instance);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(options.EffectiveConnectionString, o => o
                    .MigrationsAssembly(migrationsAssembly)
                    .MigrationsHistoryTable($"__{module}_migrations"));
                builder.AddInterceptors(SqlitePragmas.Instance);
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(options.EffectiveConnectionString, o => o
                    .MigrationsAssembly(migrationsAssembly)
                    .MigrationsHistoryTable("__migrations", module));
                break;
        }
    }
}

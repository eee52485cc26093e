using System.Security.Claims;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.BuildingBlocks.Tests.ModuleContextAuditTests;

namespace Enrollment.BuildingBlocks.Tests;

/// <summary>
/// On SQLite an unaudited module registered with <c>ownSqliteFile</c> keeps its tables in <c>&lt;module&gt;.db</c> beside the
/// shared <c>enrollment.db</c>, so its writes take that file's write lock, not the shared one (ADR 0907); a data directory
/// whose shared file already holds the module keeps it there.
/// </summary>
public sealed class ModuleOwnFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "module-own-file-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> _providers = [];

    public ModuleOwnFileTests() => Directory.CreateDirectory(_directory);

    private string SharedFile => Path.Combine(_directory, "enrollment.db");

    private string OwnFile => Path.Combine(_directory, "notes.db");

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_module_with_a_file_of_its_own_writes_its_tables_there_and_not_into_the_shared_file()
    {
        var services = Services(new DatabaseOptions { DataDirectory = _directory });
        await SaveNoteAsync(services, 1, "own file");

        Assert.Equal(["Notes"], Tables(OwnFile));
        Assert.Equal(["own file"], Texts(OwnFile));
        Assert.False(File.Exists(SharedFile) && Tables(SharedFile).Contains("Notes"));
    }

    [Fact]
    public async Task A_shared_file_that_already_holds_the_modules_tables_keeps_them_and_nothing_is_lost()
    {
        Execute(SharedFile, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE "__notes_migrations" ("MigrationId" TEXT NOT NULL PRIMARY KEY, "ProductVersion" TEXT NOT NULL);
            CREATE TABLE "Notes" ("Id" INTEGER NOT NULL PRIMARY KEY, "Text" TEXT NOT NULL);
            INSERT INTO "Notes" VALUES (7, 'written before the module had a file of its own');
            """);
        var services = Services(new DatabaseOptions { DataDirectory = _directory });

        await SaveNoteAsync(services, 8, "written after");

        Assert.False(File.Exists(OwnFile));
        Assert.Equal(["written before the module had a file of its own", "written after"], Texts(SharedFile));
    }

    [Fact]
    public async Task With_own_files_switched_off_every_module_stays_in_the_shared_file()
    {
        var services = Services(new DatabaseOptions { DataDirectory = _directory, SqliteOwnFiles = false });
        await SaveNoteAsync(services, 1, "shared");

        Assert.False(File.Exists(OwnFile));
        Assert.Equal(["shared"], Texts(SharedFile));
    }

    [Fact]
    public async Task An_explicit_sqlite_connection_string_puts_the_modules_file_beside_the_shared_file()
    {
        var shared = Path.Combine(_directory, "campaign-2026.db");
        var services = Services(new DatabaseOptions { ConnectionString = $"Data Source={shared};Cache=Shared", DataDirectory = "ignored" });
        await SaveNoteAsync(services, 1, "beside");

        Assert.Equal(["beside"], Texts(OwnFile));
        Assert.False(File.Exists(shared));
    }

    [Fact]
    public void An_audited_module_cannot_have_a_file_of_its_own_because_its_audit_entries_share_its_transaction()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<ArgumentException>(() =>
            services.AddModuleDbContext<NotesContext, NotesSqlite, NotesPostgres>(new DatabaseOptions { DataDirectory = _directory }, "notes", audited: true, ownSqliteFile: true));
        Assert.Contains("audit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_ignores_the_own_file_setting_and_every_module_uses_the_configured_database()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=db;Database=enrollment" };
        Assert.Equal("Host=db;Database=enrollment", options.ConnectionStringFor("notes", ownFile: true));
    }

    private ServiceProvider Services(DatabaseOptions database)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero)));
        services.AddScoped<ICurrentUser>(_ => new ClaimsCurrentUser(null));
        services.AddScoped<AuditContext>();
        services.AddModuleDbContext<NotesContext, NotesSqlite, NotesPostgres>(database, "notes", audited: false, ownSqliteFile: true);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _providers.Add(provider);
        return provider;
    }

    private static async Task SaveNoteAsync(ServiceProvider services, int id, string text)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
        await db.Database.EnsureCreatedAsync();
        db.Notes.Add(new Note { Id = id, Text = text });
        await db.SaveChangesAsync();
    }

    private static List<string> Tables(string file) =>
        [.. Read(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")];

    private static List<string> Texts(string file) => [.. Read(file, "SELECT \"Text\" FROM \"Notes\" ORDER BY \"Id\"")];

    private static IEnumerable<string> Read(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests;

/// <summary>
/// The real host on a fresh database in its own temp folder, seeded with the tiny demo profile.
/// Provider: SQLite unless ENROLLMENT_TEST_POSTGRES holds a PostgreSQL connection string to a server where the
/// tests may create databases (CI sets it; see .ci/run), in which case each factory gets its own database.
/// </summary>
public class EnrollmentFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "enrollment-tests", Guid.NewGuid().ToString("N"));

    public string? PostgresConnectionString { get; } = TestDatabases.CreatePostgresDatabase();

    protected virtual bool RunJobServer => false;

    protected virtual string OpenDataMaxAge => "00:00:00";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDirectory);
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = DataDirectory,
            ["DemoData:Profile"] = "Tiny",
            // Tests read open data right after a change: every read compares the read model's version (ADR 0912);
            // the served-for-a-while answer has its own tests (OpenDataAnswersTests).
            ["Reporting:OpenData:MaxAge"] = OpenDataMaxAge,
            ["Jobs:Server"] = RunJobServer ? "true" : "false",
            ["Jobs:PollInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (PostgresConnectionString is not null)
        {
            settings["Database:Provider"] = "Postgres";
            settings["Database:ConnectionString"] = PostgresConnectionString;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton(HostIncidents.Provider));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            TestDatabases.DropPostgresDatabase(PostgresConnectionString);
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

public static class TestDatabases
{
    public const string PostgresVariable = "ENROLLMENT_TEST_POSTGRES";

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates a fresh PostgreSQL database when the suite runs against PostgreSQL; null for SQLite.</summary>
    public static string? CreatePostgresDatabase()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            return null;
        }

        var name = "enrollment_test_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            command.ExecuteNonQuery();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static void DropPostgresDatabase(string? connectionString)
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (connectionString is null || string.IsNullOrWhiteSpace(admin))
        {
            return;
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new Npgsql.NpgsqlConnection(admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        command.ExecuteNonQuery();
    }
}

/// <summary>One seeded host shared by the read-mostly tests of a collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCollection : ICollectionFixture<EnrollmentFactory>
{
    public const string Name = "host";
}

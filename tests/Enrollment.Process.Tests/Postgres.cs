using Enrollment.Host.Tests;
using Npgsql;

namespace Enrollment.Process.Tests;

/// <summary>
/// The PostgreSQL server of the multi-host tests: <c>ENROLLMENT_TEST_POSTGRES</c> when set, else the local default
/// (127.0.0.1:5432, postgres/postgres — what .ci/run sets up). Without a reachable server the tests are skipped with the
/// reason on a developer machine; with <c>CI=true</c> they run and fail.
/// </summary>
public static class Postgres
{
    public const string LocalDefault = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres;Timeout=3";

    private static readonly Lazy<string?> Reachable = new(Probe);

    public static string Admin => Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable) is { Length: > 0 } configured ? configured : LocalDefault;

    public static bool Available => Reachable.Value is null;

    public static string SkipReason => $"no PostgreSQL server at {new NpgsqlConnectionStringBuilder(Admin).Host}:{new NpgsqlConnectionStringBuilder(Admin).Port} "
        + $"({Reachable.Value}); start one (pg_ctlcluster 15 main start) or set {TestDatabases.PostgresVariable}";

    public static string CreateDatabase()
    {
        var name = "enrollment_test_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(Admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        command.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(Admin) { Database = name, Timeout = 15 }.ConnectionString;
    }

    public static void DropDatabase(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(Admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    public static long Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Probe()
    {
        try
        {
            using var connection = new NpgsqlConnection(Admin);
            connection.Open();
            return null;
        }
        catch (Exception error) when (error is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            return error.Message;
        }
    }
}

/// <summary>A test that needs PostgreSQL: skipped with the reason when none is reachable, except with CI=true (then it fails).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!Postgres.Available && !TestDatabases.IsCi)
        {
            Skip = Postgres.SkipReason;
        }
    }
}

using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Enrollment.Host.Tests.BadInput;

/// <summary>
/// A dump of every module's tables (SQLite: <c>module_*</c> tables of the shared file; PostgreSQL: the module schemas):
/// one hash per table over its rows in a stable order, so "the database is unchanged" is a dictionary comparison and a
/// difference names the table.
/// </summary>
public static class DatabaseDump
{
    public static readonly string[] Modules = ["schools", "quotas", "registry", "allocation", "reporting", "appeals", "notifications"];

    public static IReadOnlyDictionary<string, string> Take(EnrollmentFactory factory)
    {
        using DbConnection connection = factory.PostgresConnectionString is { } postgres
            ? new Npgsql.NpgsqlConnection(postgres)
            : new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "enrollment.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = Tables(connection, factory.PostgresConnectionString is not null);
        var dump = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, sql) in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {sql}";
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            var line = new StringBuilder();
            while (reader.Read())
            {
                line.Clear();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    line.Append(value switch
                    {
                        DBNull => "∅",
                        byte[] bytes => Convert.ToHexString(bytes),
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        _ => value.ToString(),
                    }).Append('\u001F');
                }

                rows.Add(line.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001E', rows)));
            dump[name] = $"{rows.Count} rows {Convert.ToHexString(hash)[..16]}";
        }

        return dump;
    }

    /// <summary>The tables whose dump differs (added, removed or changed), empty when the databases are equal.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
    [
        .. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t => $"{t}: {before.GetValueOrDefault(t) ?? "absent"} → {after.GetValueOrDefault(t) ?? "absent"}"),
    ];

    private static List<(string Name, string Sql)> Tables(DbConnection connection, bool postgres)
    {
        using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ANY(@modules)"
            : "SELECT '', name FROM sqlite_master WHERE type = 'table'";
        if (postgres)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter("modules", Modules));
        }

        var tables = new List<(string, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var schema = reader.GetString(0);
            var table = reader.GetString(1);
            if (postgres)
            {
                tables.Add(($"{schema}.{table}", $"\"{schema}\".\"{table}\""));
            }
            else if (Modules.Any(m => table.StartsWith(m + "_", StringComparison.Ordinal)) && !table.Contains("__EFMigrationsHistory", StringComparison.Ordinal))
            {
                tables.Add((table, $"\"{table}\""));
            }
        }

        return tables;
    }
}

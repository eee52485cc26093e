using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// WAL journal (readers never block the writer), NORMAL sync (durable in WAL at commit boundaries after a
/// checkpoint; survives a process kill), a busy timeout so concurrent writers wait instead of failing, and
/// foreign keys on. Runs once on every physical connection the module contexts open: Microsoft.Data.Sqlite pools its
/// connections, and these settings belong to the native connection (the journal mode to the file), so a pooled
/// connection that EF opens again for the next query already has them — running them again on every logical open
/// cost four statements per query (docs/benchmarks.md, "Cost per submit").
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    /// <summary>Native connections (sqlite3 handles) that already have the pragmas; entries go with their handle.</summary>
    private static readonly ConditionalWeakTable<object, object> Applied = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsPragmas(connection, out var handle))
        {
            return;
        }

        using var command = Command(connection, "");
        command.ExecuteNonQuery();
        Remember(handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsPragmas(connection, out var handle))
        {
            return;
        }

        await ApplyAsync(connection, "", cancellationToken);
        Remember(handle);
    }

    /// <summary>
    /// Runs the same pragmas, then <paramref name="extra"/>, on a connection opened outside EF (the submit queue's own
    /// writer connection, ADR 0908), which this interceptor never sees open.
    /// </summary>
    public static async Task ApplyAsync(DbConnection connection, string extra = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = Command(connection, extra);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, string extra)
    {
        var command = connection.CreateCommand();
        command.CommandText = Pragmas + extra;
        return command;
    }

    private static bool NeedsPragmas(DbConnection connection, out object? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !Applied.TryGetValue(handle, out _);
    }

    private static void Remember(object? handle)
    {
        if (handle is not null)
        {
            Applied.AddOrUpdate(handle, Instance);
        }
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// WAL journal (readers never block the writer), NORMAL sync (durable in WAL at commit boundaries after a
/// checkpoint; survives a process kill), a busy timeout so concurrent writers wait instead of failing, and
/// foreign keys on. Runs on every connection the module contexts open.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

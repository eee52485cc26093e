using Microsoft.Data.Sqlite;
using Npgsql;

namespace Enrollment.BuildingBlocks.Errors;

/// <summary>
/// The database could not take the write right now (SQLite busy/locked beyond the busy timeout, disk or database full,
/// an I/O error; PostgreSQL out of space, connections or memory, starting up, a serialization failure). The transaction
/// was rolled back — nothing of the operation is half-saved — and the same request may simply be sent again (an
/// idempotency key makes a retried submission return the first answer). Reaches clients as
/// <c>extensions.code = TEMPORARILY_UNAVAILABLE</c> with <c>extensions.retryAfterSeconds</c> and an HTTP <c>Retry-After</c>.
/// </summary>
public static class TemporarilyUnavailable
{
    public const string Code = "TEMPORARILY_UNAVAILABLE";

    public const int RetryAfterSeconds = 5;

    public const string Message = "The service is temporarily unable to save (the database is busy or out of space). Nothing was saved; please try again in a few seconds.";

    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
    private static readonly int[] SqliteCodes = [5, 6, 10, 13, 14];

    // disk_full, insufficient_resources, out_of_memory, too_many_connections, cannot_connect_now, serialization_failure, deadlock_detected
    private static readonly string[] PostgresStates = ["53100", "53000", "53200", "53300", "57P03", "40001", "40P01"];

    /// <summary>True when <paramref name="exception"/> (or an inner exception) is a transient database failure.</summary>
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when SqliteCodes.Contains(sqlite.SqliteErrorCode):
                case PostgresException postgres when PostgresStates.Contains(postgres.SqlState):
                case NpgsqlException { IsTransient: true }:
                case TemporarilyUnavailableException:
                    return true;
            }
        }

        return false;
    }
}

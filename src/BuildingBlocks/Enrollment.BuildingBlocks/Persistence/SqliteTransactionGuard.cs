using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// SQLite: a module context's connection never goes back to the pool inside a transaction (ADR 0909). Microsoft.Data.Sqlite
/// rolls back the <see cref="SqliteTransaction"/> it knows when a connection closes, but when that rollback fails it
/// forgets the transaction anyway (its <c>RollbackInternal</c> completes in a <c>finally</c>), and it never sees a
/// transaction begun outside it — the native connection stays in the transaction and goes back to the pool holding the
/// file's write lock. Every later write of every module on that file then waited for the busy timeout and failed, and the
/// opening-day burst test hung (2026-11-29). EF creates every module connection through this interceptor as a
/// <see cref="GuardedSqliteConnection"/>, which asks SQLite whether it is still in a transaction when it closes
/// (<c>sqlite3_get_autocommit</c>, a field read) and rolls back what is left — counted in <see cref="Ended"/> (shown in
/// <c>/healthz</c>' <c>db:statements</c>) and logged with where it happened.
/// </summary>
public sealed class SqliteTransactionGuard : DbConnectionInterceptor
{
    public static readonly SqliteTransactionGuard Instance = new();

    private static long _ended;

    /// <summary>Transactions this process found left open on a closing connection and rolled back.</summary>
    public static long Ended => Interlocked.Read(ref _ended);

    internal static void CountEnded() => Interlocked.Increment(ref _ended);

    public override InterceptionResult<DbConnection> ConnectionCreating(ConnectionCreatingEventData eventData, InterceptionResult<DbConnection> result)
    {
        var logger = eventData.Context?.GetService<ILoggerFactory>()?.CreateLogger<GuardedSqliteConnection>() ?? NullLogger<GuardedSqliteConnection>.Instance;
        return InterceptionResult<DbConnection>.SuppressWithResult(new GuardedSqliteConnection(eventData.ConnectionString, logger));
    }
}

/// <summary>A <see cref="SqliteConnection"/> that rolls back a transaction left open before it goes back to the pool (ADR 0909).</summary>
public sealed partial class GuardedSqliteConnection : SqliteConnection
{
    private readonly ILogger _logger;
    private readonly GuardedSqliteFactory _factory;

    public GuardedSqliteConnection(string? connectionString, ILogger logger)
        : base(connectionString)
    {
        _logger = logger;
        _factory = new GuardedSqliteFactory(logger);
    }

    /// <summary>Connections made from this one (e.g. a context given a connection of its own again) are guarded too.</summary>
    protected override DbProviderFactory DbProviderFactory => _factory;

    public override void Close()
    {
        if (State == ConnectionState.Open && Handle is { } handle)
        {
            var known = Transaction is not null;
            try
            {
                Transaction?.Dispose(); // what the base does first; a failure here is what leaves the native transaction open
            }
            catch (SqliteException e)
            {
                LogRollbackFailed(_logger, e);
            }

            if (raw.sqlite3_get_autocommit(handle) == 0)
            {
                var result = raw.sqlite3_exec(handle, "ROLLBACK");
                SqliteTransactionGuard.CountEnded();
                LogEnded(_logger, known, result, new StackTrace(1, false).ToString());
            }
        }

        base.Close();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolling back a SQLite transaction failed while its connection closed")]
    private static partial void LogRollbackFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A SQLite connection closed inside a transaction nothing had ended (the provider knew it: {Known}); it was rolled back (result {Result}) so that the pooled connection does not keep the file's write lock. Where: {Where}")]
    private static partial void LogEnded(ILogger logger, bool known, int result, string where);

    private sealed class GuardedSqliteFactory(ILogger logger) : DbProviderFactory
    {
        public override DbConnection CreateConnection() => new GuardedSqliteConnection(null, logger);

        public override DbCommand CreateCommand() => SqliteFactory.Instance.CreateCommand();

        public override DbParameter CreateParameter() => SqliteFactory.Instance.CreateParameter();

        public override DbConnectionStringBuilder CreateConnectionStringBuilder() => SqliteFactory.Instance.CreateConnectionStringBuilder();
    }
}

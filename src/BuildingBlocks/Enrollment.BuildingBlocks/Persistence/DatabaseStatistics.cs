using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// Process-wide counts of what the module contexts ask of the database: commands (every statement batch EF sends),
/// committed transactions (explicit ones; EF's implicit SaveChanges transaction included) and connection opens.
/// Shown in <c>/healthz</c> (<c>db:statements</c>) so a load run can divide them by the submits it made
/// (docs/benchmarks.md, "Cost per submit"). A few interlocked increments per command: cheap enough to stay on.
/// </summary>
public sealed class DatabaseStatistics : IDbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor
{
    public static readonly DatabaseStatistics Instance = new();

    private static long _commands;
    private static long _commits;
    private static long _opens;

    public static (long Commands, long Commits, long Opens) Current =>
        (Interlocked.Read(ref _commands), Interlocked.Read(ref _commits), Interlocked.Read(ref _opens));

    public static string Describe()
    {
        var (commands, commits, opens) = Current;
        return string.Create(CultureInfo.InvariantCulture, $"commands {commands}; commits {commits}; opens {opens}");
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Count(result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(result));

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) => Count(result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(result));

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Count(result);

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _commits);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return Task.CompletedTask;
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Interlocked.Increment(ref _opens);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _opens);
        return Task.CompletedTask;
    }

    private static T Count<T>(T result)
    {
        Interlocked.Increment(ref _commands);
        return result;
    }
}

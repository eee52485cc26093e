using System.Collections.Concurrent;
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
    private static readonly ConcurrentDictionary<Type, StrongBox> ByContext = new();

    public static (long Commands, long Commits, long Opens) Current =>
        (Interlocked.Read(ref _commands), Interlocked.Read(ref _commits), Interlocked.Read(ref _opens));

    public static string Describe()
    {
        var (commands, commits, opens) = Current;
        var modules = ByContext.Select(c => (Name: ModuleName(c.Key), Count: Interlocked.Read(ref c.Value.Count)))
            .GroupBy(c => c.Name).Select(g => (g.Key, Count: g.Sum(c => c.Count))).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}={g.Count}"));
        return string.Create(CultureInfo.InvariantCulture, $"commands {commands}; commits {commits}; opens {opens}; transactions left open {SqliteTransactionGuard.Ended}; by module: {string.Join(", ", modules)}");
    }

    /// <summary>RegistrySqliteDbContext → registry.</summary>
    private static string ModuleName(Type context)
    {
        var name = context.Name;
        foreach (var suffix in new[] { "DbContext", "Sqlite", "Postgres" })
        {
            name = name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
        }

        return name.ToLowerInvariant();
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Count(eventData, result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(eventData, result));

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) => Count(eventData, result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(eventData, result));

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Count(eventData, result);

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(eventData, result));

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

    private static T Count<T>(CommandEventData eventData, T result)
    {
        Interlocked.Increment(ref _commands);
        if (eventData.Context is { } context)
        {
            Interlocked.Increment(ref ByContext.GetOrAdd(context.GetType(), _ => new StrongBox()).Count);
        }

        return result;
    }

    private sealed class StrongBox
    {
        public long Count;
    }
}

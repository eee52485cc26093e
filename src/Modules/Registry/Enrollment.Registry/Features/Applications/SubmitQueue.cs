using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.Channels;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Enrollment.Registry.Features.Applications;

/// <summary>Configuration section <c>Registry:SubmitQueue</c> (docs/operations.md, ADR 0900).</summary>
internal sealed class SubmitQueueOptions
{
    /// <summary>Off: every submit commits its own transaction (the behaviour before ADR 0900).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Submits waiting for the writer at most; a caller beyond it waits for room (back-pressure), at most <see cref="MaxWait"/>.</summary>
    public int Capacity { get; set; } = 2048;

    /// <summary>Submits committed in one transaction at most.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// SQLite: the page cache of the writer's own connection, in MiB (ADR 0908); 0 = the writer takes a pooled connection
    /// per batch, as before.
    /// </summary>
    public int WriterCacheMiB { get; set; } = 64;

    /// <summary>
    /// How long a submit waits for the writer to begin it at most (ADR 0913): one still waiting in the queue then is
    /// withdrawn and refused with TEMPORARILY_UNAVAILABLE (nothing saved; the parent sends it again). One the writer has
    /// begun is always waited for — its commit is under way.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The opening-morning write path of submits (ADR 0900): a bounded in-process queue whose single writer commits many
/// submits in one transaction and acknowledges each caller only after that commit. Each submit stays the caller's own
/// unit of work — its own DbContext (so its audit entries name the parent who acted) with its changes prepared and
/// validated before it is queued; the writer lends every context of a batch its connection and transaction and saves
/// it behind a savepoint, so a submit that fails (the unique index on the child's active application, the idempotency
/// key) is undone alone and the others commit. When the commit itself fails, each submit is retried in its own
/// transaction. The caller publishes the events after the acknowledgement, as before. Committed batches are
/// published and acknowledged beside the next batches' commits, those waiting for a publisher together (ADR 0905).
/// </summary>
internal sealed partial class SubmitQueue : BackgroundService
{
    public const string MeterName = "Enrollment.Registry.SubmitQueue";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<int> _batchSizes;
    private readonly Histogram<double> _commitTimes;
    private readonly Channel<Work> _channel;
    private readonly IServiceScopeFactory _scopes;
    private readonly SubmitQueueOptions _options;
    private readonly ILogger<SubmitQueue> _logger;
    private long _batches;
    private long _committed;
    private long _lastBatch;
    private double _lastCommitMs;
    private long _withdrawn;

    public SubmitQueue(IServiceScopeFactory scopes, SubmitQueueOptions options, ILogger<SubmitQueue> logger)
    {
        _scopes = scopes;
        _options = options;
        _logger = logger;
        _channel = Channel.CreateBounded<Work>(new BoundedChannelOptions(Math.Max(1, options.Capacity))
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true,
        });
        _batchSizes = _meter.CreateHistogram<int>("enrollment.registry.submit_queue.batch_size", "{submit}");
        _commitTimes = _meter.CreateHistogram<double>("enrollment.registry.submit_queue.commit_duration", "ms");
        _meter.CreateObservableGauge("enrollment.registry.submit_queue.depth", () => Depth, "{submit}");
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Submits waiting for the writer now.</summary>
    public int Depth => _channel.Reader.Count;

    public int Capacity => _options.Capacity;

    /// <summary>
    /// Submits refused unsaved because the writer had not begun them within <see cref="SubmitQueueOptions.MaxWait"/>: withdrawn
    /// from the queue, or from the wait for room in it (never queued).
    /// </summary>
    public long Withdrawn => Interlocked.Read(ref _withdrawn);

    public (long Batches, long Committed, long LastBatch, double LastCommitMs) Counters =>
        (Interlocked.Read(ref _batches), Interlocked.Read(ref _committed), Interlocked.Read(ref _lastBatch), Volatile.Read(ref _lastCommitMs));

    /// <summary>
    /// Saves the pending changes of <paramref name="db"/> in the writer's next transaction and returns after it committed;
    /// throws what saving this context alone threw (e.g. <see cref="DbUpdateException"/>). A context that holds its own
    /// open connection or transaction is saved directly.
    /// </summary>
    public async Task<bool> SaveAsync(RegistryDbContext db, Application application, CancellationToken ct)
    {
        if (!_options.Enabled || db.Database.CurrentTransaction is not null || db.Database.GetDbConnection().State != ConnectionState.Closed)
        {
            await db.SaveChangesAsync(ct);
            return false;
        }

        var work = new Work(db, application);
        using var bound = new CancellationTokenSource(_options.MaxWait);
        if (!_channel.Writer.TryWrite(work)) // full (or closed): wait for room, for the caller or the bound, whichever ends first
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, bound.Token);
            try
            {
                await _channel.Writer.WriteAsync(work, waiting.Token);
            }
            catch (ChannelClosedException)
            {
                await db.SaveChangesAsync(ct); // the host is stopping: the writer is gone
                return false;
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw Refused(); // the queue stayed full: never queued
            }
        }

        // Once queued, the submit is committed or refused whatever the caller does (a retry with the same key finds it) —
        // unless the writer has not begun it within the bound: then it is withdrawn, so the writer skips it, and refused.
        try
        {
            await work.Done.Task.WaitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            if (!work.Done.Task.IsCompleted && work.TryWithdraw())
            {
                throw Refused();
            }
        }

        await work.Done.Task; // the writer has it: its commit is under way
        return work.Published;
    }

    private TemporarilyUnavailableException Refused()
    {
        Interlocked.Increment(ref _withdrawn);
        LogWithdrawn(_logger, _options.MaxWait.TotalSeconds, Depth);
        return new TemporarilyUnavailableException("The submit queue did not begin the submit in time; it was withdrawn unsaved.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Work>(_options.MaxBatch);
        var reader = _channel.Reader;
        var publishers = Enumerable.Range(0, Publishers).Select(_ => Task.Run(PublishCommittedAsync, CancellationToken.None)).ToArray();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatch && reader.TryRead(out var work))
                {
                    if (work.TryTake()) // not withdrawn by its caller
                    {
                        batch.Add(work);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    await CommitAsync(batch);
                }
                catch (Exception e)
                {
                    // Never leave a caller waiting, never stop the writer.
                    foreach (var work in batch)
                    {
                        work.Failure ??= e;
                        work.Complete();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: whatever is still queued is saved (and published) before the host stops.
        _channel.Writer.TryComplete();
        while (reader.TryRead(out var work))
        {
            if (work.TryTake())
            {
                await CommitAsync([work]);
            }
        }

        // Then every committed batch is published and acknowledged before the host stops.
        _toPublish.Writer.TryComplete();
        await Task.WhenAll(publishers);
    }

    private async Task CommitAsync(List<Work> batch)
    {
        var watch = Stopwatch.StartNew();
        var saved = new List<Work>(batch.Count);
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            await CommitBatchAsync(scope.ServiceProvider.GetRequiredService<RegistryDbContext>(), batch, saved);
        }
        catch (Exception e)
        {
            await DropWriterConnectionAsync(); // whatever went wrong, the next batch starts on a new connection

            // The batch did not commit. Every submit without its own failure — saved into the rolled-back transaction or
            // never reached (the transaction could not even begin) — is either refused with the transient error (a locked
            // or full database: a retry alone would only wait again) or saved in its own transaction. None is acknowledged
            // unless it was committed.
            LogBatchFailed(_logger, e, batch.Count);
            foreach (var work in batch.Where(w => w.Failure is null))
            {
                if (TemporarilyUnavailable.Is(e))
                {
                    work.Failure = e;
                }
                else
                {
                    await SaveAloneAsync(work);
                }
            }

            saved.Clear();
        }

        foreach (var work in saved)
        {
            work.Db.ChangeTracker.AcceptAllChanges();
        }

        watch.Stop();
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _committed, batch.Count(w => w.Failure is null));
        Interlocked.Exchange(ref _lastBatch, batch.Count);
        Volatile.Write(ref _lastCommitMs, watch.Elapsed.TotalMilliseconds);
        _batchSizes.Record(batch.Count);
        _commitTimes.Record(watch.Elapsed.TotalMilliseconds);

        // The batch's publication and acknowledgement run beside the next batches' commits (ADR 0905): the writer only
        // waits when CommittedBacklog batches are still waiting for a publisher. Each caller is still answered only after
        // its submit committed and its status change was published.
        await _toPublish.Writer.WriteAsync(new Committed(saved, [.. batch]));
    }

    /// <summary>
    /// Saves each submit of the batch behind its savepoint, appends the batch's audit entries and commits — on the writer's
    /// own connection when it has one (given back to the pooled context afterwards).
    /// </summary>
    private async Task CommitBatchAsync(RegistryDbContext writer, List<Work> batch, List<Work> saved)
    {
        var own = await WriterConnectionAsync(writer);
        if (own is not null)
        {
            writer.Database.SetDbConnection(own, contextOwnsConnection: false);
        }

        try
        {
            await CommitOnConnectionAsync(writer, batch, saved);
        }
        finally
        {
            if (own is not null)
            {
                await Restore(writer, own);
            }
        }
    }

    private async Task CommitOnConnectionAsync(RegistryDbContext writer, List<Work> batch, List<Work> saved)
    {
        await writer.Database.OpenConnectionAsync();
        await using var transaction = await writer.Database.BeginTransactionAsync();
        var connection = writer.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        var audit = new List<AuditEntryData>();
        var entries = new List<AuditEntryData>();
        foreach (var work in batch)
        {
            entries.Clear();
            try
            {
                work.Db.Database.SetDbConnection(connection, contextOwnsConnection: false);
                await work.Db.Database.UseTransactionAsync(dbTransaction);
                // Each submit's audit entries (naming its parent) are appended with the batch's, once (ADR 0904).
                AuditInterceptor.DeferAppends(work.Db, entries);
                // A savepoint around each context: a failing submit is rolled back alone. Changes are accepted only after the commit.
                await work.Db.SaveChangesAsync(acceptAllChangesOnSuccess: false);
                saved.Add(work);
                audit.AddRange(entries);
            }
            catch (Exception e)
            {
                Failed(work, e);
            }
            finally
            {
                AuditInterceptor.StopDeferring(work.Db);
                await Restore(work.Db, connection);
            }
        }

        await AuditLog.AppendAsync(writer, audit, CancellationToken.None);
        await transaction.CommitAsync();
        await writer.Database.CloseConnectionAsync();
    }

    /// <summary>
    /// SQLite: the writer's own connection, opened once and kept open between batches with a page cache of
    /// <see cref="SubmitQueueOptions.WriterCacheMiB"/> (ADR 0908). SQLite empties a connection's page cache whenever
    /// another connection committed since its last transaction; a pooled connection taken per batch had always seen
    /// others' commits (or none of the writer's pages), so every batch read the indexes it inserts into again from the
    /// file. Its own connection only sees its own commits on the opening morning and keeps those pages. Null on
    /// PostgreSQL (the server caches pages for everyone), when turned off, or for a context without a connection string.
    /// </summary>
    private async Task<DbConnection?> WriterConnectionAsync(RegistryDbContext writer)
    {
        if (_writerConnection is not null || _options.WriterCacheMiB <= 0 || !writer.Database.IsSqlite())
        {
            return _writerConnection;
        }

        var connectionString = RelationalOptionsExtension.Extract(writer.GetService<IDbContextOptions>()).ConnectionString;
        if (string.IsNullOrEmpty(connectionString))
        {
            return null;
        }

        // Not pooled: its large cache stays with it and goes when it is closed.
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        builder["Pooling"] = "False";
        var connection = DbProviderFactories.GetFactory(writer.Database.GetDbConnection())!.CreateConnection()!;
        connection.ConnectionString = builder.ConnectionString;
        try
        {
            await connection.OpenAsync();
            await SqlitePragmas.ApplyAsync(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{_options.WriterCacheMiB * 1024};"));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        Interlocked.Increment(ref _writerConnectionsOpened);
        return _writerConnection = connection;
    }

    private DbConnection? _writerConnection;
    private long _writerConnectionsOpened;

    /// <summary>SQLite: how often the writer opened its own connection (once, plus once after each failed batch; ADR 0908).</summary>
    public long WriterConnectionsOpened => Interlocked.Read(ref _writerConnectionsOpened);

    private async Task DropWriterConnectionAsync()
    {
        if (_writerConnection is { } connection)
        {
            _writerConnection = null;
            await connection.DisposeAsync();
        }
    }

    /// <summary>Publishers of committed batches (ADR 0905): each takes every batch waiting when it starts a publication.</summary>
    internal const int Publishers = 2;

    /// <summary>Committed batches waiting for a publisher at most; the writer waits for room beyond it.</summary>
    internal const int CommittedBacklog = 64;

    /// <summary>Submits published in one event at most (Reporting reads their facts with one parameter each).</summary>
    internal const int MaxPublication = 2048;

    private readonly Channel<Committed> _toPublish = Channel.CreateBounded<Committed>(new BoundedChannelOptions(CommittedBacklog)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>
    /// One publisher: takes every committed batch waiting (up to <see cref="MaxPublication"/> submits), publishes them
    /// in one event and then answers their callers (ADR 0905, amended). While the publishers are busy the next batches
    /// wait and are then published together, so on the opening morning each listener writes dozens of submits per
    /// transaction instead of one writer batch's few — its fixed cost per transaction (key checks, day cells, version,
    /// commit) is shared by more submits. Runs until the writer completes the channel at shutdown.
    /// </summary>
    private async Task PublishCommittedAsync()
    {
        var reader = _toPublish.Reader;
        var taken = new List<Committed>();
        while (await reader.WaitToReadAsync())
        {
            taken.Clear();
            var submits = 0;
            while (submits < MaxPublication && reader.TryRead(out var committed))
            {
                taken.Add(committed);
                submits += committed.Done.Length;
            }

            try
            {
                await PublishAsync(taken.Count == 1 ? taken[0].Saved : [.. taken.SelectMany(c => c.Saved)]);
            }
            finally
            {
                foreach (var work in taken.SelectMany(c => c.Done))
                {
                    work.Complete(); // nothing after this may keep a caller waiting
                }
            }
        }
    }

    private sealed record Committed(List<Work> Saved, Work[] Done);

    /// <summary>
    /// One <see cref="ApplicationStatusesChanged"/> for the submits this batch committed, before any of them is acknowledged
    /// (as a request publishes before it answers): each listener writes the batch in one transaction instead of one per
    /// submit (ADR 0901). A failing listener is logged and does not undo the commit, as for the single event.
    /// </summary>
    private async Task PublishAsync(List<Work> saved)
    {
        if (saved.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var hasher = scope.ServiceProvider.GetRequiredService<ChildKeyHasher>();
            var changes = new List<ApplicationStatusChanged>(saved.Count);
            foreach (var work in saved)
            {
                changes.AddRange(ApplicationEvents.Changes(work.Application, hasher));
                work.Published = true;
            }

            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(new ApplicationStatusesChanged(changes));
        }
        catch (Exception e)
        {
            LogPublishFailed(_logger, e, saved.Count);
        }
    }

    private async Task SaveAloneAsync(Work work)
    {
        try
        {
            await work.Db.SaveChangesAsync();
            work.Failure = null;
            work.SavedAlone = true;
        }
        catch (Exception e)
        {
            Failed(work, e);
        }
    }

    /// <summary>
    /// Records a submit's failure. A conflict (DbUpdateException) is the caller's to explain; anything else would reach it
    /// as an internal error, so the log names it here, where it happened.
    /// </summary>
    private void Failed(Work work, Exception e)
    {
        work.Failure = e;
        if (e is not DbUpdateException)
        {
            LogWorkFailed(_logger, e, e.GetType().Name);
        }
    }

    /// <summary>
    /// Gives the context back its own connection (a new one, owned by the context, on its connection string): a pooled
    /// context (ADR 0903) is reset with its own connection disposed, whereas a connection it does not own would be left as
    /// it is — open, with its open count — for the scope that leases the context next.
    /// </summary>
    private static async Task Restore(RegistryDbContext db, DbConnection lent)
    {
        // The configured connection string (the context's options), not the one an opened connection reports: Npgsql leaves
        // the password out of that once the connection was opened.
        var connectionString = RelationalOptionsExtension.Extract(db.GetService<IDbContextOptions>()).ConnectionString;
        try
        {
            await db.Database.UseTransactionAsync(null);
        }
        finally
        {
            db.Database.SetDbConnection(null);
            var own = DbProviderFactories.GetFactory(lent)!.CreateConnection()!;
            own.ConnectionString = connectionString;
            db.Database.SetDbConnection(own, contextOwnsConnection: true);
        }
    }

    public override void Dispose()
    {
        _meter.Dispose();
        _writerConnection?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A listener of the status changes of {Count} committed submits failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A submit in the queue failed with {Type} (not a conflict)")]
    private static partial void LogWorkFailed(ILogger logger, Exception e, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} submits did not commit; each is retried in its own transaction")]
    private static partial void LogBatchFailed(ILogger logger, Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A submit was refused with TEMPORARILY_UNAVAILABLE: the writer had not begun it within {Seconds} s (queue depth {Depth})")]
    private static partial void LogWithdrawn(ILogger logger, double seconds, int depth);

    private sealed class Work(RegistryDbContext db, Application application)
    {
        public RegistryDbContext Db { get; } = db;

        public Application Application { get; } = application;

        /// <summary>Its status changes went out with the batch's event; otherwise the caller publishes them.</summary>
        public bool Published { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Failure { get; set; }

        public bool SavedAlone { get; set; }

        private const int Queued = 0, Taken = 1, Withdrawn = 2;
        private int _state;

        /// <summary>The writer takes it into a batch; false when its caller withdrew it first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>Its caller gives up waiting; false when the writer took it first (its commit is under way).</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;

        public void Complete()
        {
            if (Failure is null)
            {
                Done.TrySetResult();
            }
            else
            {
                Done.TrySetException(Failure);
            }
        }
    }
}

/// <summary><c>registry:submit-queue</c> in /healthz: the queue depth against its capacity and the last batch (Degraded when nearly full).</summary>
internal sealed class SubmitQueueHealthCheck(SubmitQueue queue) : IHealthCheck
{
    public const string Name = "registry:submit-queue";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (batches, committed, last, lastMs) = queue.Counters;
        var depth = queue.Depth;
        var description = string.Create(CultureInfo.InvariantCulture,
            $"depth {depth}/{queue.Capacity}; {committed} submits in {batches} batches; last batch {last} in {lastMs:0.0} ms; writer connections opened {queue.WriterConnectionsOpened}; withdrawn unsaved {queue.Withdrawn}{(queue.Enabled ? "" : "; disabled")}");
        var data = new Dictionary<string, object>
        {
            ["depth"] = depth, ["capacity"] = queue.Capacity, ["batches"] = batches, ["committed"] = committed, ["withdrawn"] = queue.Withdrawn,
        };
        return Task.FromResult(depth >= queue.Capacity * 9 / 10
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}

internal static class SubmitQueueServices
{
    /// <summary>Like <see cref="ApplicationEvents.SaveAndPublishAsync"/> for one submit, with the save going through the queue.</summary>
    public static async Task SaveQueuedAndPublishAsync(this ApplicationEvents events, SubmitQueue queue, RegistryDbContext db, Application application,
        CancellationToken ct)
    {
        if (db.Entry(application).State != EntityState.Added)
        {
            application.Version++;
        }

        if (!await queue.SaveAsync(db, application, ct))
        {
            await events.PublishAsync([application], ct);
        }
    }

    public static IServiceCollection AddSubmitQueue(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = new SubmitQueueOptions();
            sp.GetRequiredService<IConfiguration>().GetSection("Registry:SubmitQueue").Bind(options);
            return options.MaxWait > TimeSpan.Zero && options.MaxWait <= TimeSpan.FromMinutes(10)
                ? options
                : throw new InvalidOperationException("Registry:SubmitQueue:MaxWait must be more than 0 and at most 10 minutes.");
        });
        services.AddSingleton<SubmitQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<SubmitQueue>());
        services.AddHealthChecks().AddCheck<SubmitQueueHealthCheck>(SubmitQueueHealthCheck.Name);
        return services;
    }
}

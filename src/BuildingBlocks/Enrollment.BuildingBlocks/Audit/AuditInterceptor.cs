using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Enrollment.BuildingBlocks.Audit;

/// <summary>
/// Who is acting, for the audit trail: the signed-in user (or the system for jobs and seeding), the request id,
/// and the reason a rule asks for (a handler sets <see cref="Reason"/> before saving).
/// </summary>
public sealed class AuditContext(ICurrentUser user)
{
    public ICurrentUser User => user;

    public string? RequestId { get; set; }

    public string? Reason { get; set; }
}

/// <summary>
/// Every <c>SaveChanges</c> of a module context appends one audit entry per changed entity — who, role and scope,
/// when, which entity, before → after, reason, request id — to the append-only audit table, in the same transaction
/// as the change: either both are stored or neither. Each entry carries the SHA-256 of the previous entry's hash and
/// its own content, so a row edited in the database breaks the chain (see docs/adr/0007-audit-trail.md).
/// Bulk inserts (demo seeding) bypass it.
/// </summary>
/// <remarks>
/// One interceptor per module, shared by every context of the module (the contexts' options are built once per host, not
/// per scope). Who acts is the <see cref="AuditContext"/> of the scope that made the context (<see cref="Bind"/>); the
/// state of a save in progress is kept per context.
/// </remarks>
public sealed class AuditInterceptor(string module, IClock clock) : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, AuditContext> Actors = new();
    private readonly ConditionalWeakTable<DbContext, SaveState> _saves = new();

    private static readonly ConditionalWeakTable<DbContext, List<AuditEntryData>> Deferred = new();

    /// <summary>
    /// Until <see cref="StopDeferring"/>, the entries of <paramref name="context"/>'s successful saves are added to
    /// <paramref name="sink"/> instead of being appended: the caller owns the transaction and appends them with
    /// <see cref="AuditLog.AppendAsync(DbContext, IReadOnlyList{AuditEntryData}, CancellationToken)"/> before it commits (the submit queue
    /// appends a whole batch's entries at once, ADR 0904). A save that fails adds nothing.
    /// </summary>
    public static void DeferAppends(DbContext context, List<AuditEntryData> sink) => Deferred.AddOrUpdate(context, sink);

    public static void StopDeferring(DbContext context) => Deferred.Remove(context);

    /// <summary>Names the scope's <see cref="AuditContext"/> as the actor of <paramref name="context"/>'s saves.</summary>
    public static TContext Bind<TContext>(TContext context, AuditContext audit) where TContext : DbContext
    {
        Actors.AddOrUpdate(context, audit);
        return context;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var context = eventData.Context!;
        var audit = Actors.TryGetValue(context, out var bound) ? bound
            : throw new InvalidOperationException($"{context.GetType().Name} was not made by its scope: nobody to name in the audit trail.");
        var state = _saves.GetValue(context, _ => new SaveState());
        // A save that lost a concurrent change ends without any of the hooks below (EF throws DbUpdateConcurrencyException
        // without calling SaveChangesFailed), leaving the transaction this interceptor began: it is never committed as this
        // save's (before 2026-11-30 a pooled context that had lost a race did so in its next save, in a transaction lent by
        // the submit queue). EndOwnedAsync says when it is rolled back and when only forgotten.
        await EndOwnedAsync(context, state, cancellationToken);
        state.Pending = Collect(context, audit);
        if (state.Pending.Count > 0 && context.Database.CurrentTransaction is null)
        {
            state.Owned = await context.Database.BeginTransactionAsync(cancellationToken);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        var context = eventData.Context!;
        if (!_saves.TryGetValue(context, out var state))
        {
            return result;
        }

        var pending = state.Pending;
        state.Pending = null;
        if (pending is { Count: > 0 })
        {
            if (state.Owned is null && Deferred.TryGetValue(context, out var sink))
            {
                sink.AddRange(pending.Select(p => p.Complete()));
                return result;
            }

            await AuditLog.AppendAsync(context, [.. pending.Select(p => p.Complete())], cancellationToken);
            if (state.Owned is { } owned)
            {
                state.Owned = null;
                await owned.CommitAsync(cancellationToken);
                await owned.DisposeAsync();
            }
        }

        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        AbandonAsync(eventData.Context!);

    /// <summary>
    /// A cancelled save (EF calls this hook, not <see cref="SaveChangesFailedAsync"/>, for an OperationCanceledException)
    /// rolls the audit's own transaction back like a failed one.
    /// </summary>
    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        AbandonAsync(eventData.Context!);

    public override void SaveChangesCanceled(DbContextEventData eventData) =>
        SaveChangesCanceledAsync(eventData).GetAwaiter().GetResult();

    private async Task AbandonAsync(DbContext context)
    {
        if (_saves.TryGetValue(context, out var state))
        {
            state.Pending = null;
            await EndOwnedAsync(context, state, CancellationToken.None); // the caller's token may be the cancelled one
        }
    }

    /// <summary>
    /// Rolls back and disposes the transaction this interceptor began for a save that did not complete — only while it is
    /// still <paramref name="context"/>'s current transaction. Otherwise the context's lease ended in between: EF ended the
    /// transaction with the lease and cleared it, and the object must not be touched again. Npgsql keeps one transaction
    /// object per physical connection and hands it to whoever begins the connection's next transaction, so rolling back
    /// (or disposing) the stale one rolled back another context's transaction (PostgreSQL, QuotaRaceTests: "A command is
    /// already in progress", 2026-11-30).
    /// </summary>
    private static async Task EndOwnedAsync(DbContext context, SaveState state, CancellationToken cancellationToken)
    {
        if (state.Owned is not { } owned)
        {
            return;
        }

        state.Owned = null;
        if (!ReferenceEquals(context.Database.CurrentTransaction, owned))
        {
            return;
        }

        try
        {
            await owned.RollbackAsync(cancellationToken);
        }
        catch (Exception error) when (error is InvalidOperationException or DbException)
        {
            // Already completed, or its connection broke: either way nothing of it can be committed any more, and the
            // failure that brought us here (or the next command) is the one to report.
        }
        finally
        {
            await owned.DisposeAsync();
        }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    private List<PendingEntry> Collect(DbContext context, AuditContext audit)
    {
        // Whole microseconds: what PostgreSQL's timestamptz keeps, so the hashed instant survives the round trip.
        var ticks = clock.UtcNow.UtcTicks;
        var now = new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
        var user = audit.User;
        var list = new List<PendingEntry>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || entry.Metadata.IsOwned())
            {
                continue;
            }

            var before = entry.State == EntityState.Added ? null : Snapshot(entry, original: true);
            var after = entry.State == EntityState.Deleted ? null : entry;
            list.Add(new PendingEntry(entry, entry.State.ToString(), before, after is null ? null : () => Snapshot(after, original: false),
                new AuditEntryData(now, user.UserId ?? "system", user.UserName ?? "system", string.Join(",", user.Roles),
                    user.DistrictCode, user.SchoolCode, audit.RequestId, module, entry.Metadata.ClrType.Name, "", entry.State.ToString(),
                    null, null, audit.Reason)));
        }

        return list;
    }

    /// <summary>
    /// The entity's properties as one JSON object, names in ordinal order, each value as <see cref="JsonSerializer"/>
    /// writes it (the same text as serializing a sorted name → value dictionary, which it was until 2026-11-29: ≈ 2 % of
    /// the opening morning's CPU went to building and serializing those dictionaries). The sorted property list is kept
    /// per entity type.
    /// </summary>
    internal static string Snapshot(EntityEntry entry, bool original)
    {
        var properties = SortedProperties.GetValue(entry.Metadata, static type => [.. type.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal)]);
        var values = original ? entry.OriginalValues : entry.CurrentValues;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = AuditLog.Json.Encoder }))
        {
            writer.WriteStartObject();
            foreach (var property in properties)
            {
                writer.WritePropertyName(property.Name);
                if (values[property] is { } value)
                {
                    JsonSerializer.Serialize(writer, value, value.GetType(), AuditLog.Json);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Weakly keyed: a model (and its entity types) that is no longer used is not kept alive by this list.</summary>
    private static readonly ConditionalWeakTable<IEntityType, IProperty[]> SortedProperties = new();

    /// <summary>A save of one context in progress: its entries and the transaction it opened (when it had none).</summary>
    private sealed class SaveState
    {
        public List<PendingEntry>? Pending { get; set; }

        public IDbContextTransaction? Owned { get; set; }
    }

    private sealed record PendingEntry(EntityEntry Entry, string Action, string? Before, Func<string>? After, AuditEntryData Data)
    {
        public AuditEntryData Complete()
        {
            var key = string.Join("|", Entry.Metadata.FindPrimaryKey()!.Properties
                .Select(p => Convert.ToString(Entry.Property(p.Name).CurrentValue ?? Entry.Property(p.Name).OriginalValue, CultureInfo.InvariantCulture)));
            return Data with { EntityKey = key, Before = Before, After = After?.Invoke() };
        }
    }
}

/// <summary>One audit entry's content (what the hash covers).</summary>
public sealed record AuditEntryData(
    DateTimeOffset At, string ActorId, string ActorName, string ActorRoles, string? DistrictCode, string? SchoolCode,
    string? RequestId, string Module, string Entity, string EntityKey, string Action, string? Before, string? After, string? Reason)
{
    /// <summary>Hash version 1: the snapshots themselves are hashed (entries written before retention could redact them).</summary>
    public string Canonical() => string.Join('\u001f', At.UtcTicks.ToString(CultureInfo.InvariantCulture), ActorId, ActorName, ActorRoles,
        DistrictCode, SchoolCode, RequestId, Module, Entity, EntityKey, Action, Before, After, Reason);

    /// <summary>
    /// Hash version 2: the snapshots enter through their digests, so retention can replace a snapshot's personal data and
    /// keep the digest (and with it the chain); see docs/adr/0008-audit-redaction-digests.md.
    /// </summary>
    public string CanonicalV2(string? beforeDigest, string? afterDigest) => string.Join('\u001f', "v2", At.UtcTicks.ToString(CultureInfo.InvariantCulture),
        ActorId, ActorName, ActorRoles, DistrictCode, SchoolCode, RequestId, Module, Entity, EntityKey, Action, beforeDigest, afterDigest, Reason);
}

/// <summary>The append-only audit table (created by the Host's audit migrations) and its hash chain.</summary>
public static class AuditLog
{
    public const string SqliteTable = "audit_entries";
    public const string PostgresTable = "audit.entries";

    internal static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The hash version new entries are written with (<c>hash_version</c>).</summary>
    public const int CurrentHashVersion = 2;

    /// <summary>The hash of a new entry (the current version).</summary>
    public static string Hash(string? previousHash, AuditEntryData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return HashV2(previousHash, data, Digest(data.Before), Digest(data.After));
    }

    /// <summary>Version 1: SHA-256 of the previous hash and the content with both snapshots.</summary>
    public static string HashV1(string? previousHash, AuditEntryData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Sha256((previousHash ?? "") + "\n" + data.Canonical());
    }

    /// <summary>Version 2: SHA-256 of the previous hash and the content with the snapshots' digests instead of the snapshots.</summary>
    public static string HashV2(string? previousHash, AuditEntryData data, string? beforeDigest, string? afterDigest)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Sha256((previousHash ?? "") + "\n" + data.CanonicalV2(beforeDigest, afterDigest));
    }

    /// <summary>The SHA-256 (hex) of a snapshot as written; null for no snapshot.</summary>
    public static string? Digest(string? json) => json is null ? null : Sha256(json);

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// Appends entries written by hand (for contexts that are not audited automatically, such as Auth, whose rows
    /// hold password hashes) to the same hash chain, inside the context's current transaction — or in a transaction
    /// of its own when there is none. The caller must keep secrets out of <see cref="AuditEntryData.Before"/> and
    /// <see cref="AuditEntryData.After"/>.
    /// </summary>
    public static async Task AppendExplicitAsync(DbContext context, AuditEntryData entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(entry);
        // Whole microseconds, as the interceptor does, so the hashed instant survives a PostgreSQL round trip.
        var ticks = entry.At.UtcTicks;
        entry = entry with { At = new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero) };
        if (context.Database.CurrentTransaction is not null)
        {
            await AppendAsync(context, [entry], cancellationToken);
            return;
        }

        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        await AppendAsync(context, [entry], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Appends entries the interceptor collected (<see cref="AuditInterceptor.DeferAppends"/>) to the chain, inside
    /// <paramref name="context"/>'s current transaction, which the caller then commits.
    /// </summary>
    public static async Task AppendAsync(DbContext context, IReadOnlyList<AuditEntryData> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(entries);
        if (context.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit entries are appended inside the transaction of the change they record.");
        }

        if (entries.Count > 0)
        {
            await AppendInTransactionAsync(context, entries, cancellationToken);
        }
    }

    private static async Task AppendInTransactionAsync(DbContext context, IReadOnlyList<AuditEntryData> entries, CancellationToken cancellationToken)
    {
        var postgres = context.Database.IsNpgsql();
        var connection = context.Database.GetDbConnection();
        var transaction = context.Database.CurrentTransaction!.GetDbTransaction();
        var table = postgres ? PostgresTable : SqliteTable;

        if (postgres)
        {
            // One appender at a time across every host: the chain stays linear.
            await using var lockCommand = Command(connection, transaction, $"SELECT pg_advisory_xact_lock({Persistence.AdvisoryLock.AuditChain})");
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        string? previous;
        await using (var last = Command(connection, transaction, $"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1"))
        {
            previous = await last.ExecuteScalarAsync(cancellationToken) as string;
        }

        // PostgreSQL: one multi-row INSERT per chunk instead of one round trip per entry (a submit writes 3–6 entries).
        // SQLite: one single-row INSERT prepared once and executed per entry — SQLite finds each named parameter by a
        // linear search, so a 50-row INSERT (950 parameters) cost ≈ 450,000 name comparisons (≈ 3.7 % of the host's CPU
        // once the submit queue appended a whole batch at once, ADR 0904); there is no round trip to save in-process.
        if (!postgres)
        {
            await using var insert = Command(connection, transaction, "");
            for (var i = 0; i < entries.Count; i++)
            {
                var sql = i == 0 ? new StringBuilder($"INSERT INTO {table} ({InsertColumns}) VALUES (") : null;
                previous = Bind(insert, 0, entries[i], previous, postgres, sql);
                if (sql is not null)
                {
                    insert.CommandText = sql.Append(')').ToString();
                }

                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return;
        }

        foreach (var chunk in entries.Chunk(InsertChunk))
        {
            var sql = new StringBuilder($"INSERT INTO {table} ({InsertColumns}) VALUES ");
            await using var insert = Command(connection, transaction, "");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "(" : ", (");
                previous = Bind(insert, i, chunk[i], previous, postgres, sql);
                sql.Append(')');
            }

            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Sets row <paramref name="row"/>'s values on <paramref name="insert"/> (adding the parameters, and their names to
    /// <paramref name="append"/>, the first time) and returns the row's hash, the next row's previous hash.
    /// </summary>
    private static string Bind(DbCommand insert, int row, AuditEntryData data, string? previous, bool postgres, StringBuilder? append)
    {
        var (beforeDigest, afterDigest) = (Digest(data.Before), Digest(data.After));
        var hash = HashV2(previous, data, beforeDigest, afterDigest);
        object?[] values =
        [
            postgres ? data.At.ToUniversalTime() : data.At.UtcTicks, data.ActorId, data.ActorName, data.ActorRoles, data.DistrictCode,
            data.SchoolCode, data.RequestId, data.Module, data.Entity, data.EntityKey, data.Action, data.Before, data.After, data.Reason,
            previous, hash, CurrentHashVersion, beforeDigest, afterDigest,
        ];
        for (var v = 0; v < values.Length; v++)
        {
            if (append is null)
            {
                insert.Parameters[v].Value = values[v] ?? DBNull.Value;
                continue;
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"@p{row}_{v}");
            append.Append(v == 0 ? "" : ", ").Append(name);
            Add(insert, name, values[v]);
        }

        return hash;
    }

    private const int InsertChunk = 50;

    private const string InsertColumns = "at, actor_id, actor_name, actor_roles, district_code, school_code, request_id, module, entity, entity_key, action, "
        + "before_json, after_json, reason, previous_hash, hash, hash_version, before_digest, after_digest";

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

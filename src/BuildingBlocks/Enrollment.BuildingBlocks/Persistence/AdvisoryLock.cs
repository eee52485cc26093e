using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Enrollment.BuildingBlocks.Persistence;

/// <summary>
/// PostgreSQL transaction-scoped advisory locks: one writer at a time across every host for a piece of work that must
/// read and write as one step. Held until the surrounding transaction ends; a no-op on SQLite, where a single host
/// serializes writers itself. Keys are per purpose (<paramref name="purpose"/>) and, where given, per campaign.
/// </summary>
public static class AdvisoryLock
{
    /// <summary>The audit trail's appenders (and its redaction): the hash chain stays linear.</summary>
    public const long AuditChain = 7240001;

    /// <summary>Takes the lock exclusively: no other holder, shared or exclusive, on any host.</summary>
    public static Task TakeAsync(DatabaseFacade database, long purpose, Guid? campaignId, CancellationToken ct) =>
        TakeAsync(database, "SELECT pg_advisory_xact_lock({0})", purpose, campaignId, ct);

    /// <summary>Takes the lock shared: side by side with other shared holders, never with an exclusive one.</summary>
    public static Task TakeSharedAsync(DatabaseFacade database, long purpose, Guid? campaignId, CancellationToken ct) =>
        TakeAsync(database, "SELECT pg_advisory_xact_lock_shared({0})", purpose, campaignId, ct);

    /// <summary>The key of a lock: the purpose, mixed with the campaign where given.</summary>
    private static long Key(long purpose, Guid? campaignId) =>
        campaignId is { } id ? BitConverter.ToInt64(id.ToByteArray(), 0) ^ purpose : purpose;

    private static async Task TakeAsync(DatabaseFacade database, string sql, long purpose, Guid? campaignId, CancellationToken ct)
    {
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync(sql, [Key(purpose, campaignId)], ct);
        }
    }
}

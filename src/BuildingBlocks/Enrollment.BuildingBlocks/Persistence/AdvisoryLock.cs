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

    public static async Task TakeAsync(DatabaseFacade database, long purpose, Guid? campaignId, CancellationToken ct)
    {
        if (!database.IsNpgsql())
        {
            return;
        }

        var key = campaignId is { } id ? BitConverter.ToInt64(id.ToByteArray(), 0) ^ purpose : purpose;
        await database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [key], ct);
    }
}

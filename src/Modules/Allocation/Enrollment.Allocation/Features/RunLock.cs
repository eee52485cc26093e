using System.Diagnostics;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Features;

/// <summary>Another run holds the allocation lock (ALLOCATION_RUN_IN_PROGRESS).</summary>
internal sealed class AllocationRunInProgress()
    : RuleViolation(AllocationRunLock.InProgressCode, "Another allocation run is in progress; try again when it has finished.");

/// <summary>Offers or applications changed while the run computed (the lock's epoch moved, or a held offer closed).</summary>
internal sealed class AllocationRunConflict(string message) : RuleViolation(AllocationRunLock.ConflictCode, message);

/// <summary>
/// The allocation lock (see <see cref="AllocationLock"/> and docs/adr/0400): a single row taken by a conditional UPDATE
/// with an owner and a lease, so it works on SQLite and across hosts on PostgreSQL. The run's commit transaction
/// re-checks ownership and the epoch in its first statement (a fence), and on PostgreSQL that UPDATE keeps the row
/// locked until commit, so writers that bump the epoch first wait for the run instead of racing it.
/// </summary>
internal sealed class AllocationRunLock(AllocationDbContext db, IClock clock)
{
    public const string InProgressCode = "ALLOCATION_RUN_IN_PROGRESS";
    public const string ConflictCode = "ALLOCATION_RUN_CONFLICT";

    /// <summary>A crashed host's lock is taken over after this long.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public static string NewOwner() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/>; refused with <see cref="AllocationRunInProgress"/>.</summary>
    public async Task AcquireAsync(string owner, TimeSpan wait, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var now = clock.UtcNow;
            var until = now + Lease;
            var taken = await db.Locks
                .Where(l => l.Name == AllocationLock.Allocation && (l.Owner == null || l.LeaseUntil < now || l.Owner == owner))
                .ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, owner).SetProperty(l => l.LeaseUntil, until), ct);
            if (taken == 1)
            {
                return;
            }

            if (waited.Elapsed >= wait)
            {
                throw new AllocationRunInProgress();
            }

            await Task.Delay(Poll, ct);
        }
    }

    public async Task<long> EpochAsync(CancellationToken ct) =>
        await db.Locks.AsNoTracking().Where(l => l.Name == AllocationLock.Allocation).Select(l => l.Epoch).SingleAsync(ct);

    /// <summary>
    /// First statement of a commit transaction: still the owner and nothing changed since <paramref name="epoch"/>;
    /// extends the lease and moves the epoch on. Throws <see cref="AllocationRunConflict"/> otherwise.
    /// </summary>
    public async Task FenceAsync(string owner, long epoch, CancellationToken ct)
    {
        var until = clock.UtcNow + Lease;
        var fenced = await db.Locks
            .Where(l => l.Name == AllocationLock.Allocation && l.Owner == owner && l.Epoch == epoch)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.LeaseUntil, until).SetProperty(l => l.Epoch, epoch + 1), ct);
        if (fenced != 1)
        {
            throw new AllocationRunConflict("Offers or applications changed during the run (or the lock was lost); the run was rolled back.");
        }
    }

    public async Task ReleaseAsync(string owner) =>
        await db.Locks.Where(l => l.Name == AllocationLock.Allocation && l.Owner == owner)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, (string?)null).SetProperty(l => l.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);

    /// <summary>
    /// Call first in any transaction that closes an offer or reacts to an application leaving allocation outside a run:
    /// a run computed before it then conflicts instead of committing stale offers.
    /// </summary>
    public static async Task BumpEpochAsync(AllocationDbContext db, CancellationToken ct) =>
        await db.Locks.Where(l => l.Name == AllocationLock.Allocation)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Epoch, l => l.Epoch + 1), ct);
}

using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Enrollment.Registry.Features.Applications;

/// <summary>
/// Late enrollments (a late arrival without an application, or a Submitted/Waitlisted application enrolled after the
/// main registration closed) take a free seat first-come: no offer holds it. The free-seat check and the write must be
/// one step, or two administrators enrolling the last seat at the same instant both pass the check (ADR 0304).
/// <see cref="BeginAsync"/> opens the Registry transaction that serializes every such enrollment before the check:
/// on SQLite the transaction starts with <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), i.e. it holds the
/// database write lock from its first statement; on PostgreSQL it takes a transaction-scoped advisory lock of the
/// campaign. The seat count (Allocation's <see cref="GetProgramSeats"/>, whose enrolled counts come from this same
/// Registry context) is read after the lock, the insert/update is saved and committed, and only then are events published.
/// </summary>
internal static class LateSeats
{
    public static async Task<IDbContextTransaction> BeginAsync(RegistryDbContext db, Guid campaignId, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await AdvisoryLock.TakeAsync(db.Database, 0x5EA75EA75EA75EA7L, campaignId, ct);

        return transaction;
    }

    /// <summary>NO_FREE_SEATS unless every program has at least as many free seats as <paramref name="wanted"/> asks of it.</summary>
    public static async Task RequireFreeAsync(ISender sender, Guid campaignId, IReadOnlyList<(string School, string Language)> wanted, CancellationToken ct)
    {
        if (wanted.Count == 0)
        {
            return;
        }

        var seats = await sender.Send(new GetProgramSeats(campaignId, [.. wanted.Select(w => w.School).Distinct(StringComparer.Ordinal)]), ct);
        foreach (var group in wanted.GroupBy(w => w))
        {
            var (school, language) = group.Key;
            var program = seats.FirstOrDefault(p => p.SchoolCode == school && p.Language == language && p.Grade == 1);
            if (program is null || program.FreeSeats < group.Count())
            {
                throw new RuleViolation(ApplicationErrors.NoFreeSeats,
                    $"{school}/{language} has {program?.FreeSeats ?? 0} free seat(s), {group.Count()} asked "
                    + $"({program?.ApprovedSeats ?? 0} approved, {program?.Enrolled ?? 0} enrolled, {program?.HeldOffers ?? 0} held).");
            }
        }
    }
}

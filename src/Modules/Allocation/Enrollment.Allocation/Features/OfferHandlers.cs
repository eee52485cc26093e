using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Features;

internal static class OfferErrors
{
    public const string NotFound = "OFFER_NOT_FOUND";
    public const string Expired = "OFFER_EXPIRED";
    public const string NotOpen = "OFFER_NOT_OPEN";
}

internal static class Offers
{
    /// <summary>The application's current offer: the open one (at most one), else the latest closed one; or null.</summary>
    public static Task<Offer?> LatestAsync(this AllocationDbContext db, Guid applicationId, CancellationToken ct) =>
        db.Offers.Where(o => o.ApplicationId == applicationId)
            .OrderByDescending(o => o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed || o.Status == OfferStatus.Enrolled)
            .ThenByDescending(o => o.MadeAt).ThenByDescending(o => o.ClosedAt).ThenBy(o => o.Id)
            .FirstOrDefaultAsync(ct);

    /// <summary>In memory, the same order as <see cref="LatestAsync"/>.</summary>
    public static Offer Current(IEnumerable<Offer> offersOfOneApplication) =>
        offersOfOneApplication.OrderByDescending(o => o.Status is OfferStatus.Offered or OfferStatus.Confirmed or OfferStatus.Enrolled)
            .ThenByDescending(o => o.MadeAt).ThenByDescending(o => o.ClosedAt).ThenBy(o => o.Id).First();

    /// <summary>
    /// Closes the application's held offer (Offered/Confirmed) as <paramref name="to"/>, after bumping the lock's epoch
    /// (so a run computed before this does not commit). Returns the closed offer, or null when none was held.
    /// </summary>
    public static async Task<Offer?> CloseHeldAsync(this AllocationDbContext db, Guid applicationId, OfferStatus to, string reason, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AllocationRunLock.BumpEpochAsync(db, ct);
        var offer = await db.Offers.FirstOrDefaultAsync(o => o.ApplicationId == applicationId
            && (o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed), ct);
        if (offer is null)
        {
            await transaction.CommitAsync(ct);
            return null;
        }

        offer.Status = to;
        offer.ClosedAt = to == OfferStatus.Enrolled ? null : now;
        offer.ClosedReason = reason.Length <= 200 ? reason : reason[..200];
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return offer;
    }
}

/// <summary>
/// The parent confirms the application's current offer. Idempotent for an already confirmed offer; OFFER_EXPIRED once
/// the deadline has passed (even before the expiry job ran); OFFER_NOT_OPEN for a released or enrolled offer.
/// The update is conditional on the status, so a confirmation racing the expiry job or a run cannot both win.
/// </summary>
internal sealed class ConfirmOfferHandler(AllocationDbContext db, IClock clock) : ICommandHandler<ConfirmOffer, OfferDto>
{
    public async ValueTask<OfferDto> Handle(ConfirmOffer command, CancellationToken ct)
    {
        var offer = await db.LatestAsync(command.ApplicationId, ct)
                    ?? throw new RuleViolation(OfferErrors.NotFound, "The application has no offer.");
        var now = clock.UtcNow;
        switch (offer.Status)
        {
            case OfferStatus.Confirmed:
                return offer.ToDto();
            case OfferStatus.Expired:
                throw new RuleViolation(OfferErrors.Expired, "The offer expired: it was not confirmed in time.");
            case OfferStatus.Released or OfferStatus.Enrolled:
                throw new RuleViolation(OfferErrors.NotOpen, "The offer is no longer open for confirmation.");
        }

        if (now > offer.ConfirmBy)
        {
            throw new RuleViolation(OfferErrors.Expired, "The offer expired: it was not confirmed in time.");
        }

        var confirmed = await db.Offers.Where(o => o.Id == offer.Id && o.Status == OfferStatus.Offered)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OfferStatus.Confirmed).SetProperty(o => o.ConfirmedAt, now), ct);
        await db.Entry(offer).ReloadAsync(ct);
        return confirmed == 1 || offer.Status == OfferStatus.Confirmed
            ? offer.ToDto()
            : throw new RuleViolation(OfferErrors.NotOpen, "The offer changed while confirming; it is no longer open.");
    }
}

/// <summary>Releases the application's held offer (cancellation, switch, withdrawal); null when it holds none.</summary>
internal sealed class ReleaseOfferHandler(AllocationDbContext db, IClock clock) : ICommandHandler<ReleaseOffer, OfferDto?>
{
    public async ValueTask<OfferDto?> Handle(ReleaseOffer command, CancellationToken ct) =>
        (await db.CloseHeldAsync(command.ApplicationId, OfferStatus.Released, string.IsNullOrWhiteSpace(command.Reason) ? "Released" : command.Reason,
            clock.UtcNow, ct))?.ToDto();
}

/// <summary>
/// Registry's status changes: Enrolled → the held offer becomes Enrolled (final; the seat now counts as enrolled);
/// Cancelled/Withdrawn/Rejected/Expired → the held offer is released. Idempotent (a replay finds nothing held). Any of
/// these also moves the lock's epoch so a run computed before the change retries instead of offering a seat to an
/// application that has left.
/// </summary>
internal sealed class WhenApplicationStatusChangedHandler(AllocationDbContext db, IClock clock)
    : INotificationHandler<ApplicationStatusChanged>, INotificationHandler<ApplicationStatusesChanged>
{
    /// <summary>A batch of committed submits (ADR 0901): each change as if published alone (submits close no offer).</summary>
    public async ValueTask Handle(ApplicationStatusesChanged notification, CancellationToken ct)
    {
        foreach (var change in notification.Changes)
        {
            await Handle(change, ct);
        }
    }

    public async ValueTask Handle(ApplicationStatusChanged notification, CancellationToken ct)
    {
        switch (notification.To)
        {
            case ApplicationStatus.Enrolled:
                await db.CloseHeldAsync(notification.Application.ApplicationId, OfferStatus.Enrolled, "Enrolled", clock.UtcNow, ct);
                break;
            case ApplicationStatus.Cancelled or ApplicationStatus.Withdrawn or ApplicationStatus.Rejected or ApplicationStatus.Expired:
                await db.CloseHeldAsync(notification.Application.ApplicationId, OfferStatus.Released, notification.To.ToString(), clock.UtcNow, ct);
                break;
        }
    }
}

/// <summary>Current (latest) offer of each application that has one.</summary>
internal sealed class GetOffersHandler(AllocationDbContext db) : IQueryHandler<GetOffers, IReadOnlyList<OfferDto>>
{
    public async ValueTask<IReadOnlyList<OfferDto>> Handle(GetOffers query, CancellationToken ct)
    {
        var result = new List<OfferDto>();
        foreach (var chunk in query.ApplicationIds.Distinct().Chunk(500))
        {
            var offers = await db.Offers.AsNoTracking().Where(o => chunk.Contains(o.ApplicationId)).ToListAsync(ct);
            result.AddRange(offers.GroupBy(o => o.ApplicationId)
                .Select(g => Offers.Current(g).ToDto()));
        }

        return [.. result.OrderBy(o => o.ApplicationId)];
    }
}

/// <summary>approved (Quotas) − enrolled (Registry) − held offers = free, never negative.</summary>
internal sealed class GetProgramSeatsHandler(AllocationDbContext db, IAllocationSources sources) : IQueryHandler<GetProgramSeats, IReadOnlyList<ProgramSeatsDto>>
{
    public async ValueTask<IReadOnlyList<ProgramSeatsDto>> Handle(GetProgramSeats query, CancellationToken ct)
    {
        var campaignId = query.CampaignId ?? (await sources.CurrentCampaignAsync(ct))?.Id;
        if (campaignId is not { } id)
        {
            return [];
        }

        var codes = query.SchoolCodes is { Count: > 0 } ? query.SchoolCodes : null;
        var programs = query.Approved is { } approved
            ? approved
            : [.. (await sources.ProgramsAsync(id, codes, ct)).Where(p => p.CampaignId == id)
                .Select(p => new ApprovedSeatsDto(p.SchoolCode, p.Language, p.Grade, p.ApprovedSeats))];
        var enrolled = (await sources.EnrolledCountsAsync(id, codes, ct))
            .GroupBy(e => RunInputs.ProgramId(e.SchoolCode, e.Language, e.Grade))
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Enrolled), StringComparer.Ordinal);
        var heldQuery = db.Offers.AsNoTracking().Where(o => o.CampaignId == id && (o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed));
        if (codes is not null)
        {
            heldQuery = heldQuery.Where(o => codes.Contains(o.SchoolCode));
        }

        var held = await heldQuery.GroupBy(o => o.ProgramId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, ct);
        return [.. programs
            .Select(p =>
            {
                var key = RunInputs.ProgramId(p.SchoolCode, p.Language, p.Grade);
                var e = enrolled.GetValueOrDefault(key);
                var h = held.GetValueOrDefault(key);
                return new ProgramSeatsDto(p.SchoolCode, p.Language, p.Grade, p.ApprovedSeats, e, h, Math.Max(0, p.ApprovedSeats - e - h));
            })
            .OrderBy(s => s.SchoolCode, StringComparer.Ordinal).ThenBy(s => s.Language, StringComparer.Ordinal).ThenBy(s => s.Grade)];
    }
}

/// <summary>Expires unconfirmed offers past their deadline (their seats go back to the next run).</summary>
internal sealed record ExpireOffers : ICommand<int>;

internal sealed class ExpireOffersHandler(AllocationDbContext db, IClock clock, IPublisher publisher) : ICommandHandler<ExpireOffers, int>
{
    public async ValueTask<int> Handle(ExpireOffers command, CancellationToken ct)
    {
        var now = clock.UtcNow;
        List<Offer> expired;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await AllocationRunLock.BumpEpochAsync(db, ct);
            expired = await db.Offers.Where(o => o.Status == OfferStatus.Offered && o.ConfirmBy < now).ToListAsync(ct);
            foreach (var offer in expired)
            {
                offer.Status = OfferStatus.Expired;
                offer.ClosedAt = now;
                offer.ClosedReason = "NotConfirmed";
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        foreach (var campaign in expired.GroupBy(o => o.CampaignId))
        {
            await publisher.Publish(new OffersChanged(Guid.NewGuid(), campaign.Key,
                [.. campaign.OrderBy(o => o.ApplicationId).Select(o =>
                    new OfferChangeDto(o.ApplicationId, OfferChangeKind.Expired, o.Id, o.SchoolCode, o.Language, o.Grade, o.ConfirmBy))], now), ct);
        }

        return expired.Count;
    }
}

/// <summary>Publishes <see cref="OfferExpiring"/> once per open offer whose deadline falls before the end of tomorrow (Asia/Bishkek).</summary>
internal sealed record RemindExpiringOffers : ICommand<int>;

internal sealed class RemindExpiringOffersHandler(AllocationDbContext db, IClock clock, IPublisher publisher) : ICommandHandler<RemindExpiringOffers, int>
{
    public async ValueTask<int> Handle(RemindExpiringOffers command, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var endOfTomorrow = Bishkek.ToUtc(Bishkek.ToLocal(now).Date.AddDays(2));
        var due = await db.Offers.AsNoTracking()
            .Where(o => o.Status == OfferStatus.Offered && o.ReminderAt == null && o.ConfirmBy >= now && o.ConfirmBy < endOfTomorrow)
            .OrderBy(o => o.ConfirmBy).ThenBy(o => o.Id)
            .ToListAsync(ct);
        var sent = 0;
        foreach (var offer in due)
        {
            // Conditional: two workers never both remind the same offer.
            var claimed = await db.Offers.Where(o => o.Id == offer.Id && o.ReminderAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.ReminderAt, now), ct);
            if (claimed == 1)
            {
                await publisher.Publish(new OfferExpiring(offer.Id, offer.ApplicationId, offer.ConfirmBy), ct);
                sent++;
            }
        }

        return sent;
    }
}

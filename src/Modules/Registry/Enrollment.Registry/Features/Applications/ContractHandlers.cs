using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Features.Applications;

internal sealed class GetAllocationInputsHandler(RegistryDbContext db) : IQueryHandler<GetAllocationInputs, IReadOnlyList<AllocationApplicationDto>>
{
    public async ValueTask<IReadOnlyList<AllocationApplicationDto>> Handle(GetAllocationInputs query, CancellationToken ct)
    {
        var applications = await db.Applications.AsNoTracking().Include(a => a.Choices).AsSplitQuery()
            .Where(a => a.CampaignId == query.CampaignId && (a.Status == ApplicationStatus.Submitted || a.Status == ApplicationStatus.Waitlisted
                || a.Status == ApplicationStatus.Offered || a.Status == ApplicationStatus.Confirmed || a.Status == ApplicationStatus.Enrolled))
            .OrderBy(a => a.Id).ToListAsync(ct);
        return [.. applications.Select(a => new AllocationApplicationDto(
            a.Id, a.Status, a.SubmittedAt ?? a.CreatedAt,
            [.. a.Choices.OrderBy(c => c.Rank).Select(c => new AllocationChoiceDto(c.Rank, c.SchoolCode, c.Language, c.Grade, a.PriorityClassAt(c.SchoolCode)))],
            a.Status == ApplicationStatus.Enrolled ? a.EnrolledProgram() : null))];
    }
}

internal sealed class GetEnrolledCountsHandler(RegistryDbContext db) : IQueryHandler<GetEnrolledCounts, IReadOnlyList<EnrolledCountDto>>
{
    public async ValueTask<IReadOnlyList<EnrolledCountDto>> Handle(GetEnrolledCounts query, CancellationToken ct)
    {
        var q = db.Applications.AsNoTracking().Where(a => a.CampaignId == query.CampaignId && a.Status == ApplicationStatus.Enrolled);
        if (query.SchoolCodes is { } codes)
        {
            q = q.Where(a => codes.Contains(a.EnrolledSchoolCode!));
        }

        var rows = await q.GroupBy(a => new { a.EnrolledSchoolCode, a.EnrolledLanguage, a.EnrolledGrade })
            .Select(g => new { g.Key.EnrolledSchoolCode, g.Key.EnrolledLanguage, g.Key.EnrolledGrade, Count = g.Count() }).ToListAsync(ct);
        return [.. rows.Select(r => new EnrolledCountDto(r.EnrolledSchoolCode!, r.EnrolledLanguage!, r.EnrolledGrade ?? 1, r.Count))
            .OrderBy(r => r.SchoolCode, StringComparer.Ordinal).ThenBy(r => r.Language, StringComparer.Ordinal)];
    }
}

internal sealed class GetApplicationScopeHandler(RegistryDbContext db) : IQueryHandler<GetApplicationScope, ApplicationScopeDto?>
{
    public async ValueTask<ApplicationScopeDto?> Handle(GetApplicationScope query, CancellationToken ct)
    {
        var a = await db.Applications.AsNoTracking().Include(x => x.Choices).FirstOrDefaultAsync(x => x.Id == query.ApplicationId, ct);
        return a is null ? null : Scope(a);
    }

    /// <summary>The schools of its choices, enrolment and offer, and the districts of its choices, ordered.</summary>
    public static ApplicationScopeDto Scope(Application a) => Scope(a.Id, a.CampaignId, a.ApplicantPin,
        [.. a.Choices.Select(c => (c.SchoolCode, c.DistrictCode))], a.EnrolledSchoolCode, a.OfferSchoolCode);

    public static ApplicationScopeDto Scope(Guid id, Guid campaignId, string applicantPin, IReadOnlyList<(string School, string District)> choices,
        string? enrolledSchoolCode, string? offerSchoolCode) => new(id, campaignId, applicantPin,
        [.. choices.Select(c => c.School).Append(enrolledSchoolCode).Append(offerSchoolCode).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
        [.. choices.Select(c => c.District).Distinct().Order(StringComparer.Ordinal)]);
}

internal sealed class GetApplicationFactsHandler(RegistryDbContext db, ChildKeyHasher hasher) : IQueryHandler<GetApplicationFacts, IReadOnlyList<ApplicationFactDto>>
{
    public async ValueTask<IReadOnlyList<ApplicationFactDto>> Handle(GetApplicationFacts query, CancellationToken ct)
    {
        var applications = await db.Applications.AsNoTracking().Include(a => a.Choices).AsSplitQuery()
            .Where(a => a.CampaignId == query.CampaignId).OrderBy(a => a.Id).ToListAsync(ct);
        return [.. applications.Select(a => a.ToFact(hasher))];
    }
}

internal sealed class GetNotificationRecipientHandler(RegistryDbContext db) : IQueryHandler<GetNotificationRecipient, NotificationRecipientDto?>
{
    public async ValueTask<NotificationRecipientDto?> Handle(GetNotificationRecipient query, CancellationToken ct) =>
        await db.Applications.AsNoTracking().Where(a => a.Id == query.ApplicationId).Select(Recipient).FirstOrDefaultAsync(ct);

    public static readonly System.Linq.Expressions.Expression<Func<Application, NotificationRecipientDto>> Recipient =
        a => new NotificationRecipientDto(a.Id, a.Language, a.Email, a.SecondaryEmail, a.Phone, a.ChildFirstName, a.ApplicantName);
}

/// <summary>
/// Allocation's offer changes become statuses: Made/MovedUp → Offered, Waitlisted → Waitlisted, Expired → Expired.
/// Idempotent by batch id (the batch row is inserted in the same transaction; a replay finds it and does nothing).
/// Changes that no longer fit (the application was cancelled meanwhile) are skipped.
/// </summary>
internal sealed class WhenOffersChanged(RegistryDbContext db, IClock clock, ApplicationEvents events) : INotificationHandler<OffersChanged>
{
    public const string Actor = "system:allocation";

    public async ValueTask Handle(OffersChanged notification, CancellationToken ct)
    {
        if (await db.ProcessedOfferBatches.AnyAsync(b => b.BatchId == notification.BatchId, ct))
        {
            return;
        }

        var ids = notification.Changes.Select(c => c.ApplicationId).Distinct().ToList();
        var applications = new Dictionary<Guid, Application>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var a in await db.Applications.Include(a => a.Choices).Include(a => a.History).AsSplitQuery()
                         .Where(a => chunk.Contains(a.Id)).ToListAsync(ct))
            {
                applications[a.Id] = a;
            }
        }

        var changed = new List<Application>();
        foreach (var change in notification.Changes)
        {
            if (!applications.TryGetValue(change.ApplicationId, out var a))
            {
                continue;
            }

            var at = notification.At.ToUniversalTime();
            switch (change.Kind)
            {
                case OfferChangeKind.Made or OfferChangeKind.MovedUp
                    when a.Status is ApplicationStatus.Submitted or ApplicationStatus.Waitlisted or ApplicationStatus.Offered or ApplicationStatus.Confirmed:
                    a.OfferSchoolCode = change.SchoolCode;
                    a.OfferLanguage = change.Language;
                    a.OfferGrade = change.Grade;
                    a.OfferConfirmBy = change.ConfirmBy?.ToUniversalTime();
                    a.MoveTo(ApplicationStatus.Offered, Actor, at,
                        $"{(change.Kind == OfferChangeKind.Made ? "OFFER_MADE" : "OFFER_MOVED_UP")}: {change.SchoolCode}/{change.Language}, confirm by {change.ConfirmBy:O}");
                    break;
                case OfferChangeKind.Waitlisted when a.Status is ApplicationStatus.Submitted or ApplicationStatus.Waitlisted:
                    if (a.Status == ApplicationStatus.Waitlisted)
                    {
                        continue;
                    }

                    a.MoveTo(ApplicationStatus.Waitlisted, Actor, at, "WAITLISTED");
                    break;
                case OfferChangeKind.Expired when a.Status == ApplicationStatus.Offered:
                    a.ClearOffer();
                    a.MoveTo(ApplicationStatus.Expired, Actor, at, "OFFER_EXPIRED");
                    break;
                default:
                    continue;
            }

            if (!changed.Contains(a))
            {
                changed.Add(a);
            }
        }

        db.ProcessedOfferBatches.Add(new ProcessedOfferBatch { BatchId = notification.BatchId, ProcessedAt = clock.UtcNow });
        try
        {
            await events.SaveAndPublishAsync(changed, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.ProcessedOfferBatches.AnyAsync(b => b.BatchId == notification.BatchId, ct))
            {
                throw;
            }

            // Another delivery of the same batch won the race; it applied the changes.
        }
    }
}

internal sealed class GetEnrolledChildrenForJournalHandler(RegistryDbContext db)
    : IQueryHandler<GetEnrolledChildrenForJournal, IReadOnlyList<JournalChildDto>>
{
    public async ValueTask<IReadOnlyList<JournalChildDto>> Handle(GetEnrolledChildrenForJournal query, CancellationToken ct)
    {
        var rows = await (
            from a in db.Applications.AsNoTracking()
            where a.CampaignId == query.CampaignId && a.Status == ApplicationStatus.Enrolled && a.EnrolledSchoolCode == query.SchoolCode
            join p in db.Persons.AsNoTracking() on a.ChildPin equals p.Pin
            select new
            {
                a.Id, p.LastName, p.FirstName, p.Patronymic, p.BirthDate, p.Sex, a.EnrolledLanguage, a.EnrolledGrade,
                Priority = a.PriorityStatus == PriorityClaimStatus.Verified ? a.PriorityCategory : null,
                EnrolledAt = db.ApplicationHistory.Where(h => h.ApplicationId == a.Id && h.To == ApplicationStatus.Enrolled)
                    .OrderByDescending(h => h.Sequence).Select(h => (DateTimeOffset?)h.At).FirstOrDefault(),
            }).ToListAsync(ct);
        return [.. rows
            .Select(r => new JournalChildDto(r.Id, r.LastName, r.FirstName, r.Patronymic, r.BirthDate, r.Sex, r.EnrolledLanguage ?? "",
                r.EnrolledGrade ?? 1, r.Priority, r.EnrolledAt ?? DateTimeOffset.MinValue))
            .OrderBy(c => c.LastName, StringComparer.Ordinal).ThenBy(c => c.FirstName, StringComparer.Ordinal).ThenBy(c => c.ApplicationId)];
    }
}

/// <summary>
/// Many applications' recipients in one read per 500 ids (the notifications delivery job expands a batch of events at once
/// instead of asking once per event).
/// </summary>
internal sealed class GetNotificationRecipientsHandler(RegistryDbContext db) : IQueryHandler<GetNotificationRecipients, IReadOnlyList<NotificationRecipientDto>>
{
    public async ValueTask<IReadOnlyList<NotificationRecipientDto>> Handle(GetNotificationRecipients query, CancellationToken ct)
    {
        var recipients = new List<NotificationRecipientDto>(query.ApplicationIds.Count);
        foreach (var chunk in query.ApplicationIds.Distinct().Chunk(500))
        {
            recipients.AddRange(await db.Applications.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(GetNotificationRecipientHandler.Recipient).ToListAsync(ct));
        }

        return recipients;
    }
}

/// <summary>Many applications' scopes (as <see cref="GetApplicationScope"/> gives one) in one read per 500 ids.</summary>
internal sealed class GetApplicationScopesHandler(RegistryDbContext db) : IQueryHandler<GetApplicationScopes, IReadOnlyList<ApplicationScopeDto>>
{
    public async ValueTask<IReadOnlyList<ApplicationScopeDto>> Handle(GetApplicationScopes query, CancellationToken ct)
    {
        // Only the columns a scope needs: the applications' whole rows and choices (a split query) were most of the
        // notification delivery's Registry cost on the opening morning.
        var scopes = new List<ApplicationScopeDto>(query.ApplicationIds.Count);
        foreach (var chunk in query.ApplicationIds.Distinct().Chunk(500))
        {
            var applications = await db.Applications.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(a => new { a.Id, a.CampaignId, a.ApplicantPin, a.EnrolledSchoolCode, a.OfferSchoolCode }).ToListAsync(ct);
            var choices = (await db.ApplicationChoices.AsNoTracking().Where(c => chunk.Contains(c.ApplicationId))
                .Select(c => new { c.ApplicationId, c.SchoolCode, c.DistrictCode }).ToListAsync(ct)).ToLookup(c => c.ApplicationId);
            scopes.AddRange(applications.Select(a => GetApplicationScopeHandler.Scope(a.Id, a.CampaignId, a.ApplicantPin,
                [.. choices[a.Id].Select(c => (c.SchoolCode, c.DistrictCode))], a.EnrolledSchoolCode, a.OfferSchoolCode)));
        }

        return scopes;
    }
}

using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Features.Applications;

/// <summary>What a parent may appeal now (ADR 0303): the rejection, the rejected priority claim, the non-resident choices.</summary>
internal sealed class GetAppealGroundsHandler(RegistryDbContext db) : IQueryHandler<GetAppealGrounds, AppealGroundsDto?>
{
    public async ValueTask<AppealGroundsDto?> Handle(GetAppealGrounds query, CancellationToken ct)
    {
        var a = await db.Applications.AsNoTracking().Include(x => x.Choices).Include(x => x.History).AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == query.ApplicationId, ct);
        return a is null ? null : AppealGrounds.Of(a);
    }
}

internal static class AppealGrounds
{
    public const string PriorityRejected = "PRIORITY_REJECTED";
    public const string Upheld = "APPEAL_UPHELD";

    public static AppealGroundsDto Of(Application a)
    {
        var history = a.History.OrderBy(h => h.Sequence).ToList();
        var rejectedAt = a.Status == ApplicationStatus.Rejected
            ? history.LastOrDefault(h => h.To == ApplicationStatus.Rejected && h.From != ApplicationStatus.Rejected)?.At
            : null;
        var priorityRejectedAt = a.PriorityStatus == PriorityClaimStatus.Rejected
            ? history.LastOrDefault(h => h.Reason?.StartsWith(PriorityRejected, StringComparison.Ordinal) == true)?.At
            : null;
        var nonResident = a.IsActive && a.Status is not (ApplicationStatus.Draft or ApplicationStatus.Enrolled)
            ? a.Choices.OrderBy(c => c.Rank).Select(c => c.SchoolCode).Where(s => !a.ResidentSchools.Contains(s, StringComparer.Ordinal)).Distinct().ToList()
            : [];
        return new AppealGroundsDto(a.Id, a.Status, rejectedAt, a.RejectionReason, priorityRejectedAt, a.SubmittedAt, nonResident);
    }
}

/// <summary>
/// An upheld appeal changes the application (ADR 0303): a rejection is overturned (→ Submitted, keeping its submission
/// time, so the next allocation run considers it), a denied priority becomes verified, or a school becomes resident.
/// Idempotent by appeal id: the history already naming the appeal means it was applied.
/// </summary>
internal sealed class ApplyAppealRemedyHandler(RegistryDbContext db, IClock clock, AuditContext audit, ApplicationEvents events)
    : ICommandHandler<ApplyAppealRemedy, ApplicationStatus>
{
    public async ValueTask<ApplicationStatus> Handle(ApplyAppealRemedy command, CancellationToken ct)
    {
        var a = await db.Applications.Include(x => x.Choices).Include(x => x.History).AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == command.ApplicationId, ct) ?? throw new NotFound("Application", command.ApplicationId.ToString());
        var tag = $"{AppealGrounds.Upheld}: appeal {command.AppealId}";
        if (a.History.Any(h => h.Reason?.StartsWith(tag, StringComparison.Ordinal) == true))
        {
            return a.Status;
        }

        var grounds = AppealGrounds.Of(a);
        var at = clock.UtcNow;
        audit.Reason = tag;
        switch (command.Remedy)
        {
            case AppealRemedy.ReturnRejected:
                a.Require(ApplicationStatus.Rejected);
                if (await db.Applications.AnyAsync(x => x.CampaignId == a.CampaignId && x.ActiveKey == a.ChildPin && x.Id != a.Id, ct))
                {
                    throw new RuleViolation(ApplicationErrors.ApplicationExists,
                        "The child has another active application in this campaign; the rejected one cannot return.");
                }

                var reason = a.RejectionReason;
                a.RejectionReason = null;
                a.MoveTo(ApplicationStatus.Submitted, command.Officer, at, $"{tag} — rejection {reason} overturned");
                break;
            case AppealRemedy.VerifyPriority:
                if (grounds.PriorityRejectedAt is null || !a.IsActive)
                {
                    throw new RuleViolation(ApplicationErrors.AppealRemedyNotApplicable, "The application has no rejected priority claim (or has ended).");
                }

                a.PriorityStatus = PriorityClaimStatus.Verified;
                a.Note(command.Officer, at, $"{tag} — PRIORITY_VERIFIED: {a.PriorityCategory}");
                break;
            case AppealRemedy.ResidentOverride:
                var school = command.SchoolCode?.Trim().ToUpperInvariant();
                if (school is null || !grounds.NonResidentChoiceSchoolCodes.Contains(school, StringComparer.Ordinal))
                {
                    throw new RuleViolation(ApplicationErrors.AppealRemedyNotApplicable,
                        "The school is not a non-resident choice of an active, submitted application.");
                }

                a.ResidentOverrideSchoolCodes = string.Join(',', a.ResidentOverrides.Append(school).Distinct(StringComparer.Ordinal));
                a.Note(command.Officer, at, $"{tag} — RESIDENT_OVERRIDE: {school}");
                break;
            default:
                throw new RuleViolation(ApplicationErrors.AppealRemedyNotApplicable, "Unknown remedy.");
        }

        try
        {
            await events.SaveAndPublishAsync([a], ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new RuleViolation(ApplicationErrors.Conflict, "The application was changed at the same time; answer again.");
        }

        return a.Status;
    }
}

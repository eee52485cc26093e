using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Data;
using Enrollment.Appeals.Domain;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Appeals.Features;

/// <summary>
/// Parent: appeals a decision on their own application. Refused with NOT_FOUND (no such application),
/// NOT_YOUR_APPLICATION, APPEAL_WINDOW_CLOSED (the application's campaign is not the current one or has closed),
/// APPEAL_NOT_APPLICABLE (the kind does not fit the application's state, see <see cref="AppealRules"/>),
/// APPEAL_DEADLINE_PASSED (more than AppealDays since the decision) and APPEAL_ALREADY_OPEN (the same kind waits for its
/// answer). Due = filed + the campaign's AppealDays. <paramref name="SchoolCode"/>: the school a micro-district appeal is about.
/// </summary>
internal sealed record FileAppeal(Guid ApplicationId, AppealKind Kind, string Text, string? SchoolCode = null) : ICommand<AppealView>;

/// <summary>The parent or an officer of the appeal adds a message to its thread (until it is answered).</summary>
internal sealed record AddAppealMessage(Guid AppealId, string Text) : ICommand<AppealView>;

/// <summary>District officer (of a district of the application's schools) or ministry: answers once (APPEAL_ALREADY_ANSWERED).</summary>
internal sealed record AnswerAppeal(Guid AppealId, AppealDecision Decision, string Text) : ICommand<AppealView>;

/// <summary>The signed-in parent's appeals, newest first.</summary>
internal sealed record GetMyAppeals : IQuery<IReadOnlyList<AppealView>>;

/// <summary>One appeal with its thread, for its parent or its officers (NOT_FOUND for anyone else).</summary>
internal sealed record GetAppeal(Guid AppealId) : IQuery<AppealView>;

/// <summary>The staff queue: open appeals first, by due date (most urgent first); district officers see their district only.</summary>
internal sealed record SearchAppeals(AppealFilter Filter, int Skip, int Take) : IQuery<AppealPage>;

internal sealed class FileAppealHandler(AppealsDbContext db, IAppealsDirectory directory, ICurrentUser user, IClock clock)
    : ICommandHandler<FileAppeal, AppealView>
{
    public async ValueTask<AppealView> Handle(FileAppeal command, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Parent) || user.Pin is not { Length: > 0 } pin)
        {
            throw new AccessDenied("Only the applicant (a parent) files an appeal.");
        }

        var scope = await directory.ApplicationScopeAsync(command.ApplicationId, ct)
                    ?? throw new NotFound("Application", command.ApplicationId.ToString());
        if (scope.ApplicantPin != pin)
        {
            throw new RuleViolation(AppealsContracts.NotYourApplicationCode, "This application belongs to another family.");
        }

        var now = clock.UtcNow;
        var campaign = await directory.CurrentCampaignAsync(ct);
        if (campaign is null || campaign.Id != scope.CampaignId || now >= campaign.Calendar.LateEnrollmentEndsAt)
        {
            throw new RuleViolation(AppealsContracts.AppealWindowClosedCode,
                "Appeals are filed while the application's campaign runs (until the end of late enrollment).");
        }

        var grounds = await directory.GroundsAsync(command.ApplicationId, ct) ?? throw new NotFound("Application", command.ApplicationId.ToString());
        var school = AppealRules.Check(command.Kind, command.SchoolCode, grounds, now, campaign.AppealDays);

        if (await db.Appeals.AnyAsync(a => a.ApplicationId == command.ApplicationId && a.Kind == command.Kind && a.Status == AppealStatus.Open, ct))
        {
            throw new RuleViolation(AppealsContracts.AppealAlreadyOpenCode, "An appeal of this kind on this application is waiting for its answer.");
        }

        var appeal = Appeal.File(command.ApplicationId, scope.CampaignId, pin, scope.DistrictCodes, command.Kind, command.Text, now, campaign.AppealDays, school);
        db.Appeals.Add(appeal);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The filtered unique index caught a simultaneous second filing.
            throw new RuleViolation(AppealsContracts.AppealAlreadyOpenCode, "An appeal of this kind on this application is waiting for its answer.");
        }

        return AppealView.From(appeal, now);
    }
}

internal sealed class AddAppealMessageHandler(AppealsDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<AddAppealMessage, AppealView>
{
    public async ValueTask<AppealView> Handle(AddAppealMessage command, CancellationToken ct)
    {
        var appeal = (await db.Appeals.Include(a => a.Messages).SingleOrDefaultAsync(a => a.Id == command.AppealId, ct)).Visible(user, command.AppealId);
        var now = clock.UtcNow;
        var message = user.IsParentOf(appeal)
            ? appeal.AddMessage(AppealAuthor.Parent, null, command.Text, now)
            : appeal.AddMessage(AppealAuthor.Officer, user.Name(), command.Text, now);
        db.Messages.Add(message);
        await db.SaveChangesAsync(ct);
        return AppealView.From(appeal, now);
    }
}

internal sealed class AnswerAppealHandler(AppealsDbContext db, IAppealsDirectory directory, ICurrentUser user, IClock clock, IPublisher publisher)
    : ICommandHandler<AnswerAppeal, AppealView>
{
    public async ValueTask<AppealView> Handle(AnswerAppeal command, CancellationToken ct)
    {
        var appeal = (await db.Appeals.Include(a => a.Messages).SingleOrDefaultAsync(a => a.Id == command.AppealId, ct)).Visible(user, command.AppealId);
        if (!user.IsOfficerOf(appeal))
        {
            throw new AccessDenied("Only a district officer of the application's district (or the ministry) answers an appeal.");
        }

        var now = clock.UtcNow;
        db.Messages.Add(appeal.Answer(command.Decision, command.Text, user.Name(), now));
        if (command.Decision == AppealDecision.Upheld)
        {
            // Registry changes the application first (idempotent by appeal id): when it refuses, the answer is not saved either.
            await directory.ApplyRemedyAsync(new ApplyAppealRemedy(appeal.ApplicationId, appeal.Id, AppealRules.RemedyOf(appeal.Kind), user.Name(), appeal.SchoolCode), ct);
        }

        await db.SaveChangesAsync(ct);
        await publisher.Publish(new AppealAnswered(appeal.Id, appeal.ApplicationId, appeal.Kind, command.Decision, now), ct);
        return AppealView.From(appeal, now);
    }
}

internal sealed class GetMyAppealsHandler(AppealsDbContext db, ICurrentUser user, IClock clock) : IQueryHandler<GetMyAppeals, IReadOnlyList<AppealView>>
{
    public async ValueTask<IReadOnlyList<AppealView>> Handle(GetMyAppeals query, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Parent) || user.Pin is not { Length: > 0 } pin)
        {
            return [];
        }

        var appeals = await db.Appeals.AsNoTracking().Include(a => a.Messages)
            .Where(a => a.ApplicantPin == pin).OrderByDescending(a => a.FiledAt).ToListAsync(ct);
        var now = clock.UtcNow;
        return [.. appeals.Select(a => AppealView.From(a, now))];
    }
}

/// <summary>One appeal with its thread; a staff read is recorded as a personal-data read (docs/security.md).</summary>
internal sealed class GetAppealHandler(AppealsDbContext db, ICurrentUser user, IClock clock, PersonalDataReads reads)
    : IQueryHandler<GetAppeal, AppealView>
{
    public async ValueTask<AppealView> Handle(GetAppeal query, CancellationToken ct)
    {
        var appeal = (await db.Appeals.AsNoTracking().Include(a => a.Messages).SingleOrDefaultAsync(a => a.Id == query.AppealId, ct))
            .Visible(user, query.AppealId);
        reads.Record(AppealsContracts.Module, nameof(Appeal), [appeal.Id.ToString()], $"appeal thread, application {appeal.ApplicationId}");
        return AppealView.From(appeal, clock.UtcNow);
    }
}

/// <summary>The appeal queue (texts and threads); the appeals shown to staff are recorded as personal-data reads.</summary>
internal sealed class SearchAppealsHandler(AppealsDbContext db, ICurrentUser user, IClock clock, PersonalDataReads reads)
    : IQueryHandler<SearchAppeals, AppealPage>
{
    public async ValueTask<AppealPage> Handle(SearchAppeals query, CancellationToken ct)
    {
        var q = db.Appeals.AsNoTracking();
        if (!user.IsInRole(Roles.MinistryAdmin))
        {
            if (!user.IsInRole(Roles.DistrictOfficer) || user.DistrictCode is not { Length: > 0 } own)
            {
                throw new AccessDenied("The appeal queue is for district officers and the ministry.");
            }

            var key = Appeal.DistrictKey(own);
            q = q.Where(a => a.DistrictCodes.Contains(key));
        }

        var f = query.Filter;
        var now = clock.UtcNow;
        if (f.DistrictCode is { Length: > 0 } district)
        {
            var key = Appeal.DistrictKey(district);
            q = q.Where(a => a.DistrictCodes.Contains(key));
        }

        if (f.Open is { } open)
        {
            q = open ? q.Where(a => a.Status == AppealStatus.Open) : q.Where(a => a.Status == AppealStatus.Answered);
        }

        if (f.OverdueOnly)
        {
            q = q.Where(a => a.Status == AppealStatus.Open && a.DueAt < now);
        }

        if (f.Kind is { } kind)
        {
            q = q.Where(a => a.Kind == kind);
        }

        if (f.ApplicationId is { } applicationId)
        {
            q = q.Where(a => a.ApplicationId == applicationId);
        }

        var total = await q.CountAsync(ct);
        var page = await q.OrderBy(a => a.Status == AppealStatus.Open ? 0 : 1).ThenBy(a => a.DueAt).ThenBy(a => a.Id)
            .Skip(query.Skip).Take(query.Take).Include(a => a.Messages).ToListAsync(ct);
        reads.Record(AppealsContracts.Module, nameof(Appeal), page.Select(a => a.Id.ToString()),
            $"appeal list: applications {string.Join(" ", page.Select(a => a.ApplicationId).Distinct())}, skip {query.Skip}");
        return new AppealPage([.. page.Select(a => AppealView.From(a, now))], total);
    }
}

/// <summary>
/// Which appeal fits which application (ADR 0303), and its filing window: AppealDays from the decision appealed.
/// Rejection: the application is Rejected (from the rejection). PriorityDenied: its priority claim is rejected (from that
/// rejection). MicrodistrictResolution: <c>schoolCode</c> is one of the choices of a submitted, active, not enrolled
/// application that its micro-district resolution did not make resident (from the submission).
/// </summary>
internal static class AppealRules
{
    public static string? Check(AppealKind kind, string? schoolCode, AppealGroundsDto grounds, DateTimeOffset now, int appealDays)
    {
        var school = string.IsNullOrWhiteSpace(schoolCode) ? null : schoolCode.Trim().ToUpperInvariant();
        var (decidedAt, why) = kind switch
        {
            AppealKind.Rejection => (grounds.Status == ApplicationStatus.Rejected ? grounds.RejectedAt : null, "only a rejected application can be appealed as a rejection"),
            AppealKind.PriorityDenied => (grounds.PriorityRejectedAt, "the application's priority claim has not been rejected"),
            AppealKind.MicrodistrictResolution => (school is not null && grounds.NonResidentChoiceSchoolCodes.Contains(school, StringComparer.Ordinal)
                ? grounds.SubmittedAt : null,
                "name (schoolCode) a school among the choices of your submitted application that the micro-district resolution did not make resident"),
            _ => ((DateTimeOffset?)null, "unknown kind"),
        };
        if (decidedAt is null)
        {
            throw new RuleViolation(AppealsContracts.AppealNotApplicableCode, $"This appeal does not fit the application: {why}.");
        }

        if (now > decidedAt.Value.AddDays(appealDays))
        {
            throw new RuleViolation(AppealsContracts.AppealDeadlinePassedCode,
                $"Appeals are filed within {appealDays} days of the decision ({decidedAt:yyyy-MM-dd HH:mm} UTC).");
        }

        return kind == AppealKind.MicrodistrictResolution ? school : null;
    }

    public static AppealRemedy RemedyOf(AppealKind kind) => kind switch
    {
        AppealKind.Rejection => AppealRemedy.ReturnRejected,
        AppealKind.PriorityDenied => AppealRemedy.VerifyPriority,
        _ => AppealRemedy.ResidentOverride,
    };
}

internal sealed class FileAppealValidator : IValidator<FileAppeal>
{
    public void Validate(FileAppeal message, ValidationErrors errors)
    {
        errors.Required("text", message.Text, 4000);
        errors.MaxLength("schoolCode", message.SchoolCode, 16);
        if (!Enum.IsDefined(message.Kind))
        {
            errors.Add("kind", "OUT_OF_RANGE", "Unknown appeal kind.");
        }
    }
}

internal sealed class AddAppealMessageValidator : IValidator<AddAppealMessage>
{
    public void Validate(AddAppealMessage message, ValidationErrors errors) => errors.Required("text", message.Text, 4000);
}

internal sealed class AnswerAppealValidator : IValidator<AnswerAppeal>
{
    public void Validate(AnswerAppeal message, ValidationErrors errors)
    {
        errors.Required("text", message.Text, 4000);
        if (!Enum.IsDefined(message.Decision))
        {
            errors.Add("decision", "OUT_OF_RANGE", "Unknown decision.");
        }
    }
}

internal sealed class SearchAppealsValidator : IValidator<SearchAppeals>
{
    public void Validate(SearchAppeals message, ValidationErrors errors)
    {
        errors.Range("first", message.Take, 1, Cursor.MaxPageSize);
        errors.Range("after", message.Skip, 0, int.MaxValue);
        errors.MaxLength("districtCode", message.Filter.DistrictCode, 16);
    }
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Features.Applications;

/// <summary>Filters of the staff application list; every one optional.</summary>
internal sealed record ApplicationFilter(
    string? SchoolCode, string? DistrictCode, ApplicationStatus? Status, string? Language, PriorityClaimStatus? Priority, string? ChildPin);

internal sealed record ApplicationPage(IReadOnlyList<Application> Items, int TotalCount);

/// <summary>Staff: applications in the caller's scope (school admins: their school; district officers: their district; ministry: all).</summary>
internal sealed record SearchApplications(ApplicationFilter Filter, int Skip, int Take) : IQuery<ApplicationPage>;

internal sealed record VerifyPriority(Guid ApplicationId, bool Verified, string? Note) : ICommand<Application>;

internal sealed record RecordCommissionDecision(Guid ApplicationId, string Number, DateOnly Date, string Body, bool Approved) : ICommand<Application>;

internal sealed record MarkNeedsCorrection(Guid ApplicationId, IReadOnlyList<string> Mismatches) : ICommand<Application>;

/// <summary>The school's enrollment order: number, date and the children it enrolls (all or nothing).</summary>
internal sealed record EnrollChildren(string SchoolCode, string OrderNumber, DateOnly OrderDate, IReadOnlyList<Guid> ApplicationIds, string? Language)
    : ICommand<IReadOnlyList<Application>>;

internal sealed record RejectApplication(Guid ApplicationId, string ReasonCode, string? Note) : ICommand<Application>;

internal sealed record RecordWithdrawal(Guid ApplicationId, string Note) : ICommand<Application>;

internal sealed record GrantExtraCancellation(Guid ApplicationId, string Reason) : ICommand<CancellationInfoDto>;

/// <summary>Job: cancels applications whose correction period passed (not counted as a parent cancellation). Returns how many.</summary>
internal sealed record CancelOverdueCorrections : ICommand<int>;

internal sealed class StaffInputValidator :
    IValidator<SearchApplications>, IValidator<VerifyPriority>, IValidator<RecordCommissionDecision>, IValidator<MarkNeedsCorrection>,
    IValidator<EnrollChildren>, IValidator<RejectApplication>, IValidator<RecordWithdrawal>, IValidator<GrantExtraCancellation>
{
    public void Validate(SearchApplications m, ValidationErrors errors)
    {
        errors.Range("first", m.Take, 1, Enrollment.BuildingBlocks.GraphQL.Cursor.MaxPageSize);
        errors.MaxLength("schoolCode", m.Filter.SchoolCode, 16);
        errors.MaxLength("districtCode", m.Filter.DistrictCode, 16);
        errors.MaxLength("language", m.Filter.Language, 8);
        errors.MaxLength("childPin", m.Filter.ChildPin, 14);
    }

    public void Validate(VerifyPriority m, ValidationErrors errors) => errors.MaxLength("note", m.Note, 500);

    public void Validate(RecordCommissionDecision m, ValidationErrors errors)
    {
        errors.Required("number", m.Number, 64);
        errors.Required("body", m.Body, 200);
    }

    public void Validate(MarkNeedsCorrection m, ValidationErrors errors)
    {
        errors.Range("mismatches", m.Mismatches.Count, 1, 20);
        foreach (var item in m.Mismatches)
        {
            errors.Required("mismatches", item, 200);
        }
    }

    public void Validate(EnrollChildren m, ValidationErrors errors)
    {
        errors.Required("schoolCode", m.SchoolCode, 16);
        errors.Required("orderNumber", m.OrderNumber, 64);
        errors.Range("applicationIds", m.ApplicationIds.Count, 1, 500);
        errors.MaxLength("language", m.Language, 8);
    }

    public void Validate(RejectApplication m, ValidationErrors errors)
    {
        errors.Required("reasonCode", m.ReasonCode, 64);
        errors.MaxLength("note", m.Note, 500);
    }

    public void Validate(RecordWithdrawal m, ValidationErrors errors) => errors.Required("note", m.Note, 500);

    public void Validate(GrantExtraCancellation m, ValidationErrors errors) => errors.Required("reason", m.Reason, 500);
}

internal static class StaffAccess
{
    public static void RequireStaff(this ICurrentUser user, params string[] roles)
    {
        if (!roles.Any(user.IsInRole))
        {
            throw new AccessDenied($"Only {string.Join(" or ", roles)} may do this.");
        }
    }
}

internal sealed class SearchApplicationsHandler(RegistryDbContext db, ICurrentUser user, Enrollment.BuildingBlocks.Audit.PersonalDataReads reads)
    : IQueryHandler<SearchApplications, ApplicationPage>
{
    public async ValueTask<ApplicationPage> Handle(SearchApplications query, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin);
        var f = query.Filter;
        var q = db.Applications.AsNoTracking().Visible(user).Where(a => a.Status != ApplicationStatus.Draft);
        if (f.SchoolCode is { } school)
        {
            q = q.Where(a => a.Choices.Any(c => c.SchoolCode == school) || a.EnrolledSchoolCode == school);
        }

        if (f.DistrictCode is { } district)
        {
            q = q.Where(a => a.Choices.Any(c => c.DistrictCode == district));
        }

        if (f.Language is { } language)
        {
            q = q.Where(a => a.Choices.Any(c => c.Language == language && (f.SchoolCode == null || c.SchoolCode == f.SchoolCode)));
        }

        if (f.Status is { } status)
        {
            q = q.Where(a => a.Status == status);
        }

        if (f.Priority is { } priority)
        {
            q = q.Where(a => a.PriorityStatus == priority);
        }

        if (f.ChildPin is { } pin)
        {
            q = q.Where(a => a.ChildPin == pin);
        }

        var total = await q.CountAsync(ct);
        var items = await q.OrderBy(a => a.SubmittedAt).ThenBy(a => a.Id).Skip(query.Skip).Take(query.Take)
            .Include(a => a.Choices).AsSplitQuery().ToListAsync(ct);
        reads.Record("registry", nameof(Application), items.Select(a => a.Id.ToString()),
            $"application list: school {f.SchoolCode}, district {f.DistrictCode}, status {f.Status}, child PIN filter {(f.ChildPin is null ? "no" : "yes")}, skip {query.Skip}");
        return new ApplicationPage(items, total);
    }
}

internal sealed class VerifyPriorityHandler(RegistryDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<VerifyPriority, Application>
{
    public async ValueTask<Application> Handle(VerifyPriority command, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin);
        var application = await db.LoadAsync(user, command.ApplicationId, parent: false, ct);
        if (application.PriorityCategory is null)
        {
            throw new RuleViolation(ApplicationErrors.NoPriorityClaim, "This application claims no priority category.");
        }

        application.Require(ApplicationStatus.Submitted, ApplicationStatus.NeedsCorrection, ApplicationStatus.CommissionReview,
            ApplicationStatus.Waitlisted, ApplicationStatus.Offered, ApplicationStatus.Confirmed);
        application.PriorityStatus = command.Verified ? PriorityClaimStatus.Verified : PriorityClaimStatus.Rejected;
        application.PriorityNote = command.Note;
        application.Note(user.Actor(), clock.UtcNow, (command.Verified ? "PRIORITY_VERIFIED" : "PRIORITY_REJECTED")
            + $": {application.PriorityCategory}" + (string.IsNullOrWhiteSpace(command.Note) ? "" : " — " + command.Note.Trim()));
        application.Version++;
        await db.SaveChangesAsync(ct);
        return application;
    }
}

internal sealed class RecordCommissionDecisionHandler(RegistryDbContext db, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<RecordCommissionDecision, Application>
{
    public async ValueTask<Application> Handle(RecordCommissionDecision command, CancellationToken ct)
    {
        user.RequireStaff(Roles.DistrictOfficer, Roles.MinistryAdmin);
        var application = await db.LoadAsync(user, command.ApplicationId, parent: false, ct);
        application.Require(ApplicationStatus.CommissionReview);
        application.CommissionNumber = command.Number.Trim();
        application.CommissionDate = command.Date;
        application.CommissionBody = command.Body.Trim();
        application.CommissionApproved = command.Approved;
        var decision = $"No. {application.CommissionNumber} of {command.Date:yyyy-MM-dd}, {application.CommissionBody}";
        if (command.Approved)
        {
            application.MoveTo(ApplicationStatus.Submitted, user.Actor(), clock.UtcNow, "COMMISSION_APPROVED: " + decision);
        }
        else
        {
            application.RejectionReason = "COMMISSION_REFUSED";
            application.MoveTo(ApplicationStatus.Rejected, user.Actor(), clock.UtcNow, "COMMISSION_REFUSED: " + decision);
        }

        await CancelApplicationHandler.SaveAsync(db, events, application, ct);
        return application;
    }
}

internal sealed class MarkNeedsCorrectionHandler(RegistryDbContext db, ISender sender, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<MarkNeedsCorrection, Application>
{
    public async ValueTask<Application> Handle(MarkNeedsCorrection command, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin);
        var application = await db.LoadAsync(user, command.ApplicationId, parent: false, ct);
        application.Require(ApplicationStatus.Submitted, ApplicationStatus.Waitlisted);
        var campaign = await sender.Send(new GetCurrentCampaign(), ct);
        var at = clock.UtcNow;
        var mismatches = command.Mismatches.Select(m => m.Trim()).ToList();
        application.Mismatches = string.Join("\n", mismatches);
        application.CorrectionDueAt = at.AddDays(campaign?.CorrectionDays ?? 3);
        application.MoveTo(ApplicationStatus.NeedsCorrection, user.Actor(), at, "NEEDS_CORRECTION: " + string.Join("; ", mismatches));
        await CancelApplicationHandler.SaveAsync(db, events, application, ct);
        return application;
    }
}

internal sealed class EnrollChildrenHandler(RegistryDbContext db, ISender sender, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<EnrollChildren, IReadOnlyList<Application>>
{
    public async ValueTask<IReadOnlyList<Application>> Handle(EnrollChildren command, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin);
        var school = command.SchoolCode.Trim().ToUpperInvariant();
        if (user.IsInRole(Roles.SchoolAdmin) && !user.IsMinistry() && user.SchoolCode != school)
        {
            throw new AccessDenied($"School {school} is not yours.");
        }

        var now = await CampaignNow.LoadAsync(sender, ct);
        var late = now.Stage.Stage is Stage.LateEnrollment or Stage.Closed;

        // Late enrollments without an offer take free seats first-come: check and write in one serialized step (LateSeats).
        await using var transaction = late ? await LateSeats.BeginAsync(db, now.Campaign.Id, ct) : null;
        var ids = command.ApplicationIds.Distinct().ToList();
        var applications = await db.Applications.Include(a => a.Choices).Include(a => a.History).AsSplitQuery()
            .Visible(user).Where(a => ids.Contains(a.Id)).ToListAsync(ct);
        if (applications.Count != ids.Count)
        {
            throw new NotFound("Application", string.Join(",", ids.Except(applications.Select(a => a.Id))));
        }

        var at = clock.UtcNow;
        var order = $"order No. {command.OrderNumber.Trim()} of {command.OrderDate:yyyy-MM-dd}";
        var freeSeatsTaken = new List<(string School, string Language)>();
        foreach (var a in applications)
        {
            string language;
            if (a.Status == ApplicationStatus.Confirmed && a.OfferSchoolCode == school)
            {
                language = a.OfferLanguage!; // the offer already holds the seat
            }
            else if (late && a.Status is ApplicationStatus.Submitted or ApplicationStatus.Waitlisted
                     && a.Choices.FirstOrDefault(c => c.SchoolCode == school && (command.Language == null || c.Language == command.Language)) is { } choice)
            {
                language = choice.Language;
                freeSeatsTaken.Add((school, language));
            }
            else
            {
                throw new RuleViolation(ApplicationErrors.NotEnrollable,
                    $"Application {a.Id} ({a.Status}) cannot be enrolled at {school}: only a confirmed offer of this school, "
                    + "or after the campaign closes a submitted or waitlisted application choosing it.");
            }

            a.EnrolledSchoolCode = school;
            a.EnrolledLanguage = language;
            a.EnrolledGrade = 1;
            a.EnrollmentOrderNumber = command.OrderNumber.Trim();
            a.EnrollmentOrderDate = command.OrderDate;
            a.MoveTo(ApplicationStatus.Enrolled, user.Actor(), at, (a.Status == ApplicationStatus.Confirmed ? "ENROLLED: " : "ENROLLED_LATE: ") + order);
        }

        await LateSeats.RequireFreeAsync(sender, now.Campaign.Id, freeSeatsTaken, ct);
        try
        {
            if (transaction is null)
            {
                await events.SaveAndPublishAsync(applications, ct);
                return applications;
            }

            foreach (var a in applications)
            {
                a.Version++;
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (CancelApplicationHandler.IsConcurrentChange(e))
        {
            db.ChangeTracker.Clear();
            throw new RuleViolation(ApplicationErrors.Conflict, "An application was changed at the same time; reload and try again.");
        }

        await events.PublishAsync(applications, ct); // after the commit: listeners write to other modules (ADR 0400)
        return applications;
    }
}

internal sealed class RejectApplicationHandler(RegistryDbContext db, IOfferDesk offers, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<RejectApplication, Application>
{
    public async ValueTask<Application> Handle(RejectApplication command, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin);
        if (!ApplicationLists.RejectionReasons.Contains(command.ReasonCode))
        {
            throw new RuleViolation(ApplicationErrors.UnknownRejectionReason,
                $"Reject with one of: {string.Join(", ", ApplicationLists.RejectionReasons)}.");
        }

        var application = await db.LoadAsync(user, command.ApplicationId, parent: false, ct);
        application.Require(ApplicationStatus.Submitted, ApplicationStatus.NeedsCorrection, ApplicationStatus.CommissionReview,
            ApplicationStatus.Waitlisted, ApplicationStatus.Offered, ApplicationStatus.Confirmed);
        var held = application.Status is ApplicationStatus.Offered or ApplicationStatus.Confirmed;
        application.ClearOffer();
        application.RejectionReason = command.ReasonCode;
        application.MoveTo(ApplicationStatus.Rejected, user.Actor(), clock.UtcNow,
            command.ReasonCode + (string.IsNullOrWhiteSpace(command.Note) ? "" : ": " + command.Note.Trim()));
        await CancelApplicationHandler.SaveAsync(db, events, application, ct);
        await CancelApplicationHandler.ReleaseAfterCommitAsync(offers, application.Id, held, "Rejected: " + command.ReasonCode, ct);
        return application;
    }
}

internal sealed class RecordWithdrawalHandler(RegistryDbContext db, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<RecordWithdrawal, Application>
{
    public async ValueTask<Application> Handle(RecordWithdrawal command, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin);
        var application = await db.LoadAsync(user, command.ApplicationId, parent: false, ct);
        application.Require(ApplicationStatus.Enrolled);
        application.MoveTo(ApplicationStatus.Withdrawn, user.Actor(), clock.UtcNow, "WITHDRAWN_ON_PAPER_REQUEST: " + command.Note.Trim());
        await CancelApplicationHandler.SaveAsync(db, events, application, ct);
        return application;
    }
}

internal sealed class GrantExtraCancellationHandler(RegistryDbContext db, ISender sender, ICurrentUser user, IClock clock)
    : ICommandHandler<GrantExtraCancellation, CancellationInfoDto>
{
    public async ValueTask<CancellationInfoDto> Handle(GrantExtraCancellation command, CancellationToken ct)
    {
        user.RequireStaff(Roles.MinistryAdmin);
        var application = await db.LoadAsync(user, command.ApplicationId, parent: false, ct);
        var allowance = await db.CancellationAllowances.FirstOrDefaultAsync(x => x.CampaignId == application.CampaignId && x.ChildPin == application.ChildPin, ct);
        if (allowance is null)
        {
            allowance = new CancellationAllowance { CampaignId = application.CampaignId, ChildPin = application.ChildPin };
            db.CancellationAllowances.Add(allowance);
        }

        allowance.Granted++;
        allowance.Version++;
        var at = clock.UtcNow;
        db.CancellationGrants.Add(new CancellationGrant
        {
            Id = Guid.CreateVersion7(at), CampaignId = application.CampaignId, ChildPin = application.ChildPin, GrantedBy = user.Actor(), At = at,
            Reason = command.Reason.Trim(),
        });
        application.Note(user.Actor(), at, "EXTRA_CANCELLATION_GRANTED: " + command.Reason.Trim());
        await db.SaveChangesAsync(ct);
        return await new CancellationBudget(db).InfoAsync(application.CampaignId, application.ChildPin, await CampaignNow.TryLoadAsync(sender, ct), ct);
    }
}

internal sealed class CancelOverdueCorrectionsHandler(RegistryDbContext db, IClock clock, ApplicationEvents events) : ICommandHandler<CancelOverdueCorrections, int>
{
    public const string Actor = "system:correction-deadline";

    public async ValueTask<int> Handle(CancelOverdueCorrections command, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var cancelled = 0;
        while (true)
        {
            var overdue = await db.Applications.Include(a => a.Choices).Include(a => a.History).AsSplitQuery()
                .Where(a => a.Status == ApplicationStatus.NeedsCorrection && a.CorrectionDueAt < now)
                .OrderBy(a => a.Id).Take(200).ToListAsync(ct);
            if (overdue.Count == 0)
            {
                return cancelled;
            }

            foreach (var a in overdue)
            {
                a.MoveTo(ApplicationStatus.Cancelled, Actor, now, "CORRECTION_OVERDUE: not corrected by " + Bishkek.ToLocal(a.CorrectionDueAt!.Value).ToString("yyyy-MM-dd HH:mm"));
            }

            try
            {
                await events.SaveAndPublishAsync(overdue, ct);
                cancelled += overdue.Count;
            }
            catch (DbUpdateConcurrencyException)
            {
                // A parent corrected one at the same moment: start over with what is still overdue.
            }

            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>Hourly: cancels applications not corrected in time (job id <c>registry:correction-deadline</c>).</summary>
[AutomaticRetry(Attempts = 3)]
[DisableConcurrentExecution(timeoutInSeconds: 600)]
internal sealed class CorrectionDeadlineJob(ISender sender)
{
    public const string Id = "registry:correction-deadline";

    public async Task RunAsync(CancellationToken cancellationToken) => await sender.Send(new CancelOverdueCorrections(), cancellationToken);
}

using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Features.Applications;

/// <summary>
/// School (or ministry): enrolls a late arrival who has no application, on the parent's written application, in
/// <c>LateEnrollment</c> and <c>Closed</c> (domain.md, calendar step 5; ADR 0304). The child is looked up by PIN in the
/// population registry; the applicant is the child's registry-linked mother, father or legal representative (in that
/// order). The application is created directly in Enrolled with its history entry, within the program's free seats.
/// </summary>
internal sealed record EnrollLateArrival(
    string ChildPin, string SchoolCode, string Language, string WrittenApplicationNumber, DateOnly WrittenApplicationDate, string? Note)
    : ICommand<Application>;

internal sealed class EnrollLateArrivalValidator : IValidator<EnrollLateArrival>
{
    public void Validate(EnrollLateArrival m, ValidationErrors errors)
    {
        errors.Required("childPin", m.ChildPin, 20);
        errors.Required("schoolCode", m.SchoolCode, 16);
        errors.Required("language", m.Language, 8);
        errors.Required("writtenApplicationNumber", m.WrittenApplicationNumber, 64);
        errors.MaxLength("note", m.Note, 500);
    }
}

internal sealed class EnrollLateArrivalHandler(
    RegistryDbContext db, IPopulationRegistry registry, ISender sender, ICurrentUser user, IClock clock, AuditContext audit, ApplicationEvents events)
    : ICommandHandler<EnrollLateArrival, Application>
{
    private static readonly string[] RelationOrder = ["Mother", "Father", "LegalRepresentative"];

    public async ValueTask<Application> Handle(EnrollLateArrival command, CancellationToken ct)
    {
        user.RequireStaff(Roles.SchoolAdmin, Roles.MinistryAdmin);
        var school = command.SchoolCode.Trim().ToUpperInvariant();
        var language = command.Language.Trim().ToLowerInvariant();
        if (!user.IsMinistry() && user.SchoolCode != school)
        {
            throw new AccessDenied($"School {school} is not yours.");
        }

        var now = await CampaignNow.LoadAsync(sender, ct);
        if (now.Stage.Stage is not (Stage.LateEnrollment or Stage.Closed))
        {
            throw new RuleViolation(ApplicationErrors.LateEnrollmentNotOpen,
                $"Late arrivals without an application are enrolled only after the main registration closes (now: {now.Stage.Stage}).");
        }

        var childPin = Pin.Parse(command.ChildPin, clock);
        var child = (await registry.FindVerifiedPersonAsync(childPin, ct)).ValueOrDefault
            ?? throw new RuleViolation(RegistryContracts.NotInPopulationRegistryCode, "The population registry has no child with this PIN.");
        var link = (await registry.GetParentsAsync(childPin, ct)).ValueOrDefault?
            .Where(p => RelationOrder.Contains(p.Relation)).OrderBy(p => Array.IndexOf(RelationOrder, p.Relation)).ThenBy(p => p.Pin).FirstOrDefault()
            ?? throw new RuleViolation(ApplicationErrors.NoApplicantInRegistry,
                "The population registry links no mother, father or legal representative to this child.");
        var applicantPin = Pin.Parse(link.Pin, clock);
        var applicant = (await registry.FindPersonAsync(applicantPin, ct)).ValueOrDefault
            ?? new RegistryPerson(link.Pin, "", "", null, applicantPin.Sex, applicantPin.BirthDate);
        var family = new FamilyCheck(
            new RegistryLinkedChild(child.Pin, child.LastName, child.FirstName, child.Patronymic, child.Sex, child.BirthDate, link.Relation), applicant,
            (await registry.GetBirthCertificateAsync(childPin, ct)).IsFound, (await registry.GetPassportAsync(applicantPin, ct)).IsFound, []);
        var grounds = family.CommissionGrounds(now.Campaign); // CHILD_TOO_YOUNG refuses
        if (grounds.Count > 0)
        {
            throw new RuleViolation("COMMISSION_REQUIRED",
                $"This child needs a Commission for Child Affairs decision first ({string.Join(", ", grounds)}); the parent applies online and the district records it.");
        }

        var program = (await sender.Send(new GetPrograms([school], now.Campaign.Id), ct))
            .FirstOrDefault(p => p.SchoolCode == school && p.Language == language && p.Grade == 1 && p.ApprovedSeats > 0)
            ?? throw new RuleViolation(ApplicationErrors.ProgramNotAvailable, $"School {school} has no approved first-grade seats in language '{language}'.");

        // The active-application check, the free-seat check and the insert are one serialized step (LateSeats; ADR 0304).
        await using var transaction = await LateSeats.BeginAsync(db, now.Campaign.Id, ct);
        if (await db.Applications.AnyAsync(a => a.CampaignId == now.Campaign.Id && a.ActiveKey == child.Pin, ct))
        {
            throw new RuleViolation(ApplicationErrors.ApplicationExists,
                "This child already has an active application in this campaign: enroll it with the enrollment order instead.");
        }

        await LateSeats.RequireFreeAsync(sender, now.Campaign.Id, [(school, language)], ct);

        var at = clock.UtcNow;
        var application = Application.NewDraft(now.Campaign.Id, child.Pin, link.Pin, link.Relation, at);
        family.Apply(application, now.Campaign);
        application.ReplaceChoices([new ApplicationChoice { SchoolCode = school, DistrictCode = program.DistrictCode, Language = language, Grade = 1 }]);
        application.SubmittedAt = at;
        application.SubmittedInStage = now.Stage.Stage.ToString();
        application.WrittenApplicationNumber = command.WrittenApplicationNumber.Trim();
        application.WrittenApplicationDate = command.WrittenApplicationDate;
        application.EnrolledSchoolCode = school;
        application.EnrolledLanguage = language;
        application.EnrolledGrade = 1;
        var reason = $"ENROLLED_LATE_WITHOUT_APPLICATION: written application No. {application.WrittenApplicationNumber} of {command.WrittenApplicationDate:yyyy-MM-dd}"
            + (string.IsNullOrWhiteSpace(command.Note) ? "" : " — " + command.Note.Trim());
        application.MoveTo(ApplicationStatus.Enrolled, user.Actor(), at, reason, initial: true);
        audit.Reason = reason;
        db.Applications.Add(application);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new RuleViolation(ApplicationErrors.ApplicationExists, "This child already has an active application in this campaign.");
        }

        await events.PublishAsync([application], ct); // after the commit: listeners write to other modules (ADR 0400)
        return application;
    }
}

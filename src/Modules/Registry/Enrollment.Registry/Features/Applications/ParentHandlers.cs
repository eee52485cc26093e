using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Enrollment.Registry.Features.Applications;

/// <summary>One ranked choice as the parent enters it: a school and a language of instruction (grade 1).</summary>
internal sealed record ChoiceInput(string SchoolCode, string Language);

/// <summary>Contact details and the claim a parent fills in (and may fix in a correction).</summary>
internal sealed record ContactsInput(string? Phone, string? Email, string? SecondaryEmail, string? Language);

/// <summary>Parent: prepares a draft for a linked child from the quota-entry window on, pre-verified against the registry.</summary>
internal sealed record CreateDraft(string ChildPin, Guid? PriorityProofId = null, Guid? RepresentativeProofId = null) : ICommand<Application>;

/// <summary>
/// Parent: submits the child's application (the draft when one exists). <paramref name="IdempotencyKey"/>: a retried
/// submit with the same key returns the same application.
/// </summary>
internal sealed record SubmitApplication(
    string ChildPin, string? IdempotencyKey, ContactsInput Contacts, bool Consent, string? PriorityCategory, IReadOnlyList<ChoiceInput> Choices,
    Guid? PriorityProofId = null, Guid? RepresentativeProofId = null)
    : ICommand<Application>;

/// <summary>Parent: fixes the listed mismatches (contacts, priority claim) of an application in NeedsCorrection, within the correction days.</summary>
internal sealed record CorrectApplication(
    Guid ApplicationId, ContactsInput Contacts, string? PriorityCategory, Guid? PriorityProofId = null, Guid? RepresentativeProofId = null)
    : ICommand<Application>;

internal sealed record CancelApplication(Guid ApplicationId, string? Reason) : ICommand<Application>;

/// <summary>Parent: replaces the ranked choices (counts as one cancellation); the application re-enters allocation as Submitted.</summary>
internal sealed record SwitchApplication(Guid ApplicationId, IReadOnlyList<ChoiceInput> Choices) : ICommand<Application>;

internal sealed record ConfirmApplicationOffer(Guid ApplicationId) : ICommand<Application>;

internal sealed record GetMyApplications : IQuery<IReadOnlyList<Application>>;

/// <summary>One application the caller may read (the parent's own, or staff in scope); null otherwise.</summary>
internal sealed record GetApplication(Guid ApplicationId) : IQuery<Application?>;

internal sealed record CancellationInfoDto(int Used, int Limit, int Granted, int Remaining, bool AllowedNow, string? DisabledPeriods);

internal sealed record GetCancellationInfo(Guid CampaignId, string ChildPin) : IQuery<CancellationInfoDto>;

internal sealed class ApplicationInputValidator :
    IValidator<SubmitApplication>, IValidator<CorrectApplication>, IValidator<SwitchApplication>, IValidator<CreateDraft>, IValidator<CancelApplication>
{
    public void Validate(SubmitApplication m, ValidationErrors errors)
    {
        errors.Required("childPin", m.ChildPin, 20);
        errors.MaxLength("idempotencyKey", m.IdempotencyKey, 64);
        Contacts(m.Contacts, errors);
        errors.MaxLength("priorityCategory", m.PriorityCategory, 32);
        Choices(m.Choices, errors);
    }

    public void Validate(CorrectApplication m, ValidationErrors errors)
    {
        Contacts(m.Contacts, errors);
        errors.MaxLength("priorityCategory", m.PriorityCategory, 32);
    }

    public void Validate(SwitchApplication m, ValidationErrors errors) => Choices(m.Choices, errors);

    public void Validate(CreateDraft m, ValidationErrors errors) => errors.Required("childPin", m.ChildPin, 20);

    public void Validate(CancelApplication m, ValidationErrors errors) => errors.MaxLength("reason", m.Reason, 500);

    private static void Contacts(ContactsInput c, ValidationErrors errors)
    {
        errors.MaxLength("phone", c.Phone, 32);
        if (c.Phone is { Length: > 0 } phone && !System.Text.RegularExpressions.Regex.IsMatch(phone, @"^\+?[0-9 ()-]{6,20}$"))
        {
            errors.Add("phone", "BAD_PHONE", "A phone number has 6 to 20 digits, e.g. +996 555 123456.");
        }

        foreach (var (field, value) in new[] { ("email", c.Email), ("secondaryEmail", c.SecondaryEmail) })
        {
            errors.MaxLength(field, value, 254);
            if (value is { Length: > 0 } && !System.Text.RegularExpressions.Regex.IsMatch(value, @"^[^@\s]+@[^@\s]+\.[^@\s]+$"))
            {
                errors.Add(field, "BAD_EMAIL", "Not an e-mail address.");
            }
        }

        if (c.Language is { } language && !ApplicationLists.Languages.Contains(language))
        {
            errors.Add("language", "BAD_LANGUAGE", "Notification language is ky or ru.");
        }
    }

    private static void Choices(IReadOnlyList<ChoiceInput> choices, ValidationErrors errors)
    {
        errors.Range("choices", choices.Count, 0, 20);
        foreach (var c in choices)
        {
            errors.Required("choices.schoolCode", c.SchoolCode, 16);
            errors.Required("choices.language", c.Language, 8);
        }
    }
}

/// <summary>
/// What the population registry says about an applicant and one of their children. <see cref="Addresses"/> are the
/// registered addresses of every parent/legal representative linked to the child, the applicant's first: Stage One
/// admits a child when at least one of them lies in the school's micro-district (domain.md; ADR 0304).
/// </summary>
internal sealed record FamilyCheck(
    RegistryLinkedChild Child, RegistryPerson Applicant, bool HasBirthCertificate, bool HasPassport, IReadOnlyList<RegistryAddress> Addresses)
{
    /// <summary>The registry lookups (all before any transaction). CHILD_NOT_LINKED when the registry links no such child to the applicant.</summary>
    public static async Task<FamilyCheck> LoadAsync(IPopulationRegistry registry, IClock clock, string applicantPin, string childPin, CancellationToken ct)
    {
        var parent = Pin.Parse(applicantPin, clock);
        var child = Pin.Parse(childPin, clock);
        var children = await registry.GetLinkedChildrenAsync(parent, ct);
        var linked = children.IsFound ? children.Value.FirstOrDefault(c => c.Pin == child.Value) : null;
        if (linked is null || !ApplicationLists.Relations.Contains(linked.Relation))
        {
            throw new RuleViolation(ApplicationErrors.ChildNotLinked,
                "The population registry does not link this child to you as mother, father or legal representative.");
        }

        var applicant = await registry.FindPersonAsync(parent, ct);
        var certificate = await registry.GetBirthCertificateAsync(child, ct);
        var passport = await registry.GetPassportAsync(parent, ct);
        return new FamilyCheck(linked, applicant.ValueOrDefault ?? new RegistryPerson(parent.Value, "", "", null, parent.Sex, parent.BirthDate),
            certificate.IsFound, passport.IsFound, await ParentAddressesAsync(registry, clock, child, parent.Value, ct));
    }

    /// <summary>Registered addresses of the child's linked parents/legal representatives, <paramref name="firstPin"/>'s first (when any).</summary>
    public static async Task<IReadOnlyList<RegistryAddress>> ParentAddressesAsync(
        IPopulationRegistry registry, IClock clock, Pin child, string? firstPin, CancellationToken ct)
    {
        var parents = await registry.GetParentsAsync(child, ct);
        var pins = (parents.IsFound ? parents.Value : [])
            .Where(p => ApplicationLists.Relations.Contains(p.Relation)).Select(p => p.Pin)
            .Prepend(firstPin).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var addresses = new List<RegistryAddress>();
        foreach (var pin in pins)
        {
            if ((await registry.GetRegisteredAddressAsync(Pin.Parse(pin, clock), ct)).ValueOrDefault is { } address)
            {
                addresses.Add(address);
            }
        }

        return addresses;
    }

    /// <summary>Grounds for a Commission for Child Affairs decision (over age, missing documents); CHILD_TOO_YOUNG refuses.</summary>
    public IReadOnlyList<string> CommissionGrounds(CampaignDto campaign)
    {
        if (Child.BirthDate > campaign.EligibleBirthTo)
        {
            throw new RuleViolation(ApplicationErrors.ChildTooYoung,
                $"Children born after {campaign.EligibleBirthTo:yyyy-MM-dd} apply in a later campaign.");
        }

        var grounds = new List<string>();
        var firstOfSeptember = new DateOnly(campaign.StartYear, 9, 1);
        if (Child.BirthDate < campaign.EligibleBirthFrom || Child.BirthDate.AddYears(campaign.AgeLimitYears) <= firstOfSeptember)
        {
            grounds.Add("OVER_AGE");
        }

        if (!HasBirthCertificate)
        {
            grounds.Add("NO_BIRTH_CERTIFICATE");
        }

        if (!HasPassport)
        {
            grounds.Add("NO_PASSPORT");
        }

        return grounds;
    }

    public void Apply(Application a, CampaignDto campaign)
    {
        a.ChildLastName = Child.LastName;
        a.ChildFirstName = Child.FirstName;
        a.ChildSex = Child.Sex;
        a.ChildBirthDate = Child.BirthDate;
        a.Relation = Child.Relation;
        a.ApplicantName = string.Join(' ', new[] { Applicant.LastName, Applicant.FirstName, Applicant.Patronymic }.Where(x => !string.IsNullOrEmpty(x)));
        var grounds = CommissionGrounds(campaign);
        a.CommissionGrounds = grounds.Count == 0 ? null : string.Join(',', grounds);
    }
}

/// <summary>Checks ranked choices against the stage's rules (Stage One: micro-district schools only) and the approved programs.</summary>
internal static class ChoiceRules
{
    public static async Task<List<ApplicationChoice>> CheckAsync(
        ISender sender, CampaignNow now, IReadOnlyList<ChoiceInput> input, IReadOnlyList<string> residentSchools, CancellationToken ct)
    {
        if (input.Count == 0)
        {
            throw new RuleViolation(ApplicationErrors.NoChoices, "Choose at least one school and language.");
        }

        if (input.Count > now.Campaign.MaxChoices)
        {
            throw new RuleViolation(ApplicationErrors.TooManyChoices, $"This campaign allows at most {now.Campaign.MaxChoices} ranked choice(s).");
        }

        var keys = input.Select(c => (School: c.SchoolCode.Trim().ToUpperInvariant(), Language: c.Language.Trim().ToLowerInvariant())).ToList();
        if (keys.Distinct().Count() != keys.Count)
        {
            throw new RuleViolation(ApplicationErrors.DuplicateChoice, "The same school and language is chosen twice.");
        }

        if (now.Stage.Stage == Stage.StageOne)
        {
            var outside = keys.Where(k => !residentSchools.Contains(k.School, StringComparer.Ordinal)).Select(k => k.School).ToList();
            if (outside.Count > 0)
            {
                throw new RuleViolation(ApplicationErrors.SchoolOutsideMicrodistrict, residentSchools.Count == 0
                    ? "In Stage One only the micro-district school(s) of a parent's or legal representative's registered address can be chosen, and no such address is in one."
                    : $"In Stage One only the micro-district school(s) of a parent's or legal representative's registered address can be chosen ({string.Join(", ", residentSchools)}); not {string.Join(", ", outside)}.");
            }
        }

        // The per-host copy (ADR 0204): every submit asks, a quota change shows within a second on every host.
        var programs = await sender.Send(new GetPrograms([.. keys.Select(k => k.School).Distinct()], now.Campaign.Id, FromHostCopy: true), ct);
        var result = new List<ApplicationChoice>();
        foreach (var (school, language) in keys)
        {
            var program = programs.FirstOrDefault(p => p.SchoolCode == school && p.Language == language && p.Grade == 1 && p.ApprovedSeats > 0)
                ?? throw new RuleViolation(ApplicationErrors.ProgramNotAvailable,
                    $"School {school} has no approved first-grade seats in language '{language}' in this campaign.");
            result.Add(new ApplicationChoice { SchoolCode = school, DistrictCode = program.DistrictCode, Language = language, Grade = 1 });
        }

        return result;
    }

    /// <summary>The micro-district schools (resolved through Schools) of any of the family's registered addresses.</summary>
    public static async Task<IReadOnlyList<string>> ResidentSchoolsAsync(ISender sender, IReadOnlyList<RegistryAddress> addresses, CancellationToken ct)
    {
        var schools = new List<string>();
        foreach (var address in addresses)
        {
            var resolution = await sender.Send(new ResolveAddress(new AddressDto(address.SettlementCode, address.Street, address.House, address.Latitude, address.Longitude)), ct);
            schools.AddRange(resolution.SchoolCodes);
        }

        return [.. schools.Distinct().Order(StringComparer.Ordinal)];
    }
}

internal sealed class CreateDraftHandler(RegistryDbContext db, IPopulationRegistry registry, ISender sender, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<CreateDraft, Application>
{
    public async ValueTask<Application> Handle(CreateDraft command, CancellationToken ct)
    {
        var applicantPin = user.RequireParentPin();
        var now = await CampaignNow.LoadAsync(sender, ct);
        if (!now.Allowed.DraftsAllowed)
        {
            throw new RuleViolation(ApplicationErrors.DraftsClosed, "Drafts can be prepared from the opening of the quota-entry window until registration closes.");
        }

        var family = await FamilyCheck.LoadAsync(registry, clock, applicantPin, command.ChildPin, ct);
        var existing = await db.Applications.Include(a => a.Choices).Include(a => a.History).AsSplitQuery()
            .FirstOrDefaultAsync(a => a.CampaignId == now.Campaign.Id && a.ActiveKey == family.Child.Pin, ct);
        if (existing is not null)
        {
            return existing.Status == ApplicationStatus.Draft && existing.ApplicantPin == applicantPin
                ? existing
                : throw new RuleViolation(ApplicationErrors.ApplicationExists, "This child already has an active application in this campaign.");
        }

        var draft = Application.NewDraft(now.Campaign.Id, family.Child.Pin, applicantPin, family.Child.Relation, clock.UtcNow);
        family.Apply(draft, now.Campaign);
        await Proofs.ProofRules.ApplyAsync(db, draft, applicantPin, command.PriorityProofId, command.RepresentativeProofId, submitting: false, ct);
        draft.ResidentSchoolCodes = string.Join(',', await ChoiceRules.ResidentSchoolsAsync(sender, family.Addresses, ct));
        draft.MoveTo(ApplicationStatus.Draft, user.Actor(), clock.UtcNow, "DRAFT_CREATED", initial: true);
        db.Applications.Add(draft);
        try
        {
            await events.SaveAndPublishAsync([draft], ct);
        }
        catch (DbUpdateException)
        {
            throw new RuleViolation(ApplicationErrors.ApplicationExists, "This child already has an active application in this campaign.");
        }

        return draft;
    }
}

/// <summary>
/// Submit, designed for the opening-morning burst: the campaign, registry, micro-district and program lookups run first,
/// then the application and its history are saved through the <see cref="SubmitQueue"/> (many submits per transaction, ADR 0900). The unique index on the active
/// application of a child decides races; the idempotency key turns a retry into the same answer.
/// </summary>
internal sealed partial class SubmitApplicationHandler(
    RegistryDbContext db, IPopulationRegistry registry, ISender sender, ICurrentUser user, IClock clock, ApplicationEvents events, SubmitQueue queue,
    ILogger<SubmitApplicationHandler> logger)
    : ICommandHandler<SubmitApplication, Application>
{
    public ValueTask<Application> Handle(SubmitApplication command, CancellationToken ct) => SubmitAsync(command, retried: false, ct);

    private async ValueTask<Application> SubmitAsync(SubmitApplication command, bool retried, CancellationToken ct)
    {
        var applicantPin = user.RequireParentPin();
        var key = string.IsNullOrWhiteSpace(command.IdempotencyKey) ? null : command.IdempotencyKey.Trim();
        // The campaign comes from the host's copy (no query); the earlier submit with this key and the child's active
        // application (a draft) are read together — one query instead of two on the opening morning's hot path.
        var campaign = await CampaignNow.TryLoadAsync(sender, ct);
        var childPin = Pin.TryParse(command.ChildPin, clock, out var parsed, out _) ? parsed.Value : null;
        var found = await LoadKeyedAndActiveAsync(applicantPin, key, campaign?.Campaign.Id, childPin, ct);
        if (key is not null && found.FirstOrDefault(a => a.ApplicantPin == applicantPin && a.IdempotencyKey == key) is { } earlier)
        {
            return earlier;
        }

        if (!command.Consent)
        {
            throw new RuleViolation(ApplicationErrors.ConsentRequired, "Consent to the processing of personal data is required to submit.");
        }

        CampaignNow.EnsurePriorityCategory(command.PriorityCategory);

        var now = campaign ?? await CampaignNow.LoadAsync(sender, ct);
        if (!now.Allowed.SubmissionAllowed)
        {
            throw new RuleViolation(ApplicationErrors.StageClosed, $"Applications cannot be submitted now (stage {now.Stage.Stage}).");
        }

        var family = await FamilyCheck.LoadAsync(registry, clock, applicantPin, command.ChildPin, ct);
        var grounds = family.CommissionGrounds(now.Campaign);
        var draft = found.FirstOrDefault(a => a.CampaignId == now.Campaign.Id && a.ActiveKey == family.Child.Pin);

        if (draft is not null && (draft.Status != ApplicationStatus.Draft || draft.ApplicantPin != applicantPin))
        {
            LogHeldByAnother(logger, draft.Id, draft.Status, draft.ApplicantPin == applicantPin);
            throw new RuleViolation(ApplicationErrors.ApplicationExists, "This child already has an active application in this campaign.");
        }

        var residents = draft is { ResidentSchoolCodes.Length: > 0 } && now.Stage.Stage != Stage.StageOne
            ? draft.ResidentSchools
            : await ChoiceRules.ResidentSchoolsAsync(sender, family.Addresses, ct);
        var choices = await ChoiceRules.CheckAsync(sender, now, command.Choices, residents, ct);

        var at = clock.UtcNow;
        var application = draft ?? Application.NewDraft(now.Campaign.Id, family.Child.Pin, applicantPin, family.Child.Relation, at);
        family.Apply(application, now.Campaign);
        await Proofs.ProofRules.ApplyAsync(db, application, applicantPin, command.PriorityProofId, command.RepresentativeProofId, submitting: true, ct);
        application.IdempotencyKey = key;
        application.Phone = Blank(command.Contacts.Phone);
        application.Email = Blank(command.Contacts.Email);
        application.SecondaryEmail = Blank(command.Contacts.SecondaryEmail);
        application.Language = command.Contacts.Language ?? application.Language;
        application.Consent = true;
        application.PriorityCategory = Blank(command.PriorityCategory);
        application.PriorityStatus = application.PriorityCategory is null ? PriorityClaimStatus.None : PriorityClaimStatus.Claimed;
        application.ResidentSchoolCodes = string.Join(',', residents);
        application.ReplaceChoices(choices);
        application.SubmittedAt = at;
        application.SubmittedInStage = now.Stage.Stage.ToString();
        var actor = user.Actor();
        if (grounds.Count > 0)
        {
            application.MoveTo(ApplicationStatus.CommissionReview, actor, at, "COMMISSION_REQUIRED: " + string.Join(", ", grounds), initial: draft is null);
        }
        else
        {
            application.MoveTo(ApplicationStatus.Submitted, actor, at, "SUBMITTED", initial: draft is null);
        }

        if (draft is null)
        {
            db.Applications.Add(application);
        }

        try
        {
            await events.SaveQueuedAndPublishAsync(queue, db, application, ct); // batched with other submits (ADR 0900)
            return application;
        }
        catch (DbUpdateException e) when (!TemporarilyUnavailable.Is(e)) // a busy or full database is no conflict: nothing was saved
        {
            db.ChangeTracker.Clear();
            if (key is not null && await FindByKeyAsync(applicantPin, key, ct) is { } winner)
            {
                return winner;
            }

            // APPLICATION_EXISTS only when another active application really holds the child now. When nothing does, or
            // it is still this parent's draft (changed underneath this submit, e.g. by an edit at the same moment), the
            // submit lost no race that matters: it is tried once more from the start on what is stored now.
            var holder = await ActiveHolderAsync(now.Campaign.Id, family.Child.Pin, ct);
            if (!retried && (holder is null || (holder.Status == ApplicationStatus.Draft && holder.ApplicantPin == applicantPin)))
            {
                LogSubmitRetried(logger, e, holder?.Id);
                return await SubmitAsync(command, retried: true, ct);
            }

            LogApplicationExists(logger, e, holder?.Id, holder?.Status, retried);
            throw new RuleViolation(ApplicationErrors.ApplicationExists, "This child already has an active application in this campaign.");
        }
    }

    private async Task<Application?> ActiveHolderAsync(Guid campaignId, string childPin, CancellationToken ct) =>
        await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.CampaignId == campaignId && a.ActiveKey == childPin, ct);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A submit could not be saved although no other active application holds the child (the child's draft {DraftId}); it is tried once more")]
    private static partial void LogSubmitRetried(ILogger logger, Exception e, Guid? draftId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "A submit was refused with APPLICATION_EXISTS: the child's active application {ApplicationId} is {Status} (same applicant: {SameApplicant})")]
    private static partial void LogHeldByAnother(ILogger logger, Guid applicationId, ApplicationStatus status, bool sameApplicant);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "A submit was refused with APPLICATION_EXISTS when saved: the child's active application {ApplicationId} is {Status} (after a retry: {Retried})")]
    private static partial void LogApplicationExists(ILogger logger, Exception e, Guid? applicationId, ApplicationStatus? status, bool retried);

    private async Task<Application?> FindByKeyAsync(string applicantPin, string key, CancellationToken ct) =>
        await db.Applications.Include(a => a.Choices).Include(a => a.History).AsSingleQuery()
            .FirstOrDefaultAsync(a => a.ApplicantPin == applicantPin && a.IdempotencyKey == key, ct);

    /// <summary>
    /// The applicant's application with this idempotency key and the child's active application in the campaign (at most
    /// two rows, often one or none), tracked. One application with a handful of choices and history rows: one joined
    /// query is cheaper than split ones. Each condition is sent only when it applies, so each side uses its unique index.
    /// Compiled once per process: EF's per-call expression work was most of this lookup's cost on the opening morning.
    /// </summary>
    private async Task<List<Application>> LoadKeyedAndActiveAsync(string applicantPin, string? key, Guid? campaignId, string? childPin, CancellationToken ct)
    {
        var rows = (key, campaignId, childPin) switch
        {
            ({ } k, { } c, { } child) => KeyedOrActive(db, applicantPin, k, c, child),
            ({ } k, _, _) => Keyed(db, applicantPin, k),
            (null, { } c, { } child) => Active(db, c, child),
            _ => null,
        };
        var list = new List<Application>(2);
        if (rows is not null)
        {
            await foreach (var application in rows.WithCancellation(ct))
            {
                list.Add(application);
            }
        }

        return list;
    }

    private static readonly Func<RegistryDbContext, string, string, Guid, string, IAsyncEnumerable<Application>> KeyedOrActive =
        EF.CompileAsyncQuery((RegistryDbContext db, string applicantPin, string key, Guid campaignId, string childPin) =>
            db.Applications.Include(a => a.Choices).Include(a => a.History).AsSingleQuery()
                .Where(a => (a.ApplicantPin == applicantPin && a.IdempotencyKey == key) || (a.CampaignId == campaignId && a.ActiveKey == childPin)));

    private static readonly Func<RegistryDbContext, string, string, IAsyncEnumerable<Application>> Keyed =
        EF.CompileAsyncQuery((RegistryDbContext db, string applicantPin, string key) =>
            db.Applications.Include(a => a.Choices).Include(a => a.History).AsSingleQuery()
                .Where(a => a.ApplicantPin == applicantPin && a.IdempotencyKey == key));

    private static readonly Func<RegistryDbContext, Guid, string, IAsyncEnumerable<Application>> Active =
        EF.CompileAsyncQuery((RegistryDbContext db, Guid campaignId, string childPin) =>
            db.Applications.Include(a => a.Choices).Include(a => a.History).AsSingleQuery()
                .Where(a => a.CampaignId == campaignId && a.ActiveKey == childPin));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

internal sealed class CorrectApplicationHandler(RegistryDbContext db, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<CorrectApplication, Application>
{
    public async ValueTask<Application> Handle(CorrectApplication command, CancellationToken ct)
    {
        var application = await db.LoadAsync(user, command.ApplicationId, parent: true, ct);
        application.Require(ApplicationStatus.NeedsCorrection);
        var at = clock.UtcNow;
        if (application.CorrectionDueAt is { } due && at > due)
        {
            throw new RuleViolation(ApplicationErrors.CorrectionOverdue, "The correction period is over.");
        }

        CampaignNow.EnsurePriorityCategory(command.PriorityCategory);

        application.Phone = command.Contacts.Phone ?? application.Phone;
        application.Email = command.Contacts.Email ?? application.Email;
        application.SecondaryEmail = command.Contacts.SecondaryEmail ?? application.SecondaryEmail;
        application.Language = command.Contacts.Language ?? application.Language;
        if (command.PriorityCategory is not null)
        {
            application.PriorityCategory = command.PriorityCategory.Length == 0 ? null : command.PriorityCategory;
            application.PriorityStatus = application.PriorityCategory is null ? PriorityClaimStatus.None : PriorityClaimStatus.Claimed;
        }

        await Proofs.ProofRules.ApplyAsync(db, application, application.ApplicantPin, command.PriorityProofId, command.RepresentativeProofId, submitting: true, ct);
        application.Mismatches = null;
        application.CorrectionDueAt = null;
        application.MoveTo(ApplicationStatus.Submitted, user.Actor(), at, "CORRECTED");
        await events.SaveAndPublishAsync([application], ct);
        return application;
    }
}

/// <summary>Cancellations and switches: the campaign's limit per child, the ministry's grants, the cancellation switch.</summary>
internal sealed class CancellationBudget(RegistryDbContext db)
{
    public static readonly ApplicationStatus[] Cancellable =
    [
        ApplicationStatus.Submitted, ApplicationStatus.NeedsCorrection, ApplicationStatus.CommissionReview, ApplicationStatus.Waitlisted,
        ApplicationStatus.Offered, ApplicationStatus.Confirmed,
    ];

    public async Task<CancellationAllowance> SpendAsync(Application application, CampaignNow now, CancellationToken ct)
    {
        if (application.Status == ApplicationStatus.Enrolled)
        {
            throw new RuleViolation(ApplicationErrors.WithdrawalOnlyBySchool,
                "After the enrollment order a withdrawal is a paper request to the school, which records it.");
        }

        application.Require(Cancellable);
        if (!now.Allowed.CancellationAllowed)
        {
            var periods = now.CancellationSwitchPeriods();
            throw new RuleViolation(ApplicationErrors.CancellationDisabled, periods.Length > 0
                ? $"Cancelling and switching are disabled now by the ministry: {periods}."
                : $"Cancelling and switching are not possible in the current stage ({now.Stage.Stage}).");
        }

        var allowance = await db.CancellationAllowances.FirstOrDefaultAsync(x => x.CampaignId == application.CampaignId && x.ChildPin == application.ChildPin, ct);
        if (allowance is null)
        {
            allowance = new CancellationAllowance { CampaignId = application.CampaignId, ChildPin = application.ChildPin };
            db.CancellationAllowances.Add(allowance);
        }

        if (allowance.Used >= now.Campaign.CancellationLimit + allowance.Granted)
        {
            throw new RuleViolation(ApplicationErrors.CancellationLimitReached,
                $"This child's application was already cancelled or switched {allowance.Used} time(s); the limit is {now.Campaign.CancellationLimit + allowance.Granted}. "
                + "A ministry administrator may grant one more.");
        }

        allowance.Used++;
        allowance.Version++;
        return allowance;
    }

    public async Task<CancellationInfoDto> InfoAsync(Guid campaignId, string childPin, CampaignNow? now, CancellationToken ct)
    {
        var allowance = await db.CancellationAllowances.AsNoTracking().FirstOrDefaultAsync(x => x.CampaignId == campaignId && x.ChildPin == childPin, ct);
        var limit = now?.Campaign.CancellationLimit ?? 0;
        var used = allowance?.Used ?? 0;
        var granted = allowance?.Granted ?? 0;
        var periods = now?.CancellationSwitchPeriods();
        return new CancellationInfoDto(used, limit, granted, Math.Max(0, limit + granted - used), now?.Allowed.CancellationAllowed ?? false,
            string.IsNullOrEmpty(periods) ? null : periods);
    }
}

internal sealed class CancelApplicationHandler(
    RegistryDbContext db, ISender sender, IOfferDesk offers, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<CancelApplication, Application>
{
    public async ValueTask<Application> Handle(CancelApplication command, CancellationToken ct)
    {
        var application = await db.LoadAsync(user, command.ApplicationId, parent: true, ct);
        if (application.Status == ApplicationStatus.Draft)
        {
            application.MoveTo(ApplicationStatus.Cancelled, user.Actor(), clock.UtcNow, "DRAFT_DISCARDED");
            await events.SaveAndPublishAsync([application], ct);
            return application;
        }

        var now = await CampaignNow.LoadAsync(sender, ct);
        await new CancellationBudget(db).SpendAsync(application, now, ct);
        var held = application.Status is ApplicationStatus.Offered or ApplicationStatus.Confirmed;
        application.ClearOffer();
        application.MoveTo(ApplicationStatus.Cancelled, user.Actor(), clock.UtcNow,
            "CANCELLED_BY_PARENT" + (string.IsNullOrWhiteSpace(command.Reason) ? "" : ": " + command.Reason.Trim()));
        await SaveAsync(db, events, application, ct);
        await ReleaseAfterCommitAsync(offers, application.Id, held, "Cancelled by the parent", ct);
        return application;
    }

    /// <summary>
    /// Releases the held offer only after this change won the application's version check: released before, a change
    /// that then loses to a concurrent enrollment would leave the enrolled child's offer Released (found by the
    /// enroll-vs-cancel race). The ApplicationStatusChanged listener in Allocation releases it too (idempotent).
    /// </summary>
    internal static async Task ReleaseAfterCommitAsync(IOfferDesk offers, Guid applicationId, bool held, string reason, CancellationToken ct)
    {
        if (held)
        {
            await offers.ReleaseAsync(applicationId, reason, ct);
        }
    }

    internal static async Task SaveAsync(RegistryDbContext db, ApplicationEvents events, Application application, CancellationToken ct)
    {
        try
        {
            await events.SaveAndPublishAsync([application], ct);
        }
        catch (DbUpdateException e) when (IsConcurrentChange(e))
        {
            db.ChangeTracker.Clear();
            throw new RuleViolation(ApplicationErrors.Conflict, "The application was changed at the same time; reload it and try again.");
        }
    }

    /// <summary>
    /// The loser of a race on one application: its version check failed, or (PostgreSQL runs the batch's history INSERT
    /// before the versioned UPDATE) its new history step collided with the winner's on the unique (application, sequence)
    /// index. Both mean "changed at the same time" (CONCURRENT_CHANGE), never an internal error.
    /// </summary>
    internal static bool IsConcurrentChange(DbUpdateException e) => e is DbUpdateConcurrencyException
        || e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "IX_application_history_application_id_sequence" }
        || (e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 } sqlite
            && sqlite.Message.Contains("application_history", StringComparison.Ordinal));
}

internal sealed class SwitchApplicationHandler(
    RegistryDbContext db, ISender sender, IOfferDesk offers, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<SwitchApplication, Application>
{
    public async ValueTask<Application> Handle(SwitchApplication command, CancellationToken ct)
    {
        var application = await db.LoadAsync(user, command.ApplicationId, parent: true, ct);
        var now = await CampaignNow.LoadAsync(sender, ct);
        if (!now.Allowed.SubmissionAllowed)
        {
            throw new RuleViolation(ApplicationErrors.StageClosed, $"Choices cannot be changed now (stage {now.Stage.Stage}).");
        }

        var choices = await ChoiceRules.CheckAsync(sender, now, command.Choices, application.ResidentSchools, ct);
        await new CancellationBudget(db).SpendAsync(application, now, ct);
        var held = application.Status is ApplicationStatus.Offered or ApplicationStatus.Confirmed;
        application.ClearOffer();

        var at = clock.UtcNow;
        application.ReplaceChoices(choices);
        application.SubmittedAt = at;
        application.SubmittedInStage = now.Stage.Stage.ToString();
        var next = application.Status is ApplicationStatus.CommissionReview or ApplicationStatus.NeedsCorrection
            ? application.Status
            : ApplicationStatus.Submitted;
        application.MoveTo(next, user.Actor(), at, "SWITCHED: " + string.Join(", ", choices.Select(c => $"{c.SchoolCode}/{c.Language}")));
        await CancelApplicationHandler.SaveAsync(db, events, application, ct);
        await CancelApplicationHandler.ReleaseAfterCommitAsync(offers, application.Id, held, "Switched by the parent", ct);
        return application;
    }
}

internal sealed class ConfirmApplicationOfferHandler(RegistryDbContext db, IOfferDesk offers, ICurrentUser user, IClock clock, ApplicationEvents events)
    : ICommandHandler<ConfirmApplicationOffer, Application>
{
    public async ValueTask<Application> Handle(ConfirmApplicationOffer command, CancellationToken ct)
    {
        var application = await db.LoadAsync(user, command.ApplicationId, parent: true, ct);
        application.Require(ApplicationStatus.Offered);
        var offer = await offers.ConfirmAsync(application.Id, ct);
        application.OfferSchoolCode = offer.SchoolCode;
        application.OfferLanguage = offer.Language;
        application.OfferGrade = offer.Grade;
        application.OfferConfirmBy = offer.ConfirmBy.ToUniversalTime();
        application.MoveTo(ApplicationStatus.Confirmed, user.Actor(), clock.UtcNow, $"OFFER_CONFIRMED: {offer.SchoolCode}/{offer.Language}");
        await CancelApplicationHandler.SaveAsync(db, events, application, ct);
        return application;
    }
}

internal sealed class GetMyApplicationsHandler(RegistryDbContext db, ICurrentUser user) : IQueryHandler<GetMyApplications, IReadOnlyList<Application>>
{
    public async ValueTask<IReadOnlyList<Application>> Handle(GetMyApplications query, CancellationToken ct)
    {
        var pin = user.RequireParentPin();
        return await db.Applications.AsNoTracking().Include(a => a.Choices).Include(a => a.History).AsSplitQuery()
            .Where(a => a.ApplicantPin == pin).OrderByDescending(a => a.CreatedAt).ToListAsync(ct);
    }
}

internal sealed class GetApplicationHandler(RegistryDbContext db, ICurrentUser user, Enrollment.BuildingBlocks.Audit.PersonalDataReads reads)
    : IQueryHandler<GetApplication, Application?>
{
    public async ValueTask<Application?> Handle(GetApplication query, CancellationToken ct)
    {
        var application = await db.Applications.AsNoTracking().Include(a => a.Choices).Include(a => a.History).AsSplitQuery()
            .Visible(user).FirstOrDefaultAsync(a => a.Id == query.ApplicationId, ct);
        reads.Record("registry", nameof(Application), application is null ? [] : [application.Id.ToString()], "application with history");
        return application;
    }
}

internal sealed class GetCancellationInfoHandler(RegistryDbContext db, ISender sender) : IQueryHandler<GetCancellationInfo, CancellationInfoDto>
{
    public async ValueTask<CancellationInfoDto> Handle(GetCancellationInfo query, CancellationToken ct)
    {
        return await new CancellationBudget(db).InfoAsync(query.CampaignId, query.ChildPin, await CampaignNow.TryLoadAsync(sender, ct), ct);
    }
}

using Mediator;

namespace Enrollment.Registry.Contracts;

public static class RegistryContracts
{
    public const string Module = "registry";

    /// <summary>Error code when the population registry cannot answer now (timeout, outage); the parent's draft is kept.</summary>
    public const string RegistryUnavailableCode = "REGISTRY_UNAVAILABLE";

    /// <summary>The PIN is well formed but the population registry has no such person.</summary>
    public const string NotInPopulationRegistryCode = "NOT_IN_POPULATION_REGISTRY";

    /// <summary>The person is not an adult (18 years or older today).</summary>
    public const string NotAnAdultCode = "NOT_AN_ADULT";

    /// <summary>The person has no child linked to them in the population registry.</summary>
    public const string NoLinkedChildrenCode = "NO_LINKED_CHILDREN";
}

public sealed record PersonRecord(
    string Pin, string LastName, string FirstName, string? Patronymic, char Sex, DateOnly BirthDate,
    string? BirthCertificateNumber, string? PassportNumber, string? Phone, string? Email);

public sealed record RegisteredAddressRecord(string Pin, string SettlementCode, string Street, string House, string? Apartment, double? Latitude, double? Longitude);

public sealed record ParentLinkRecord(string ParentPin, string ChildPin, string Relation);

public sealed record PriorityDocumentRecord(string ChildPin, string Category, string DocumentNumber);

/// <summary>A child linked to a parent or legal representative in the population registry.</summary>
public sealed record LinkedChildDto(string Pin, string LastName, string FirstName, string? Patronymic, char Sex, DateOnly BirthDate, string Relation);

/// <summary>Children linked to the applicant in the population registry.</summary>
public sealed record GetLinkedChildren(string ParentPin) : IQuery<IReadOnlyList<LinkedChildDto>>;

public sealed record PopulationCountsDto(int Persons, int Children, int ParentLinks, int Addresses);

public sealed record GetPopulationCounts : IQuery<PopulationCountsDto>;

/// <summary>Loads the demo population registry (embedded default of the Tunduk port) into an empty store.</summary>
public sealed record SeedPopulation(
    IReadOnlyList<PersonRecord> Persons, IReadOnlyList<RegisteredAddressRecord> Addresses,
    IReadOnlyList<ParentLinkRecord> Links, IReadOnlyList<PriorityDocumentRecord> PriorityDocuments) : ICommand<int>;

/// <summary>The applicant as the population registry knows them; <see cref="Pin"/> is the normalized 14 digits.</summary>
public sealed record VerifiedApplicantDto(string Pin, string LastName, string FirstName, string? Patronymic, int LinkedChildren);

/// <summary>
/// May this PIN sign up as a parent? The PIN is well formed (PIN_* codes), the person is in the population registry
/// (NOT_IN_POPULATION_REGISTRY) with the birth date the PIN encodes (PIN_BIRTH_DATE_MISMATCH), is an adult
/// (NOT_AN_ADULT) and has at least one linked child (NO_LINKED_CHILDREN); REGISTRY_UNAVAILABLE when it cannot answer.
/// </summary>
public sealed record VerifyApplicant(string Pin) : IQuery<VerifiedApplicantDto>;

// ───────────────────────────── Applications (issue #5) ─────────────────────────────
// The contracts other modules use. Registry owns applications and their status; Allocation owns offers and runs.

/// <summary>Status of an application (domain.md "Statuses").</summary>
public enum ApplicationStatus
{
    Draft,
    Submitted,
    NeedsCorrection,
    CommissionReview,
    Waitlisted,
    Offered,
    Confirmed,
    Enrolled,
    Rejected,
    Cancelled,
    Expired,
    Withdrawn,
}

/// <summary>A program as the Registry names it in choices: school × language × grade.</summary>
public sealed record ProgramKeyDto(string SchoolCode, string Language, int Grade);

/// <summary>
/// One ranked choice as Allocation sees it. <paramref name="PriorityClass"/> is computed by Registry from the campaign's
/// rule: 0 a verified priority category, 1 the applicant's registered address was in this school's micro-district when
/// the application was submitted, 2 everyone else.
/// </summary>
public sealed record AllocationChoiceDto(int Rank, string SchoolCode, string Language, int Grade, int PriorityClass);

/// <summary>
/// An application that takes part in allocation: status Submitted, Waitlisted, Offered or Confirmed (with choices), or
/// Enrolled (then <paramref name="EnrolledProgram"/> is set — seats taken for good). <paramref name="SubmittedAt"/> is the
/// last submission instant (UTC) used for the SubmissionTime tie-break (Allocation applies the equal-footing window).
/// </summary>
public sealed record AllocationApplicationDto(
    Guid ApplicationId, ApplicationStatus Status, DateTimeOffset SubmittedAt, IReadOnlyList<AllocationChoiceDto> Choices,
    ProgramKeyDto? EnrolledProgram);

/// <summary>Snapshot of every application of the campaign that takes part in allocation, ordered by application id.</summary>
public sealed record GetAllocationInputs(Guid CampaignId) : IQuery<IReadOnlyList<AllocationApplicationDto>>;

public sealed record EnrolledCountDto(string SchoolCode, string Language, int Grade, int Enrolled);

/// <summary>Enrolled children per program of a campaign (counts only; seats that are final).</summary>
public sealed record GetEnrolledCounts(Guid CampaignId, IReadOnlyList<string>? SchoolCodes = null) : IQuery<IReadOnlyList<EnrolledCountDto>>;

/// <summary>
/// Who an application belongs to, for other modules' access checks (e.g. Allocation's <c>explanation</c>): the
/// applicant's PIN and the schools/districts of its choices (and of its enrolled program). Null when unknown.
/// </summary>
public sealed record ApplicationScopeDto(Guid ApplicationId, Guid CampaignId, string ApplicantPin, IReadOnlyList<string> SchoolCodes, IReadOnlyList<string> DistrictCodes);

public sealed record GetApplicationScope(Guid ApplicationId) : IQuery<ApplicationScopeDto?>;

/// <summary>The scopes of many applications in one read (the notifications delivery batch); unknown ids are left out, order is not defined.</summary>
public sealed record GetApplicationScopes(IReadOnlyList<Guid> ApplicationIds) : IQuery<IReadOnlyList<ApplicationScopeDto>>;

/// <summary>
/// A pseudonymous fact about one application, for Reporting (no names, no PINs, no contacts, no address):
/// <paramref name="ChildKey"/> is a stable keyed hash of the child's PIN.
/// </summary>
public sealed record ApplicationFactDto(
    Guid ApplicationId, Guid CampaignId, string ChildKey, int ChildBirthYear, char ChildSex, ApplicationStatus Status,
    string? SubmittedInStage, DateTimeOffset? SubmittedAt, IReadOnlyList<ProgramKeyDto> Choices, string? PriorityCategory,
    bool PriorityVerified, ProgramKeyDto? EnrolledProgram, DateTimeOffset UpdatedAt);

/// <summary>Every application of a campaign as facts (Reporting's rebuild), ordered by application id.</summary>
public sealed record GetApplicationFacts(Guid CampaignId) : IQuery<IReadOnlyList<ApplicationFactDto>>;

/// <summary>
/// Published after every status change of an application has been committed (one per transition, in order).
/// <paramref name="HistoryId"/> identifies the immutable history entry, so consumers can ignore a replay;
/// <paramref name="Sequence"/> is its position in the application's history (1, 2, 3…), which orders two changes that
/// share an instant.
/// </summary>
public sealed record ApplicationStatusChanged(
    Guid HistoryId, ApplicationFactDto Application, ApplicationStatus? From, ApplicationStatus To, DateTimeOffset At, string Actor, string? Reason,
    int Sequence = 0)
    : INotification;

/// <summary>
/// Published instead of one <see cref="ApplicationStatusChanged"/> per change when many changes were committed together:
/// the submit queue (ADR 0900) publishes one per committed batch of submits, after the commit and before any caller is
/// acknowledged. Every change in it has the meaning of the single event (same ordering rule, same replay key); a
/// consumer handles the whole list at once (one transaction), so the opening morning does not pay one listener
/// transaction per submit (ADR 0901). Changes are in commit order.
/// </summary>
public sealed record ApplicationStatusesChanged(IReadOnlyList<ApplicationStatusChanged> Changes) : INotification;

/// <summary>
/// The one ordering rule for <see cref="ApplicationStatusChanged"/> events of one application, for every consumer that
/// keeps "the latest status": a later instant wins; at the same instant the higher history <c>Sequence</c> wins; at the
/// same sequence (a replay) the history id decides, so a replay never counts as newer than itself.
/// </summary>
public static class StatusChangeOrder
{
    /// <summary>
    /// Whether the change (<paramref name="at"/>, <paramref name="sequence"/>, <paramref name="historyId"/>) is newer than the stored one.
    /// A stored state without a history id (rebuilt from facts at that instant) is overtaken by any event at the same instant.
    /// </summary>
    public static bool IsNewer(DateTimeOffset at, int sequence, Guid? historyId, DateTimeOffset storedAt, int storedSequence, Guid? storedHistoryId)
    {
        var c = at.UtcTicks.CompareTo(storedAt.UtcTicks);
        if (c != 0)
        {
            return c > 0;
        }

        if (historyId is not { } h)
        {
            return false;
        }

        if (storedHistoryId is not { } s)
        {
            return true;
        }

        return sequence != storedSequence ? sequence > storedSequence : h.CompareTo(s) > 0;
    }

    /// <summary>Orders events oldest first by the same rule (for consumers that receive a batch).</summary>
    public static int Compare(ApplicationStatusChanged x, ApplicationStatusChanged y)
    {
        var c = x.At.UtcTicks.CompareTo(y.At.UtcTicks);
        if (c != 0)
        {
            return c;
        }

        c = x.Sequence.CompareTo(y.Sequence);
        return c != 0 ? c : x.HistoryId.CompareTo(y.HistoryId);
    }
}

/// <summary>Contact details and language for notifying an application's applicant (for the notifications outbox only).</summary>
public sealed record NotificationRecipientDto(
    Guid ApplicationId, string Language, string? Email, string? SecondaryEmail, string? Phone, string ChildFirstName, string ApplicantName);

public sealed record GetNotificationRecipient(Guid ApplicationId) : IQuery<NotificationRecipientDto?>;

/// <summary>The recipients of many applications in one read (the notifications delivery batch); unknown ids are left out, order is not defined.</summary>
public sealed record GetNotificationRecipients(IReadOnlyList<Guid> ApplicationIds) : IQuery<IReadOnlyList<NotificationRecipientDto>>;

/// <summary>Eligible children (born in the range) per micro-district school of a registered address of theirs — for the Quotas roll-ups.</summary>
public sealed record EligibleChildrenDto(string SchoolCode, int Children);

/// <summary>
/// Counts the children of the population registry born in [<paramref name="BirthFrom"/>, <paramref name="BirthTo"/>] by the
/// micro-district school(s) of their registered address (resolved through Schools). A child whose address two schools claim
/// counts for both; unresolved addresses count under the school code "".
/// </summary>
public sealed record GetEligibleChildrenBySchool(DateOnly BirthFrom, DateOnly BirthTo) : IQuery<IReadOnlyList<EligibleChildrenDto>>;

/// <summary>
/// A child enrolled at a school, with what the school's e-journal (Kundoluk) needs to form classes. Names, birth date and
/// sex come from the population registry; <paramref name="EnrolledAt"/> is the instant of the enrollment order's entry.
/// </summary>
public sealed record JournalChildDto(
    Guid ApplicationId, string LastName, string FirstName, string? Patronymic, DateOnly BirthDate, char Sex, string Language, int Grade,
    string? PriorityCategory, DateTimeOffset EnrolledAt);

/// <summary>Children enrolled at a school in a campaign (status Enrolled), for the Kundoluk export; ordered by last and first name.</summary>
public sealed record GetEnrolledChildrenForJournal(Guid CampaignId, string SchoolCode) : IQuery<IReadOnlyList<JournalChildDto>>;

// ───────────────────────────── Appeals (ADR 0303) ─────────────────────────────

/// <summary>
/// What a parent may appeal on an application now, as Registry knows it. <paramref name="RejectedAt"/>: the instant of
/// the rejection when the application is Rejected; <paramref name="PriorityRejectedAt"/>: when its priority claim was
/// rejected, while it is still rejected; <paramref name="NonResidentChoiceSchoolCodes"/>: schools among the choices of a
/// submitted, still active and not yet enrolled application that its micro-district resolution did not make resident
/// (priority class 2 there), resolved at <paramref name="SubmittedAt"/>.
/// </summary>
public sealed record AppealGroundsDto(
    Guid ApplicationId, ApplicationStatus Status, DateTimeOffset? RejectedAt, string? RejectionReason, DateTimeOffset? PriorityRejectedAt,
    DateTimeOffset? SubmittedAt, IReadOnlyList<string> NonResidentChoiceSchoolCodes);

/// <summary>The appeal grounds of one application; null when it does not exist.</summary>
public sealed record GetAppealGrounds(Guid ApplicationId) : IQuery<AppealGroundsDto?>;

/// <summary>What an upheld appeal changes in the application.</summary>
public enum AppealRemedy
{
    /// <summary>A Rejected application returns to Submitted (keeping its submission time) and takes part in the next allocation run.</summary>
    ReturnRejected,

    /// <summary>A rejected priority claim becomes verified (priority class 0).</summary>
    VerifyPriority,

    /// <summary>The named school is recorded as resident for the application (priority class 1 there in the next run).</summary>
    ResidentOverride,
}

/// <summary>
/// Applies an upheld appeal (Appeals sends it before saving the answer). The history entry's actor is
/// <paramref name="Officer"/> and its reason names <paramref name="AppealId"/>; a second delivery of the same appeal id
/// changes nothing. Refused with WRONG_STATUS / APPEAL_REMEDY_NOT_APPLICABLE / APPLICATION_EXISTS when the application
/// no longer fits. <paramref name="SchoolCode"/> is required for <see cref="AppealRemedy.ResidentOverride"/>.
/// </summary>
public sealed record ApplyAppealRemedy(Guid ApplicationId, Guid AppealId, AppealRemedy Remedy, string Officer, string? SchoolCode)
    : ICommand<ApplicationStatus>;

/// <summary>
/// Published by Registry's retention job (docs/security.md "Data retention") after it has committed the anonymization of
/// <paramref name="ApplicationIds"/> (non-enrolled applications of the closed campaign <paramref name="CampaignId"/>):
/// every module that keeps a copy of their personal data erases it. Handlers must be idempotent — the job publishes
/// again, on its next run, every anonymized application whose erasure was not confirmed (a publish that threw), and a
/// handler may see the same ids twice. <paramref name="RetentionRunId"/> names the job run (for the audit trail).
/// Reporting does not handle it: counts stay.
/// </summary>
public sealed record ApplicationsAnonymized(Guid CampaignId, IReadOnlyList<Guid> ApplicationIds, Guid RetentionRunId) : INotification;

using Enrollment.BuildingBlocks.Errors;
using Enrollment.Registry.Contracts;

namespace Enrollment.Registry.Domain;

/// <summary>State of a priority claim: a claim counts (priority class 0) only once a school administrator verified it.</summary>
internal enum PriorityClaimStatus
{
    None,
    Claimed,
    Verified,
    Rejected,
}

/// <summary>
/// One child's request for a first-grade place in one campaign (domain.md "Application"). Every status change goes
/// through <see cref="MoveTo"/>, which appends an immutable <see cref="ApplicationHistoryEntry"/>.
/// <see cref="ActiveKey"/> is the child's PIN while the application is active and null once it ended, so the unique
/// index on (campaign, active key) allows exactly one active application per child per campaign on both providers.
/// </summary>
internal sealed class Application
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public required string ChildPin { get; init; }
    public required string ApplicantPin { get; init; }
    public required string Relation { get; set; }
    public ApplicationStatus Status { get; private set; }
    public string? ActiveKey { get; private set; }
    public string? IdempotencyKey { get; set; }

    public required string ChildLastName { get; set; }
    public required string ChildFirstName { get; set; }
    public char ChildSex { get; set; }
    public DateOnly ChildBirthDate { get; set; }
    public required string ApplicantName { get; set; }

    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? SecondaryEmail { get; set; }
    public string Language { get; set; } = "ky";
    public bool Consent { get; set; }

    public string? PriorityCategory { get; set; }
    public PriorityClaimStatus PriorityStatus { get; set; }
    public string? PriorityNote { get; set; }

    /// <summary>
    /// Participating schools whose micro-district held a registered address of the child's parents/legal representatives
    /// (the applicant's or the other linked parent's) at submission (comma-separated; ADR 0304).
    /// </summary>
    public string ResidentSchoolCodes { get; set; } = "";

    /// <summary>Schools a district officer's upheld micro-district appeal added as resident (comma-separated; ADR 0303).</summary>
    public string ResidentOverrideSchoolCodes { get; set; } = "";

    /// <summary>A late arrival enrolled by the school without an online application: the parent's written application (ADR 0304).</summary>
    public string? WrittenApplicationNumber { get; set; }
    public DateOnly? WrittenApplicationDate { get; set; }

    /// <summary>Why the Commission for Child Affairs must decide first (OVER_AGE, NO_BIRTH_CERTIFICATE, NO_PASSPORT), comma-separated; null when not needed.</summary>
    public string? CommissionGrounds { get; set; }
    public string? CommissionNumber { get; set; }
    public DateOnly? CommissionDate { get; set; }
    public string? CommissionBody { get; set; }
    public bool? CommissionApproved { get; set; }

    public string? SubmittedInStage { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }

    public string? Mismatches { get; set; }
    public DateTimeOffset? CorrectionDueAt { get; set; }

    public string? OfferSchoolCode { get; set; }
    public string? OfferLanguage { get; set; }
    public int? OfferGrade { get; set; }
    public DateTimeOffset? OfferConfirmBy { get; set; }

    public string? EnrolledSchoolCode { get; set; }
    public string? EnrolledLanguage { get; set; }
    public int? EnrolledGrade { get; set; }
    public string? EnrollmentOrderNumber { get; set; }
    public DateOnly? EnrollmentOrderDate { get; set; }

    public string? RejectionReason { get; set; }

    /// <summary>Proof of the priority claim (a <see cref="ProofFile"/> of the applicant), when uploaded.</summary>
    public Guid? PriorityProofId { get; set; }

    /// <summary>Proof that the applicant is the child's legal representative (required for that relation at submission).</summary>
    public Guid? RepresentativeProofId { get; set; }

    /// <summary>When the retention job replaced this application's personal data (null: not anonymized).</summary>
    public DateTimeOffset? AnonymizedAt { get; set; }

    /// <summary>
    /// When every module confirmed erasing its copies of this application's personal data (the retention job's
    /// <c>ApplicationsAnonymized</c> publish succeeded); null while anonymized but not yet confirmed — the next run publishes again.
    /// </summary>
    public DateTimeOffset? ErasureConfirmedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token: two requests changing the same application cannot both win.</summary>
    public int Version { get; set; }

    public List<ApplicationChoice> Choices { get; init; } = [];
    public List<ApplicationHistoryEntry> History { get; init; } = [];

    /// <summary>History entries added on this instance (not yet published).</summary>
    public List<ApplicationHistoryEntry> NewHistory { get; } = [];

    public static readonly IReadOnlySet<ApplicationStatus> Ended =
        new HashSet<ApplicationStatus> { ApplicationStatus.Rejected, ApplicationStatus.Cancelled, ApplicationStatus.Expired, ApplicationStatus.Withdrawn };

    public bool IsActive => !Ended.Contains(Status);

    /// <summary>Resident schools: those resolved at submission plus those an upheld micro-district appeal added.</summary>
    public IReadOnlyList<string> ResidentSchools =>
        [.. ResidentSchoolCodes.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ResidentOverrideSchoolCodes.Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> ResidentOverrides => ResidentOverrideSchoolCodes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static Application NewDraft(Guid campaignId, string childPin, string applicantPin, string relation, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        CampaignId = campaignId,
        ChildPin = childPin,
        ApplicantPin = applicantPin,
        Relation = relation,
        Status = ApplicationStatus.Draft,
        ActiveKey = childPin,
        ChildLastName = "",
        ChildFirstName = "",
        ApplicantName = "",
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Records a transition (actor, time, from, to, reason). The history is append-only.</summary>
    public ApplicationHistoryEntry MoveTo(ApplicationStatus to, string actor, DateTimeOffset at, string? reason, bool initial = false)
    {
        var entry = new ApplicationHistoryEntry
        {
            Id = Guid.CreateVersion7(at),
            ApplicationId = Id,
            Sequence = History.Count + 1,
            At = at,
            Actor = actor,
            From = initial ? null : Status,
            To = to,
            Reason = reason,
        };
        Status = to;
        ActiveKey = Ended.Contains(to) ? null : ChildPin;
        UpdatedAt = at;
        History.Add(entry);
        NewHistory.Add(entry);
        return entry;
    }

    /// <summary>A note in the history that does not change the status (e.g. a priority claim verified).</summary>
    public void Note(string actor, DateTimeOffset at, string reason)
    {
        var entry = new ApplicationHistoryEntry
        {
            Id = Guid.CreateVersion7(at), ApplicationId = Id, Sequence = History.Count + 1, At = at, Actor = actor, From = Status, To = Status, Reason = reason,
        };
        UpdatedAt = at;
        History.Add(entry);
    }

    public void Require(params ApplicationStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new RuleViolation(ApplicationErrors.WrongStatus,
                $"This cannot be done while the application is {Status} (allowed: {string.Join(", ", allowed)}).");
        }
    }

    /// <summary>Replaces the ranked choices in place (rows keep their rank as key: updated, added or removed).</summary>
    public void ReplaceChoices(IReadOnlyList<ApplicationChoice> choices)
    {
        Choices.RemoveAll(c => c.Rank > choices.Count);
        for (var i = 0; i < choices.Count; i++)
        {
            var c = choices[i];
            var row = Choices.FirstOrDefault(x => x.Rank == i + 1);
            if (row is null)
            {
                Choices.Add(new ApplicationChoice
                {
                    ApplicationId = Id, Rank = i + 1, SchoolCode = c.SchoolCode, DistrictCode = c.DistrictCode, Language = c.Language, Grade = c.Grade,
                });
            }
            else
            {
                row.SchoolCode = c.SchoolCode;
                row.DistrictCode = c.DistrictCode;
                row.Language = c.Language;
                row.Grade = c.Grade;
            }
        }
    }

    /// <summary>Priority class at one school: 0 verified priority, 1 resident of its micro-district at submission, 2 others.</summary>
    public int PriorityClassAt(string schoolCode) =>
        PriorityStatus == PriorityClaimStatus.Verified ? 0 : ResidentSchools.Contains(schoolCode, StringComparer.Ordinal) ? 1 : 2;

    public void ClearOffer()
    {
        OfferSchoolCode = null;
        OfferLanguage = null;
        OfferGrade = null;
        OfferConfirmBy = null;
    }
}

/// <summary>One ranked choice: a program (school × language × grade) and the district of its school.</summary>
internal sealed class ApplicationChoice
{
    public Guid ApplicationId { get; init; }
    public int Rank { get; init; }
    public required string SchoolCode { get; set; }
    public required string DistrictCode { get; set; }
    public required string Language { get; set; }
    public int Grade { get; set; } = 1;
}

/// <summary>An immutable status change: who, when, from, to, why.</summary>
internal sealed class ApplicationHistoryEntry
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }

    /// <summary>1, 2, 3… per application: the order of the history (instants may tie).</summary>
    public int Sequence { get; init; }

    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public ApplicationStatus? From { get; init; }
    public ApplicationStatus To { get; init; }
    public string? Reason { get; init; }
}

/// <summary>Cancellations and switches used by one child in one campaign, and extra ones granted by the ministry.</summary>
internal sealed class CancellationAllowance
{
    public Guid CampaignId { get; init; }
    public required string ChildPin { get; init; }
    public int Used { get; set; }
    public int Granted { get; set; }
    public int Version { get; set; }
}

/// <summary>A ministry grant of one more cancellation, with its reason.</summary>
internal sealed class CancellationGrant
{
    public Guid Id { get; init; }
    public Guid CampaignId { get; init; }
    public required string ChildPin { get; init; }
    public required string GrantedBy { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Reason { get; init; }
}

/// <summary>An <c>OffersChanged</c> batch already applied (its id is the run or expiry batch id).</summary>
internal sealed class ProcessedOfferBatch
{
    public Guid BatchId { get; init; }
    public DateTimeOffset ProcessedAt { get; init; }
}

/// <summary>Error codes of the application lifecycle (GraphQL <c>extensions.code</c>).</summary>
internal static class ApplicationErrors
{
    public const string StageClosed = "STAGE_CLOSED";
    public const string DraftsClosed = "DRAFTS_NOT_OPEN";
    public const string ConsentRequired = "CONSENT_REQUIRED";
    public const string ChildNotLinked = "CHILD_NOT_LINKED";
    public const string ApplicationExists = "APPLICATION_EXISTS";
    public const string TooManyChoices = "TOO_MANY_CHOICES";
    public const string NoChoices = "NO_CHOICES";
    public const string DuplicateChoice = "DUPLICATE_CHOICE";
    public const string ProgramNotAvailable = "PROGRAM_NOT_AVAILABLE";
    public const string SchoolOutsideMicrodistrict = "SCHOOL_OUTSIDE_MICRODISTRICT";
    public const string UnknownPriorityCategory = "UNKNOWN_PRIORITY_CATEGORY";
    public const string ChildTooYoung = "CHILD_TOO_YOUNG";
    public const string NoCampaign = "NO_CAMPAIGN";
    public const string WrongStatus = "WRONG_STATUS";
    public const string CancellationLimitReached = "CANCELLATION_LIMIT_REACHED";
    public const string CancellationDisabled = "CANCELLATION_DISABLED";
    public const string WithdrawalOnlyBySchool = "WITHDRAWAL_ONLY_BY_SCHOOL";
    public const string CorrectionOverdue = "CORRECTION_OVERDUE";
    public const string NoPriorityClaim = "NO_PRIORITY_CLAIM";
    public const string NotEnrollable = "NOT_ENROLLABLE";
    public const string UnknownRejectionReason = "UNKNOWN_REJECTION_REASON";
    public const string Conflict = "CONCURRENT_CHANGE";
    public const string LateEnrollmentNotOpen = "LATE_ENROLLMENT_NOT_OPEN";
    public const string NoFreeSeats = "NO_FREE_SEATS";
    public const string NoApplicantInRegistry = "NO_APPLICANT_IN_REGISTRY";
    public const string AppealRemedyNotApplicable = "APPEAL_REMEDY_NOT_APPLICABLE";
}

/// <summary>Closed lists of the lifecycle (configurable lists would live in the campaign; these are the regulation's).</summary>
internal static class ApplicationLists
{
    /// <summary>Priority categories (льготы) a parent may claim.</summary>
    public static readonly IReadOnlyList<string> PriorityCategories = ["MilitaryFamily", "Kairylman", "DifficultLifeSituation", "Disability"];

    /// <summary>Reasons a school may reject an application for.</summary>
    public static readonly IReadOnlyList<string> RejectionReasons =
        ["NOT_ELIGIBLE_AGE", "DOCUMENTS_NOT_CONFIRMED", "DATA_MISMATCH_NOT_CORRECTED", "DUPLICATE_APPLICATION", "COMMISSION_REFUSED", "NOT_RESIDENT_IN_MICRODISTRICT"];

    public static readonly IReadOnlyList<string> Relations = ["Mother", "Father", "LegalRepresentative"];

    public static readonly IReadOnlyList<string> Languages = ["ky", "ru"];
}

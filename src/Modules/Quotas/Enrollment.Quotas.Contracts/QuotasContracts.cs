using Mediator;

namespace Enrollment.Quotas.Contracts;

public static class QuotasContracts
{
    public const string Module = "quotas";
}

/// <summary>Stages of a campaign, in calendar order.</summary>
public enum Stage
{
    NotStarted,
    QuotaEntry,
    BetweenQuotaEntryAndStageOne,
    StageOne,
    StageTwo,
    LateEnrollment,
    Closed,
}

/// <summary>All instants UTC; shown to people in Asia/Bishkek.</summary>
public sealed record CampaignCalendarDto(
    DateTimeOffset QuotaEntryOpensAt, DateTimeOffset QuotaEntryClosesAt, DateTimeOffset StageOneOpensAt,
    DateTimeOffset StageTwoOpensAt, DateTimeOffset MainClosesAt, DateTimeOffset LateEnrollmentEndsAt);

public sealed record CampaignDto(
    Guid Id, string Name, int StartYear, CampaignCalendarDto Calendar, int MaxChoices, string TieBreak, string? LotterySeed,
    int EqualFootingHours, int OfferConfirmDays, int CancellationLimit, int CorrectionDays, int AppealDays, int ClassSizeLimit,
    DateOnly EligibleBirthFrom, DateOnly EligibleBirthTo, int AgeLimitYears);

public sealed record StageInfoDto(Guid CampaignId, string CampaignName, Stage Stage, DateTimeOffset? NextChangeAt, Stage? NextStage);

/// <summary>The campaign whose calendar covers now (or the latest one), with its settings; null when none exists.</summary>
public sealed record GetCurrentCampaign : IQuery<CampaignDto?>;

/// <summary>Campaigns whose late enrollment (the Closed date) ended at or before <paramref name="ClosedBy"/> (for data retention).</summary>
public sealed record GetClosedCampaigns(DateTimeOffset ClosedBy) : IQuery<IReadOnlyList<CampaignDto>>;

/// <summary>The current stage derived from the calendar and the clock.</summary>
public sealed record GetCurrentStage : IQuery<StageInfoDto?>;

/// <summary>Creates the default campaign for the school year starting in <paramref name="StartYear"/> (e.g. 2026 → 2026/27).</summary>
public sealed record SeedCampaign(int StartYear) : ICommand<Guid>;

/// <summary>
/// Published once per stage change of a campaign (by the <c>quotas:stage-watch</c> job, which remembers the last
/// published stage). <paramref name="ChangedAt"/> is the calendar instant of the change (UTC), not when it was noticed.
/// </summary>
public sealed record StageChanged(Guid CampaignId, string CampaignName, Stage? Previous, Stage Current, DateTimeOffset ChangedAt) : INotification;

/// <summary>Compares the current stage with the last published one and publishes <see cref="StageChanged"/> when they differ. Idempotent.</summary>
public sealed record CheckStage : ICommand<StageChanged?>;

/// <summary>Campaign settings as the ministry enters them; calendar instants are UTC (enter them as Asia/Bishkek wall-clock times and convert).</summary>
public sealed record CampaignSettingsInput(
    string Name, int StartYear, CampaignCalendarDto Calendar, int MaxChoices, string TieBreak, string? LotterySeed,
    int EqualFootingHours, int OfferConfirmDays, int CancellationLimit, int CorrectionDays, int AppealDays, int ClassSizeLimit,
    DateOnly EligibleBirthFrom, DateOnly EligibleBirthTo, int AgeLimitYears);

/// <summary>Ministry: creates a campaign. Refused with CALENDAR_OUT_OF_ORDER, CAMPAIGN_EXISTS or VALIDATION_FAILED.</summary>
public sealed record CreateCampaign(CampaignSettingsInput Settings) : ICommand<CampaignDto>;

/// <summary>
/// Ministry: changes a campaign's settings. Once Stage One has opened the settings are locked (CAMPAIGN_LOCKED) unless
/// <paramref name="OverrideReason"/> is given; every change is audited with who, when, old → new and the reason.
/// </summary>
public sealed record UpdateCampaign(Guid CampaignId, CampaignSettingsInput Settings, string? OverrideReason) : ICommand<CampaignDto>;

public sealed record CampaignChangeDto(DateTimeOffset At, string ChangedBy, string Changes, string? Reason, bool Override);

public sealed record GetCampaignHistory(Guid CampaignId) : IQuery<IReadOnlyList<CampaignChangeDto>>;

/// <summary>Workflow of one program's quota.</summary>
public enum QuotaStatus
{
    Draft,
    Submitted,
    Returned,
    Approved,
    ChangeRequested,
}

/// <summary>
/// One program's quota (school × language × grade 1) in a campaign: the proposal being worked on and the approved
/// numbers (what Allocation allocates). <paramref name="ClassSizeWarning"/>: proposed seats exceed classes × class size limit.
/// </summary>
public sealed record QuotaDto(
    Guid Id, Guid CampaignId, string SchoolCode, string DistrictCode, string RegionCode, string Language, int Grade,
    int Classes, int Seats, int ApprovedClasses, int ApprovedSeats, QuotaStatus Status, string? Comment, bool ClassSizeWarning,
    DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record QuotaChangeDto(
    Guid QuotaId, DateTimeOffset At, string ChangedBy, string Action, QuotaStatus? OldStatus, QuotaStatus NewStatus,
    int OldClasses, int OldSeats, int NewClasses, int NewSeats, string? Reason);

/// <summary>
/// School administrator: enters or edits one program's quota. In the quota entry window this edits the draft; after the
/// window (until the campaign closes) it files a change request that the district officer approves (a reason is required).
/// </summary>
public sealed record SaveQuota(string SchoolCode, string Language, int Classes, int Seats, string? Reason) : ICommand<QuotaDto>;

/// <summary>School administrator: submits every draft or returned quota of the school for approval.</summary>
public sealed record SubmitQuotas(string SchoolCode) : ICommand<IReadOnlyList<QuotaDto>>;

/// <summary>
/// District officer: approves submitted quotas and change requests of the district's schools (bulk). Quotas with a
/// class-size warning are refused (CLASS_SIZE_WARNING_NOT_ACKNOWLEDGED) unless <paramref name="AcknowledgeClassSizeWarning"/>. All or nothing.
/// </summary>
public sealed record ApproveQuotas(IReadOnlyList<Guid> QuotaIds, bool AcknowledgeClassSizeWarning) : ICommand<IReadOnlyList<QuotaDto>>;

/// <summary>District officer: returns a submitted quota (or refuses a change request) with a comment.</summary>
public sealed record ReturnQuota(Guid QuotaId, string Comment) : ICommand<QuotaDto>;

/// <summary>Ministry: during an announced extra-quota window, adds approved seats to a named school's program.</summary>
public sealed record AddExtraSeats(string SchoolCode, string Language, int Classes, int Seats, string Reason) : ICommand<QuotaDto>;

/// <summary>Quotas of the current campaign visible to the caller (school admins: their school; district officers: their district).</summary>
public sealed record GetQuotas(string? SchoolCode, string? DistrictCode, QuotaStatus? Status) : IQuery<IReadOnlyList<QuotaDto>>;

public sealed record GetQuotaHistory(Guid QuotaId) : IQuery<IReadOnlyList<QuotaChangeDto>>;

/// <summary>A program with approved seats: what Allocation allocates and open data counts.</summary>
public sealed record ProgramDto(Guid CampaignId, string SchoolCode, string DistrictCode, string RegionCode, string Language, int Grade, int Classes, int ApprovedSeats);

/// <summary>
/// Batch: programs with approved seats of a campaign (default: the current one), optionally only of the given schools.
/// Free seats = approved − enrolled − held offers are computed by Allocation from this, never copied.
/// </summary>
public sealed record GetPrograms(IReadOnlyList<string>? SchoolCodes = null, Guid? CampaignId = null, bool FromHostCopy = false) : IQuery<IReadOnlyList<ProgramDto>>;

public enum RollupLevel
{
    Region,
    District,
    Language,
}

/// <summary>
/// Seats of one group against the eligible children living there (docs/adr/0202). <paramref name="EligibleChildren"/>: children
/// born in the campaign's range whose registered address lies in the micro-district of one of the group's schools, each
/// school's children shared over its languages in proportion to its approved seats (equally while it has none); null when
/// the counts could not be read. <paramref name="Shortfall"/> = children − approved seats when positive, and
/// <paramref name="ClassesToOpen"/> the classes of the campaign's class size limit that would cover it: where Kyrgyz or
/// Russian (or other) classes must be opened.
/// </summary>
public sealed record QuotaRollupRowDto(
    string Key, string? Language, int Schools, int Classes, int ApprovedSeats, int PendingSeats, int? EligibleChildren,
    int Shortfall = 0, int ClassesToOpen = 0);

/// <summary>
/// Roll-up of the current campaign's quotas by region, district or language (split by language for regions and districts),
/// with the eligible children of each group. District officers see their district only.
/// </summary>
public sealed record GetQuotaRollup(RollupLevel Level, string? DistrictCode) : IQuery<IReadOnlyList<QuotaRollupRowDto>>;

/// <summary>
/// Published after a quota's approved numbers changed and were saved: a district approval (of a submission or a change
/// request) or ministry extra seats (<paramref name="Action"/> "Approve" or "AddExtraSeats"). One per quota, in order.
/// <paramref name="ChangeId"/> identifies the kept history entry, so a consumer (Reporting) can ignore a replay.
/// </summary>
public sealed record QuotaApproved(
    long ChangeId, Guid QuotaId, Guid CampaignId, string SchoolCode, string DistrictCode, string RegionCode, string Language, int Grade,
    int OldApprovedClasses, int OldApprovedSeats, int ApprovedClasses, int ApprovedSeats, string Action, string ChangedBy, DateTimeOffset At)
    : INotification;

/// <summary>
/// Seed: approved quotas of one campaign (demo data) — each school's first-grade seats split over its languages (the first,
/// usually Kyrgyz, weighs double) in classes of at most 30. Refused when the campaign already has quotas. Returns the programs created.
/// </summary>
public sealed record SeedQuotas(int StartYear, IReadOnlyList<SeedQuotaSchool> Schools) : ICommand<int>;

public sealed record SeedQuotaSchool(string SchoolCode, string DistrictCode, string RegionCode, IReadOnlyList<string> Languages, int Seats);

public enum SwitchKind
{
    CancellationDisabled,
    ExtraQuotaWindow,
}

/// <summary>A ministry switch with an announced period; <paramref name="SchoolCodes"/> names the schools of an extra-quota window.</summary>
public sealed record CampaignSwitchDto(Guid Id, SwitchKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<string> SchoolCodes,
    string? Note, DateTimeOffset AnnouncedAt, string AnnouncedBy);

/// <summary>Ministry: announces a switch for a future period (starts no earlier than now, ends after it starts).</summary>
public sealed record AnnounceSwitch(SwitchKind Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<string> SchoolCodes, string? Note)
    : ICommand<CampaignSwitchDto>;

/// <summary>What a parent (and everyone) may do now, derived from the stage and the switches, and what changes next.</summary>
public sealed record AllowedNowDto(
    bool DraftsAllowed, bool SubmissionAllowed, bool CancellationAllowed, bool QuotaEntryOpen, bool ExtraQuotaWindowOpen,
    IReadOnlyList<CampaignSwitchDto> Switches);

public sealed record GetAllowedNow : IQuery<AllowedNowDto?>;

/// <summary>Every switch of the current campaign (past, in force and announced), by start.</summary>
public sealed record GetSwitches : IQuery<IReadOnlyList<CampaignSwitchDto>>;

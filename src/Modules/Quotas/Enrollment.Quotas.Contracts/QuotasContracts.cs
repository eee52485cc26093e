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

/// <summary>The current stage derived from the calendar and the clock.</summary>
public sealed record GetCurrentStage : IQuery<StageInfoDto?>;

/// <summary>Creates the default campaign for the school year starting in <paramref name="StartYear"/> (e.g. 2026 → 2026/27).</summary>
public sealed record SeedCampaign(int StartYear) : ICommand<Guid>;

using Mediator;

namespace Enrollment.Allocation.Contracts;

public static class AllocationContracts
{
    public const string Module = "allocation";
}

/// <summary>When the campaign's allocation runs are due (Asia/Bishkek rules, UTC instants).</summary>
public sealed record AllocationScheduleDto(
    Guid CampaignId, string CampaignName, string TieBreak, int EqualFootingHours,
    DateTimeOffset StageOneFirstRunAt, DateTimeOffset StageTwoFirstRunAt, string NightlyRunLocalTime, int OfferConfirmDays);

public sealed record GetAllocationSchedule : IQuery<AllocationScheduleDto?>;

using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Features;

/// <summary>
/// The first run of each stage is due when its equal-footing window ends; then nightly at 02:00 Asia/Bishkek.
/// Reads the campaign through the Quotas Contracts.
/// </summary>
internal sealed class GetAllocationScheduleHandler(IMediator mediator) : IQueryHandler<GetAllocationSchedule, AllocationScheduleDto?>
{
    public const string NightlyLocalTime = "02:00";

    public async ValueTask<AllocationScheduleDto?> Handle(GetAllocationSchedule query, CancellationToken ct)
    {
        var campaign = await mediator.Send(new GetCurrentCampaign(), ct);
        if (campaign is null)
        {
            return null;
        }

        var window = TimeSpan.FromHours(campaign.EqualFootingHours);
        return new AllocationScheduleDto(campaign.Id, campaign.Name, campaign.TieBreak, campaign.EqualFootingHours,
            campaign.Calendar.StageOneOpensAt + window, campaign.Calendar.StageTwoOpensAt + window, NightlyLocalTime, campaign.OfferConfirmDays);
    }
}

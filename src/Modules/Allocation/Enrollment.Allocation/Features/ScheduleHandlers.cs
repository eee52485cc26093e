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

internal sealed record AllocationRunSummary(Guid Id, string Stage, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status,
    string TriggeredBy, bool DryRun, int Applications, int Offers);

/// <summary>Run history, newest first (module-internal).</summary>
internal sealed record GetAllocationRuns(int Take) : IQuery<IReadOnlyList<AllocationRunSummary>>;

internal sealed class GetAllocationRunsHandler(AllocationDbContext db) : IQueryHandler<GetAllocationRuns, IReadOnlyList<AllocationRunSummary>>
{
    public async ValueTask<IReadOnlyList<AllocationRunSummary>> Handle(GetAllocationRuns query, CancellationToken ct) =>
        await db.Runs.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(Math.Clamp(query.Take, 1, 200))
            .Select(r => new AllocationRunSummary(r.Id, r.Stage, r.StartedAt, r.FinishedAt, r.Status, r.TriggeredBy, r.DryRun, r.Applications, r.Offers))
            .ToListAsync(ct);
}

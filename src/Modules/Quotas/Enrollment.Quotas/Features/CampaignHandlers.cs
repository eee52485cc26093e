using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Quotas.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Features;

internal sealed class CurrentCampaign(QuotasDbContext db, IClock clock)
{
    /// <summary>The campaign whose calendar covers now; otherwise the next one to start; otherwise the latest.</summary>
    public async Task<Campaign?> FindAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.QuotaEntryOpensAt).ToListAsync(ct);
        return campaigns.FirstOrDefault(c => c.QuotaEntryOpensAt <= now && now < c.LateEnrollmentEndsAt)
            ?? campaigns.FirstOrDefault(c => c.QuotaEntryOpensAt > now)
            ?? campaigns.LastOrDefault();
    }
}

internal sealed class GetCurrentCampaignHandler(CurrentCampaign current) : IQueryHandler<GetCurrentCampaign, CampaignDto?>
{
    public async ValueTask<CampaignDto?> Handle(GetCurrentCampaign query, CancellationToken ct) =>
        (await current.FindAsync(ct))?.ToDto();
}

internal sealed class GetCurrentStageHandler(CurrentCampaign current, IClock clock) : IQueryHandler<GetCurrentStage, StageInfoDto?>
{
    public async ValueTask<StageInfoDto?> Handle(GetCurrentStage query, CancellationToken ct)
    {
        var campaign = await current.FindAsync(ct);
        if (campaign is null)
        {
            return null;
        }

        var (stage, nextAt, next) = campaign.StageAt(clock.UtcNow);
        return new StageInfoDto(campaign.Id, campaign.Name, stage, nextAt, next);
    }
}

internal sealed class SeedCampaignHandler(QuotasDbContext db) : ICommandHandler<SeedCampaign, Guid>
{
    public async ValueTask<Guid> Handle(SeedCampaign command, CancellationToken ct)
    {
        var id = new Guid(command.StartYear, 0, 0, [0x80, 0, 0, 0, 0, 0, 0, 1]);
        if (await db.Campaigns.AnyAsync(c => c.StartYear == command.StartYear, ct))
        {
            throw new RuleViolation("CAMPAIGN_EXISTS", $"A campaign for {command.StartYear} already exists.");
        }

        db.Campaigns.Add(Campaign.CreateDefault(id, command.StartYear));
        await db.SaveChangesAsync(ct);
        return id;
    }
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
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
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.QuotaEntryOpensAt).ToListAsync(ct);
        return Select(campaigns, clock.UtcNow);
    }

    /// <summary>Of campaigns ordered by their quota-entry opening: the one covering now, else the next, else the latest.</summary>
    public static Campaign? Select(IReadOnlyList<Campaign> campaigns, DateTimeOffset now) =>
        campaigns.FirstOrDefault(c => c.QuotaEntryOpensAt <= now && now < c.LateEnrollmentEndsAt)
        ?? campaigns.FirstOrDefault(c => c.QuotaEntryOpensAt > now)
        ?? (campaigns.Count > 0 ? campaigns[^1] : null);
}

internal sealed class GetCurrentCampaignHandler(QuotasDbContext db, CampaignCalendar calendar, IClock clock) : IQueryHandler<GetCurrentCampaign, CampaignDto?>
{
    public async ValueTask<CampaignDto?> Handle(GetCurrentCampaign query, CancellationToken ct) =>
        (await calendar.GetAsync(db, ct)).Current(clock.UtcNow)?.ToDto();
}

internal sealed class GetCurrentStageHandler(QuotasDbContext db, CampaignCalendar calendar, IClock clock) : IQueryHandler<GetCurrentStage, StageInfoDto?>
{
    public async ValueTask<StageInfoDto?> Handle(GetCurrentStage query, CancellationToken ct)
    {
        var campaign = (await calendar.GetAsync(db, ct)).Current(clock.UtcNow);
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

internal sealed class CreateCampaignHandler(QuotasDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<CreateCampaign, CampaignDto>
{
    public async ValueTask<CampaignDto> Handle(CreateCampaign command, CancellationToken ct)
    {
        user.RequireMinistry();
        var s = command.Settings;
        Campaign.Check(s);
        if (await db.Campaigns.AnyAsync(c => c.StartYear == s.StartYear || c.Name == s.Name.Trim(), ct))
        {
            throw new RuleViolation("CAMPAIGN_EXISTS", $"A campaign for {s.StartYear} or named {s.Name} already exists.");
        }

        var campaign = new Campaign { Id = Guid.NewGuid(), Name = s.Name };
        campaign.Apply(s);
        db.Campaigns.Add(campaign);
        db.CampaignChanges.Add(new CampaignChange
        {
            Id = Guid.NewGuid(), CampaignId = campaign.Id, At = clock.UtcNow, ChangedBy = user.Name(), Changes = "created",
        });
        await db.SaveChangesAsync(ct);
        return campaign.ToDto();
    }
}

internal sealed class UpdateCampaignHandler(QuotasDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<UpdateCampaign, CampaignDto>
{
    public async ValueTask<CampaignDto> Handle(UpdateCampaign command, CancellationToken ct)
    {
        user.RequireMinistry();
        var campaign = await db.Campaigns.FindAsync([command.CampaignId], ct)
            ?? throw new NotFound("Campaign", command.CampaignId.ToString());
        Campaign.Check(command.Settings);
        var reason = string.IsNullOrWhiteSpace(command.OverrideReason) ? null : command.OverrideReason.Trim();
        if (reason is { Length: > 1000 })
        {
            throw new ValidationFailed([new ValidationError("overrideReason", "TOO_LONG", "At most 1000 characters.")]);
        }

        var now = clock.UtcNow;
        var locked = campaign.IsLockedAt(now);
        if (locked && reason is null)
        {
            throw new RuleViolation("CAMPAIGN_LOCKED",
                "Stage One has opened: the campaign settings are locked. A ministry override with a reason is required.");
        }

        var name = command.Settings.Name.Trim();
        if (await db.Campaigns.AnyAsync(c => c.Id != campaign.Id && (c.StartYear == command.Settings.StartYear || c.Name == name), ct))
        {
            throw new RuleViolation("CAMPAIGN_EXISTS", $"Another campaign for {command.Settings.StartYear} or named {name} exists.");
        }

        var probe = new Campaign { Id = campaign.Id, Name = name };
        probe.Apply(command.Settings);
        var diff = campaign.Diff(probe.ToDto());
        if (diff.Length == 0)
        {
            return campaign.ToDto();
        }

        campaign.Apply(command.Settings);
        db.CampaignChanges.Add(new CampaignChange
        {
            Id = Guid.NewGuid(), CampaignId = campaign.Id, At = now, ChangedBy = user.Name(), Changes = diff, Reason = reason, Override = locked,
        });
        await db.SaveChangesAsync(ct);
        return campaign.ToDto();
    }
}

internal sealed class GetCampaignHistoryHandler(QuotasDbContext db) : IQueryHandler<GetCampaignHistory, IReadOnlyList<CampaignChangeDto>>
{
    public async ValueTask<IReadOnlyList<CampaignChangeDto>> Handle(GetCampaignHistory query, CancellationToken ct)
    {
        var rows = await db.CampaignChanges.AsNoTracking().Where(c => c.CampaignId == query.CampaignId).ToListAsync(ct);
        return [.. rows.OrderBy(c => c.At).Select(c => new CampaignChangeDto(c.At, c.ChangedBy, c.Changes, c.Reason, c.Override))];
    }
}

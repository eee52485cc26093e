using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Quotas.Domain;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Features;

/// <summary>
/// Publishes <see cref="StageChanged"/> once per change: the last published stage of each campaign is stored, and only
/// the caller whose conditional update moves it from the old to the new stage publishes (see docs/adr/0200).
/// </summary>
internal sealed class CheckStageHandler(QuotasDbContext db, CurrentCampaign current, IClock clock, IPublisher publisher)
    : ICommandHandler<CheckStage, StageChanged?>
{
    public async ValueTask<StageChanged?> Handle(CheckStage command, CancellationToken ct)
    {
        var campaign = await current.FindAsync(ct);
        if (campaign is null)
        {
            return null;
        }

        var now = clock.UtcNow;
        var (stage, _, _) = campaign.StageAt(now);
        var published = await db.PublishedStages.AsNoTracking().FirstOrDefaultAsync(p => p.CampaignId == campaign.Id, ct);
        if (published is not null && published.Stage == stage)
        {
            return null;
        }

        if (published is null)
        {
            db.PublishedStages.Add(new PublishedStage { CampaignId = campaign.Id, Stage = stage, PublishedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return null; // another worker published it first
            }
        }
        else
        {
            var previousStage = published.Stage;
            var moved = await db.PublishedStages
                .Where(p => p.CampaignId == campaign.Id && p.Stage == previousStage)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Stage, stage).SetProperty(p => p.PublishedAt, now), ct);
            if (moved == 0)
            {
                return null;
            }
        }

        var changed = new StageChanged(campaign.Id, campaign.Name, published?.Stage, stage, campaign.StageStartsAt(stage) ?? now);
        await publisher.Publish(changed, ct);
        return changed;
    }
}

/// <summary>Every minute: <see cref="CheckStage"/> (job id <c>quotas:stage-watch</c>).</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(timeoutInSeconds: 60)]
internal sealed class StageWatchJob(ISender sender)
{
    public const string Id = "quotas:stage-watch";

    public async Task RunAsync(CancellationToken cancellationToken) => await sender.Send(new CheckStage(), cancellationToken);
}

/// <summary>The module's own listener: logs each published stage change (other modules add theirs).</summary>
internal sealed partial class LogStageChangedHandler(Microsoft.Extensions.Logging.ILogger<LogStageChangedHandler> logger) : INotificationHandler<StageChanged>
{
    public ValueTask Handle(StageChanged notification, CancellationToken cancellationToken)
    {
        Log(logger, notification.CampaignName, notification.Previous?.ToString() ?? "-", notification.Current.ToString(), notification.ChangedAt);
        return ValueTask.CompletedTask;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "Campaign {Campaign}: stage {Previous} -> {Current} at {ChangedAt:O}")]
    private static partial void Log(Microsoft.Extensions.Logging.ILogger logger, string campaign, string previous, string current, DateTimeOffset changedAt);
}

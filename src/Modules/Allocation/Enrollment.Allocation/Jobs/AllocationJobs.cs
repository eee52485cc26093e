using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Enrollment.Allocation.Jobs;

/// <summary>
/// A scheduled run (nightly, or the first run of a stage): only while Stage One or Stage Two is open and once that
/// stage's equal-footing window has ended; otherwise skipped (null). Waits for a run in progress instead of refusing.
/// </summary>
internal sealed record RunScheduledAllocation(string Trigger) : ICommand<RunOutcome?>;

internal sealed partial class RunScheduledAllocationHandler(IAllocationSources sources, IClock clock, ISender sender,
    AllocationDbContext db, ILogger<RunScheduledAllocationHandler> logger) : ICommandHandler<RunScheduledAllocation, RunOutcome?>
{
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    public async ValueTask<RunOutcome?> Handle(RunScheduledAllocation command, CancellationToken ct)
    {
        var campaign = await sources.CurrentCampaignAsync(ct);
        var stage = await sources.CurrentStageAsync(ct);
        if (campaign is null || stage is null || FirstRunAt(campaign, stage.Stage) is not { } due || clock.UtcNow < due)
        {
            LogSkipped(logger, command.Trigger, stage?.Stage.ToString() ?? "-");
            return null;
        }

        // The stage's first run happens once: Hangfire delivers a job at least once (a retry, or a host killed after the
        // run committed hands the job to another host), so a second delivery finds the committed run and stops.
        var stageName = stage.Stage.ToString();
        if (command.Trigger == RunTriggers.StageOpening && await db.Runs.AsNoTracking().AnyAsync(r => r.CampaignId == campaign.Id
                && r.Stage == stageName && r.Trigger == RunTriggers.StageOpening && !r.DryRun && r.Status == RunStatuses.Completed, ct))
        {
            LogAlreadyRan(logger, stageName);
            return null;
        }

        return await sender.Send(new RunAllocation(command.Trigger, DryRun: false, Wait), ct);
    }

    /// <summary>When the stage's first run is due (its opening + the equal-footing window); null outside Stage One/Two.</summary>
    public static DateTimeOffset? FirstRunAt(CampaignDto campaign, Stage stage) => stage switch
    {
        Stage.StageOne => campaign.Calendar.StageOneOpensAt + TimeSpan.FromHours(campaign.EqualFootingHours),
        Stage.StageTwo => campaign.Calendar.StageTwoOpensAt + TimeSpan.FromHours(campaign.EqualFootingHours),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation run ({Trigger}) skipped: stage {Stage} is not open for allocation yet")]
    private static partial void LogSkipped(ILogger logger, string trigger, string stage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage-opening allocation run skipped: stage {Stage}'s first run has already completed")]
    private static partial void LogAlreadyRan(ILogger logger, string stage);
}

/// <summary>
/// When Stage One or Stage Two opens (Quotas' <see cref="StageChanged"/>), schedules the stage's first run for the end of
/// its equal-footing window (job <c>allocation:stage-opening</c>, a one-off Hangfire job).
/// </summary>
internal sealed class WhenStageChangedScheduleFirstRun(IAllocationSources sources, IBackgroundJobClient jobs) : INotificationHandler<StageChanged>
{
    public async ValueTask Handle(StageChanged notification, CancellationToken ct)
    {
        if (notification.Current is not (Stage.StageOne or Stage.StageTwo))
        {
            return;
        }

        var campaign = await sources.CurrentCampaignAsync(ct);
        if (campaign?.Id != notification.CampaignId || RunScheduledAllocationHandler.FirstRunAt(campaign, notification.Current) is not { } due)
        {
            return;
        }

        jobs.Schedule<AllocationJobs>(j => j.StageOpeningAsync(CancellationToken.None), due);
    }
}

/// <summary>The module's Hangfire jobs; each is a one-liner that sends a command.</summary>
[AutomaticRetry(Attempts = 3)]
internal sealed class AllocationJobs(ISender sender)
{
    public const string NightlyId = "allocation:nightly";
    public const string ExpireId = "allocation:expire-offers";
    public const string ReminderId = "allocation:offer-reminders";

    /// <summary>Nightly at 02:00 Asia/Bishkek.</summary>
    public const string NightlyCron = "0 2 * * *";

    /// <summary>Every 15 minutes.</summary>
    public const string ExpireCron = "*/15 * * * *";

    /// <summary>Daily at 10:00 Asia/Bishkek (not at night: reminders go out as SMS and e-mail).</summary>
    public const string ReminderCron = "0 10 * * *";

    public async Task NightlyAsync(CancellationToken cancellationToken) =>
        await sender.Send(new RunScheduledAllocation(RunTriggers.Nightly), cancellationToken);

    public async Task StageOpeningAsync(CancellationToken cancellationToken) =>
        await sender.Send(new RunScheduledAllocation(RunTriggers.StageOpening), cancellationToken);

    public async Task ExpireOffersAsync(CancellationToken cancellationToken) => await sender.Send(new ExpireOffers(), cancellationToken);

    public async Task RemindAsync(CancellationToken cancellationToken) => await sender.Send(new RemindExpiringOffers(), cancellationToken);

    public static void Register(IRecurringJobManager jobs)
    {
        var options = new RecurringJobOptions { TimeZone = Bishkek.Zone };
        jobs.AddOrUpdate<AllocationJobs>(NightlyId, j => j.NightlyAsync(CancellationToken.None), NightlyCron, options);
        jobs.AddOrUpdate<AllocationJobs>(ExpireId, j => j.ExpireOffersAsync(CancellationToken.None), ExpireCron, options);
        jobs.AddOrUpdate<AllocationJobs>(ReminderId, j => j.RemindAsync(CancellationToken.None), ReminderCron, options);
    }
}

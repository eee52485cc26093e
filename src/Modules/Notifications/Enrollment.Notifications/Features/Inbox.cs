using Enrollment.Allocation.Contracts;
using Enrollment.Appeals.Contracts;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Enrollment.Notifications.Features;

/// <summary>
/// Records events worth a notification, once per key. Runs in the publisher's request after its commit, so it only inserts
/// (no cross-module reads) and never throws into the publisher: a failure is logged, and the publisher's own work stands.
/// </summary>
internal sealed partial class Inbox(NotificationsDbContext db, IClock clock, ILogger<Inbox> logger)
{
    /// <summary>
    /// Records the events whose keys are new in one statement per list, without change tracking: an event whose key is
    /// already recorded — a replay, a batch holding a change already received alone, the same key twice in the list, or a
    /// simultaneous replay that inserted it first — is skipped by the unique index on the key (<c>ON CONFLICT DO NOTHING</c>),
    /// never the others of the list. On the opening morning this replaced a key check and a tracked insert per committed
    /// batch of submits (≈ 3 % of the host's CPU, docs/benchmarks.md).
    /// </summary>
    public async Task AcceptAsync(IReadOnlyList<NotificationEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            var recorded = await BulkInsert.InsertOrSkipAsync(db, events, ct);
            if (recorded < events.Count)
            {
                LogKnown(logger, events.Count - recorded, events.Count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, events.Count, e);
        }
    }

    public NotificationEvent New(string key, Guid applicationId, NotificationKind kind, DateTimeOffset occurredAt, Guid? campaignId = null,
        string? schoolCode = null, string? language = null, DateTimeOffset? deadline = null, string? reason = null, string? decision = null) => new()
        {
            Id = Guid.NewGuid(), Key = key, ApplicationId = applicationId, Kind = kind, CampaignId = campaignId, SchoolCode = schoolCode,
            Language = language, Deadline = deadline?.ToUniversalTime(), Reason = reason is { Length: > 1000 } ? reason[..1000] : reason, Decision = decision,
            OccurredAt = occurredAt.ToUniversalTime(), ReceivedAt = clock.UtcNow, Status = EventStatus.Pending,
        };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notifications: {Known} of {Count} event(s) were recorded before (a replay)")]
    private static partial void LogKnown(ILogger logger, int known, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifications: {Count} event(s) could not be recorded")]
    private static partial void LogFailed(ILogger logger, int count, Exception error);
}

/// <summary>Submitted, needs correction, enrolled, rejected — from Registry's status history (offers come from Allocation).</summary>
internal sealed class WhenApplicationStatusChanged(Inbox inbox) : INotificationHandler<ApplicationStatusChanged>
{
    public async ValueTask Handle(ApplicationStatusChanged e, CancellationToken ct)
    {
        if (StatusNotifications.Event(inbox, e) is { } notification)
        {
            await inbox.AcceptAsync([notification], ct);
        }
    }
}

/// <summary>
/// The same for a committed batch of status changes (Registry's submit queue): every change is mapped exactly as a single
/// <see cref="ApplicationStatusChanged"/> would be (same kinds, same key), and the batch is recorded with one key check and
/// one insert transaction. A replayed batch, or a batch holding a change already received alone, records nothing twice.
/// </summary>
internal sealed class WhenApplicationStatusesChanged(Inbox inbox) : INotificationHandler<ApplicationStatusesChanged>
{
    public async ValueTask Handle(ApplicationStatusesChanged e, CancellationToken ct) =>
        await inbox.AcceptAsync([.. e.Changes.Select(change => StatusNotifications.Event(inbox, change)).OfType<NotificationEvent>()], ct);
}

/// <summary>Which status changes notify, and the event each one makes (keyed by its history entry).</summary>
internal static class StatusNotifications
{
    public static NotificationEvent? Event(Inbox inbox, ApplicationStatusChanged e)
    {
        var application = e.Application;
        var first = application.Choices.Count > 0 ? application.Choices[0] : null;
        var key = "status:" + e.HistoryId.ToString("N");
        return e.To switch
        {
            ApplicationStatus.Submitted => inbox.New(key, application.ApplicationId, NotificationKind.Submitted, e.At, application.CampaignId,
                first?.SchoolCode, first?.Language),
            ApplicationStatus.NeedsCorrection => inbox.New(key, application.ApplicationId, NotificationKind.NeedsCorrection, e.At,
                application.CampaignId, first?.SchoolCode, first?.Language, reason: e.Reason),
            ApplicationStatus.Enrolled => inbox.New(key, application.ApplicationId, NotificationKind.Enrolled, e.At, application.CampaignId,
                application.EnrolledProgram?.SchoolCode ?? first?.SchoolCode, application.EnrolledProgram?.Language ?? first?.Language),
            ApplicationStatus.Rejected => inbox.New(key, application.ApplicationId, NotificationKind.Rejected, e.At, application.CampaignId,
                first?.SchoolCode, first?.Language, reason: e.Reason),
            _ => null,
        };
    }
}

/// <summary>Offer made, moved up to a higher choice, expired — one event per application and kind of a run or expiry batch.</summary>
internal sealed class WhenOffersChanged(Inbox inbox) : INotificationHandler<OffersChanged>
{
    public async ValueTask Handle(OffersChanged e, CancellationToken ct)
    {
        var events = new List<NotificationEvent>();
        foreach (var change in e.Changes)
        {
            NotificationKind? kind = change.Kind switch
            {
                OfferChangeKind.Made => NotificationKind.OfferMade,
                OfferChangeKind.MovedUp => NotificationKind.OfferMovedUp,
                OfferChangeKind.Expired => NotificationKind.Expired,
                _ => null,
            };
            if (kind is { } k)
            {
                events.Add(inbox.New($"offers:{e.BatchId:N}:{change.ApplicationId:N}:{k}", change.ApplicationId, k, e.At, e.CampaignId,
                    change.SchoolCode, change.Language, change.ConfirmBy));
            }
        }

        await inbox.AcceptAsync(events, ct);
    }
}

/// <summary>The day before the deadline: "confirm the offer by …".</summary>
internal sealed class WhenOfferExpiring(Inbox inbox, IClock clock) : INotificationHandler<OfferExpiring>
{
    public async ValueTask Handle(OfferExpiring e, CancellationToken ct) =>
        await inbox.AcceptAsync([inbox.New($"expiring:{e.OfferId:N}", e.ApplicationId, NotificationKind.OfferExpiring, clock.UtcNow, deadline: e.ConfirmBy)], ct);
}

/// <summary>The district officer answered the parent's appeal.</summary>
internal sealed class WhenAppealAnswered(Inbox inbox) : INotificationHandler<AppealAnswered>
{
    public async ValueTask Handle(AppealAnswered e, CancellationToken ct) =>
        await inbox.AcceptAsync([inbox.New($"appeal:{e.AppealId:N}", e.ApplicationId, NotificationKind.AppealAnswered, e.At,
            decision: e.Decision.ToString(), reason: e.Kind.ToString())], ct);
}

using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features.Delivery;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Enrollment.Notifications.Features;

internal sealed record NotificationView(
    Guid Id, Guid ApplicationId, NotificationKind Kind, NotificationChannel Channel, string Recipient, string Language, string? Subject,
    string Body, MessageStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? LastAttemptAt,
    DateTimeOffset? SentAt, string? LastError, string? RequeuedBy)
{
    public static NotificationView From(OutboxMessage m) => new(
        m.Id, m.ApplicationId, m.Kind, m.Channel, m.Recipient, m.Language, m.Subject, m.Body, m.Status, m.Attempts, m.CreatedAt, m.NextAttemptAt,
        m.LastAttemptAt, m.SentAt, m.LastError, m.RequeuedBy);
}

internal sealed record NotificationPage(IReadOnlyList<NotificationView> Items, int TotalCount);

/// <summary>Admin list: the ministry sees every message; a district officer the messages about applications to their district's schools.</summary>
internal sealed record SearchNotifications(MessageStatus? Status, NotificationKind? Kind, Guid? ApplicationId, int Skip, int Take) : IQuery<NotificationPage>;

/// <summary>Submission receipts waiting because the service is busy, and the longest they wait (an aggregate: no personal data).</summary>
internal sealed record GetHeldReceipts : IQuery<HeldReceiptsView>;

internal sealed record HeldReceiptsView(int Held, int BusyEventsPerMinute, TimeSpan MaxDelay);

/// <summary>One message for the admin (NOT_FOUND outside the caller's scope).</summary>
internal sealed record GetNotification(Guid Id) : IQuery<NotificationView>;

/// <summary>Sends a Failed message again (attempts start over). Refused with NOTIFICATION_NOT_FAILED for any other status.</summary>
internal sealed record RequeueNotification(Guid Id) : ICommand<NotificationView>;

/// <summary>
/// The messages about one application, newest first: for its parent (the applicant), the ministry, the district officers of its
/// schools' districts and the school administrators of its schools (scope read from Registry's <c>GetApplicationScope</c>).
/// </summary>
internal sealed record GetApplicationNotifications(Guid ApplicationId) : IQuery<IReadOnlyList<NotificationView>>;

internal static class NotificationAccess
{
    public static IQueryable<OutboxMessage> VisibleTo(this IQueryable<OutboxMessage> messages, ICurrentUser user)
    {
        if (user.IsInRole(Roles.MinistryAdmin))
        {
            return messages;
        }

        if (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode is { Length: > 0 } district)
        {
            var key = OutboxMessage.DistrictKey(district);
            return messages.Where(m => m.DistrictCodes.Contains(key));
        }

        throw new AccessDenied("The notification outbox is for the ministry and district officers.");
    }

    public static string Name(this ICurrentUser user) => user.UserName ?? user.UserId ?? "system";
}

internal sealed class SearchNotificationsHandler(NotificationsDbContext db, ICurrentUser user, PersonalDataReads reads) : IQueryHandler<SearchNotifications, NotificationPage>
{
    public async ValueTask<NotificationPage> Handle(SearchNotifications query, CancellationToken ct)
    {
        var q = db.Messages.AsNoTracking().VisibleTo(user);
        if (query.Status is { } status)
        {
            q = q.Where(m => m.Status == status);
        }

        if (query.Kind is { } kind)
        {
            q = q.Where(m => m.Kind == kind);
        }

        if (query.ApplicationId is { } applicationId)
        {
            q = q.Where(m => m.ApplicationId == applicationId);
        }

        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id).Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        reads.Record("notifications", nameof(OutboxMessage), items.Select(m => m.Id.ToString()), $"message list (recipients), skip {query.Skip}");
        return new NotificationPage([.. items.Select(NotificationView.From)], total);
    }
}

internal sealed class SearchNotificationsValidator : IValidator<SearchNotifications>
{
    public void Validate(SearchNotifications message, ValidationErrors errors)
    {
        errors.Range("take", message.Take, 1, Cursor.MaxPageSize);
        errors.Range("skip", message.Skip, 0, int.MaxValue);
    }
}

internal sealed class GetHeldReceiptsHandler(NotificationsDbContext db, IClock clock, IOptions<NotificationsOptions> options) : IQueryHandler<GetHeldReceipts, HeldReceiptsView>
{
    public async ValueTask<HeldReceiptsView> Handle(GetHeldReceipts query, CancellationToken ct)
    {
        var o = options.Value.ReceiptDeferral;
        return new HeldReceiptsView(await ReceiptDeferral.HeldAsync(db, o, clock.UtcNow, ct), o.BusyEventsPerMinute, o.MaxDelay);
    }
}

internal sealed class GetNotificationHandler(NotificationsDbContext db, ICurrentUser user, PersonalDataReads reads) : IQueryHandler<GetNotification, NotificationView>
{
    public async ValueTask<NotificationView> Handle(GetNotification query, CancellationToken ct)
    {
        var m = await db.Messages.AsNoTracking().VisibleTo(user).SingleOrDefaultAsync(m => m.Id == query.Id, ct)
                ?? throw new NotFound("Notification", query.Id.ToString());
        reads.Record("notifications", nameof(OutboxMessage), [m.Id.ToString()], $"message contents, application {m.ApplicationId}");
        return NotificationView.From(m);
    }
}

internal sealed class RequeueNotificationHandler(NotificationsDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<RequeueNotification, NotificationView>
{
    public async ValueTask<NotificationView> Handle(RequeueNotification command, CancellationToken ct)
    {
        var message = await db.Messages.VisibleTo(user).SingleOrDefaultAsync(m => m.Id == command.Id, ct)
                      ?? throw new NotFound("Notification", command.Id.ToString());
        if (message.Status != MessageStatus.Failed)
        {
            throw new RuleViolation("NOTIFICATION_NOT_FAILED", "Only a failed message is sent again.");
        }

        message.Requeue(user.Name(), clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return NotificationView.From(message);
    }
}

internal sealed class GetApplicationNotificationsHandler(NotificationsDbContext db, INotificationDirectory directory, ICurrentUser user, PersonalDataReads reads)
    : IQueryHandler<GetApplicationNotifications, IReadOnlyList<NotificationView>>
{
    public async ValueTask<IReadOnlyList<NotificationView>> Handle(GetApplicationNotifications query, CancellationToken ct)
    {
        var scope = await directory.ScopeAsync(query.ApplicationId, ct);
        var allowed = scope is not null && (
            user.IsInRole(Roles.MinistryAdmin)
            || (user.IsInRole(Roles.Parent) && user.Pin is { Length: > 0 } pin && pin == scope.ApplicantPin)
            || (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode is { } d && scope.DistrictCodes.Contains(d))
            || (user.IsInRole(Roles.SchoolAdmin) && user.SchoolCode is { } s && scope.SchoolCodes.Contains(s)));
        if (!allowed)
        {
            // Unknown and not yours look the same: the caller learns nothing about other families' applications.
            throw new NotFound("Application", query.ApplicationId.ToString());
        }

        var messages = await db.Messages.AsNoTracking().Where(m => m.ApplicationId == query.ApplicationId)
            .OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Channel).ToListAsync(ct);
        reads.Record("notifications", nameof(OutboxMessage), messages.Select(m => m.Id.ToString()), $"messages of application {query.ApplicationId}");
        return [.. messages.Select(NotificationView.From)];
    }
}

using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Enrollment.Notifications.Features;

/// <summary>
/// Data retention (docs/security.md "Data retention"): when Registry has anonymized non-enrolled applications, their
/// copies here lose the personal data — every outbox message's recipient (phone, e-mail), subject, rendered body (the
/// child's name) and last error (a gateway may echo the address), and every received event's free-text reason. What stays:
/// ids, kind, channel, language, districts, status and timestamps, so the delivery history still counts. A message still
/// pending is closed as failed (<see cref="ErasedError"/>) and an event not yet expanded is closed as having no recipient,
/// so the delivery job never sends (or renders) anything for an anonymized application. The files the embedded file
/// transport wrote for those messages (<c>&lt;id&gt;.eml</c>, <c>&lt;id&gt;.sms.txt</c> in the outbox folder) are deleted. Idempotent: a rerun finds nothing
/// left to erase. Exceptions propagate, so Registry does not confirm the erasure and publishes again on its next run.
/// </summary>
internal sealed partial class NotificationsRetention(
    NotificationsDbContext db, Microsoft.Extensions.Options.IOptions<Delivery.NotificationsOptions> options, ILogger<NotificationsRetention> logger)
    : INotificationHandler<ApplicationsAnonymized>
{
    /// <summary>The last error of a message closed by retention.</summary>
    public const string ErasedError = "RETENTION_ERASED";

    public async ValueTask Handle(ApplicationsAnonymized notification, CancellationToken cancellationToken)
    {
        var (messages, events) = await EraseAsync(notification.ApplicationIds, cancellationToken);
        DeleteFiles(await FileNamesAsync(notification.ApplicationIds, cancellationToken));
        if (messages + events > 0)
        {
            LogErased(logger, messages, events, notification.RetentionRunId);
        }
    }

    public async Task<(int Messages, int Events)> EraseAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct)
    {
        int messages = 0, events = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var chunk in applicationIds.Chunk(500))
        {
            await db.Messages.Where(m => chunk.Contains(m.ApplicationId) && m.Status == MessageStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Failed).SetProperty(m => m.LastError, ErasedError), ct);
            messages += await db.Messages
                .Where(m => chunk.Contains(m.ApplicationId) && (m.Recipient != "" || m.Body != "" || m.Subject != null || (m.LastError != null && m.LastError != ErasedError)))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Recipient, "")
                    .SetProperty(m => m.Subject, (string?)null)
                    .SetProperty(m => m.Body, "")
                    .SetProperty(m => m.LastError, m => m.LastError == null ? null : ErasedError), ct);
            events += await db.Events
                .Where(e => chunk.Contains(e.ApplicationId) && (e.Reason != null || (e.LastError != null && e.LastError != ErasedError) || e.Status == EventStatus.Pending))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Reason, (string?)null)
                    .SetProperty(e => e.LastError, e => e.LastError == null ? null : ErasedError)
                    .SetProperty(e => e.Status, e => e.Status == EventStatus.Pending ? EventStatus.NoRecipient : e.Status), ct);
        }

        await transaction.CommitAsync(ct);
        return (messages, events);
    }

    private async Task<List<string>> FileNamesAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var chunk in applicationIds.Chunk(500))
        {
            var messages = await db.Messages.AsNoTracking().Where(m => chunk.Contains(m.ApplicationId)).ToListAsync(ct);
            names.AddRange(messages.Select(Delivery.FileTransport.FileName));
        }

        return names;
    }

    private void DeleteFiles(IEnumerable<string> names)
    {
        var directory = options.Value.OutboxDirectory ?? "outbox";
        foreach (var name in names)
        {
            File.Delete(Path.Combine(directory, name)); // no error when the file is not there (sent by SMTP/SMS, or cleared)
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notifications: retention run {RunId} erased the personal data of {Messages} message(s) and {Events} event(s)")]
    private static partial void LogErased(ILogger logger, int messages, int events, Guid runId);
}

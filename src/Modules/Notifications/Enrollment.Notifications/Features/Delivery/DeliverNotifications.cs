using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features;
using Enrollment.Registry.Contracts;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Enrollment.Notifications.Features.Delivery;

internal sealed record DeliveryReport(int Expanded, int Sent, int Retrying, int Failed);

/// <summary>
/// One run of the outbox: turns pending events into messages (recipient, scope and school names read through the
/// Contracts, texts rendered), then hands due messages to their transports. A failed send is retried after an
/// exponentially growing delay and marked Failed, with its last error, after <see cref="NotificationsOptions.MaxAttempts"/>.
/// Nothing is deleted: a message is Pending, Sent or Failed.
/// </summary>
internal sealed record DeliverNotifications : ICommand<DeliveryReport>;

internal sealed partial class DeliverNotificationsHandler(
    NotificationsDbContext db, INotificationDirectory directory, TransportSelector transports, IClock clock,
    IOptions<NotificationsOptions> options, ILogger<DeliverNotificationsHandler> logger) : ICommandHandler<DeliverNotifications, DeliveryReport>
{
    /// <summary>
    /// Batches of <see cref="NotificationsOptions.BatchSize"/> while the last batch was full and the run's time budget
    /// (<see cref="NotificationsOptions.RunBudget"/>) lasts, so a burst drains without waiting a minute per batch. An event
    /// whose lookup or expansion failed is not retried in the same run. Only those failed events are excluded from the next
    /// batch's query (expanded ones are no longer pending): excluding every event the run had seen made each batch's query
    /// carry one parameter per earlier event — quadratic work on the opening morning's backlog and, past SQLite's 32,766
    /// parameters, a failing query. More than <see cref="MaxFailedPerRun"/> failures end the run's expansion.
    /// </summary>
    public async ValueTask<DeliveryReport> Handle(DeliverNotifications command, CancellationToken ct)
    {
        var o = options.Value;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var failedEvents = new HashSet<Guid>();
        var heldAfter = await ReceiptDeferral.HeldAfterAsync(db, o.ReceiptDeferral, clock.UtcNow, ct);
        var report = new DeliveryReport(0, 0, 0, 0);
        bool more;
        do
        {
            var (fetched, expanded) = failedEvents.Count > MaxFailedPerRun ? (0, 0) : await ExpandAsync(failedEvents, heldAfter, ct);
            var (due, sent, retrying, failed) = await SendAsync(ct);
            report = new DeliveryReport(report.Expanded + expanded, report.Sent + sent, report.Retrying + retrying, report.Failed + failed);
            more = (fetched == o.BatchSize || due == o.BatchSize) && started.Elapsed < o.RunBudget;
        }
        while (more);

        return report;
    }

    /// <summary>
    /// Expands one batch of pending events: the recipients and scopes of all of them are read at once (two reads per batch),
    /// the batch is saved in one transaction and then forgotten by the context, so the send phase tracks only its own messages.
    /// A failed read counts as a failed attempt of every event of the batch (Registry did not answer for any of them).
    /// Receipts received after <paramref name="heldAfter"/> wait (<see cref="ReceiptDeferral"/>).
    /// </summary>
    private async Task<(int Fetched, int Expanded)> ExpandAsync(HashSet<Guid> failedEvents, DateTimeOffset? heldAfter, CancellationToken ct)
    {
        var o = options.Value;
        var skip = failedEvents.ToList();
        var query = db.Events.Where(e => e.Status == EventStatus.Pending && !skip.Contains(e.Id));
        if (heldAfter is { } after)
        {
            query = query.Where(e => e.Kind != NotificationKind.Submitted || e.ReceivedAt <= after);
        }

        var pending = await query.OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id).Take(o.BatchSize).ToListAsync(ct);
        if (pending.Count == 0)
        {
            return (0, 0);
        }

        var schoolCodes = pending.Where(e => e.SchoolCode is not null).Select(e => e.SchoolCode!).Distinct(StringComparer.Ordinal).ToList();
        var schools = (await directory.SchoolsAsync(schoolCodes, ct)).ToDictionary(s => s.Code, StringComparer.Ordinal);
        Dictionary<Guid, NotificationRecipientDto> recipients;
        Dictionary<Guid, ApplicationScopeDto> scopes;
        try
        {
            recipients = (await directory.RecipientsAsync([.. pending.Select(e => e.ApplicationId).Distinct()], ct)).ToDictionary(r => r.ApplicationId);
            var notified = pending.Where(e => recipients.TryGetValue(e.ApplicationId, out var r) && Channels(r).Count > 0).Select(e => e.ApplicationId).Distinct().ToList();
            scopes = (await directory.ScopesAsync(notified, ct)).ToDictionary(s => s.ApplicationId);
        }
        catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            foreach (var e in pending)
            {
                AttemptFailed(e, error, o.MaxAttempts);
                failedEvents.Add(e.Id);
            }

            LogLookupFailed(logger, pending.Count, error);
            await SaveAndForgetAsync(ct);
            return (pending.Count, 0);
        }

        var correctionDays = new Dictionary<Guid, int?>();
        var expandedIds = new List<Guid>(pending.Count);
        var newMessages = new List<OutboxMessage>(pending.Count * 2);
        var expanded = 0;
        foreach (var e in pending)
        {
            var now = clock.UtcNow;
            try
            {
                var recipient = recipients.GetValueOrDefault(e.ApplicationId);
                var channels = recipient is null ? [] : Channels(recipient);
                if (channels.Count == 0)
                {
                    e.Status = EventStatus.NoRecipient;
                    e.ExpandedAt = now;
                    continue;
                }

                var scope = scopes.GetValueOrDefault(e.ApplicationId);
                var deadline = e.Deadline;
                if (deadline is null && e.Kind == NotificationKind.NeedsCorrection && e.CampaignId is { } campaignId)
                {
                    if (!correctionDays.TryGetValue(campaignId, out var days))
                    {
                        correctionDays[campaignId] = days = await directory.CorrectionDaysAsync(campaignId, ct);
                    }

                    if (days is { } d)
                    {
                        deadline = e.OccurredAt.AddDays(d);
                    }
                }

                var school = e.SchoolCode is not null && schools.TryGetValue(e.SchoolCode, out var s) ? s : null;
                var appealKind = e.Kind == NotificationKind.AppealAnswered ? e.Reason : null;
                var data = new TemplateData(recipient!.ChildFirstName, school?.NameKy, school?.NameRu, e.Language, deadline,
                    e.Kind == NotificationKind.AppealAnswered ? null : e.Reason, e.Decision, appealKind);
                var districts = "," + string.Join(",", scope?.DistrictCodes ?? []) + ",";
                // Rendered first, added together: an event is expanded with all its messages or not at all.
                var messages = channels.Select(c =>
                {
                    var text = NotificationTemplates.Render(e.Kind, c.Channel, recipient.Language, data);
                    return new OutboxMessage
                    {
                        Id = Guid.NewGuid(), EventId = e.Id, ApplicationId = e.ApplicationId, Kind = e.Kind, Channel = c.Channel, Recipient = c.Address,
                        Language = recipient.Language, Subject = text.Subject, Body = text.Body, DistrictCodes = districts, CreatedAt = now,
                        Status = MessageStatus.Pending, NextAttemptAt = now,
                    };
                }).ToList();
                newMessages.AddRange(messages);
                expandedIds.Add(e.Id);
                expanded++;
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                AttemptFailed(e, error, o.MaxAttempts);
                failedEvents.Add(e.Id);
                LogExpandFailed(logger, e.Key, error);
            }
        }

        await SaveExpansionAsync(expandedIds, newMessages, ct);
        return (pending.Count, expanded);
    }

    /// <summary>
    /// The batch's new messages (and any failed attempts) and its expanded events in one transaction: the messages are
    /// inserted without change tracking (<see cref="BulkInsert"/>: on SQLite one prepared INSERT run per row) and the events
    /// are marked with one statement per 500 (not one tracked update each), so an event is expanded with all its messages or
    /// not at all. Tracking the opening morning's ≈ 40,000 new messages a minute was ≈ 2.5 % of the host's CPU.
    /// </summary>
    private async Task SaveExpansionAsync(List<Guid> expandedIds, List<OutboxMessage> messages, CancellationToken ct)
    {
        if (expandedIds.Count == 0)
        {
            await SaveAndForgetAsync(ct);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await BulkInsert.InsertAsync(db, messages, ct);
        var at = clock.UtcNow;
        foreach (var chunk in expandedIds.Chunk(500))
        {
            await db.Events.Where(e => chunk.Contains(e.Id) && e.Status == EventStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EventStatus.Expanded).SetProperty(e => e.ExpandedAt, at), ct);
        }

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Sends one batch of due messages, read untracked. A message whose transport must not see it twice (SMTP) is attached
    /// and has its status saved before the next send, so a crash never sends it again for lack of a saved status. Through a
    /// transport where a repeat is harmless (the file transport overwrites the same file; the SMS gateway receives the
    /// message id) the messages handed over are marked sent together, at most <see cref="StatusSaveGroup"/> per statement
    /// (<see cref="MarkSentAsync"/>): a crash may send those again, never lose one (ADR 0501). A failed attempt is always
    /// saved through the context, as before.
    /// </summary>
    private async Task<(int Due, int Sent, int Retrying, int Failed)> SendAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.UtcNow;
        var due = await db.Messages.AsNoTracking().Where(m => m.Status == MessageStatus.Pending && m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Take(o.BatchSize).ToListAsync(ct);
        var byChannel = new Dictionary<NotificationChannel, INotificationTransport>();
        var handedOver = new List<Guid>(StatusSaveGroup);
        int sent = 0, retrying = 0, failed = 0;
        foreach (var message in due)
        {
            if (!byChannel.TryGetValue(message.Channel, out var transport))
            {
                byChannel[message.Channel] = transport = transports.For(message.Channel);
            }

            try
            {
                await transport.SendAsync(message, ct);
                sent++;
                if (transport.RepeatIsHarmless)
                {
                    handedOver.Add(message.Id);
                    if (handedOver.Count >= StatusSaveGroup)
                    {
                        await MarkSentAsync(handedOver, ct);
                    }

                    continue;
                }

                db.Messages.Attach(message);
                message.Delivered(clock.UtcNow);
            }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                db.Messages.Attach(message);
                message.AttemptFailed($"{error.GetType().Name}: {error.Message}", clock.UtcNow, o.MaxAttempts, o.RetryDelay, o.MaxRetryDelay);
                if (message.Status == MessageStatus.Failed)
                {
                    failed++;
                }
                else
                {
                    retrying++;
                }

                LogSendFailed(logger, message.Id, message.Channel, message.Attempts, error.Message);
            }

            await SaveAndForgetAsync(ct);
        }

        await MarkSentAsync(handedOver, ct);
        return (due.Count, sent, retrying, failed);
    }

    /// <summary>
    /// Marks a group of handed-over messages sent in one statement (one <c>UPDATE … WHERE id IN (…)</c> instead of one
    /// per message, no change tracking; ADR 0503). Only messages still pending are marked.
    /// </summary>
    private async Task MarkSentAsync(List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var at = clock.UtcNow;
        await db.Messages.Where(m => ids.Contains(m.Id) && m.Status == MessageStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
            .SetProperty(m => m.LastAttemptAt, at)
            .SetProperty(m => m.SentAt, at)
            .SetProperty(m => m.Status, MessageStatus.Sent), ct);
        ids.Clear();
    }

    /// <summary>Messages sent through a transport where a repeat is harmless whose statuses are saved in one transaction.</summary>
    internal const int StatusSaveGroup = 100;

    /// <summary>Failed events after which a run stops expanding (the next run, a minute later, tries them again).</summary>
    internal const int MaxFailedPerRun = 2_000;

    private async Task SaveAndForgetAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static void AttemptFailed(NotificationEvent e, Exception error, int maxAttempts)
    {
        e.Attempts++;
        e.LastError = Trim(error.Message);
        if (e.Attempts >= maxAttempts)
        {
            e.Status = EventStatus.Failed;
        }
    }

    private static List<(NotificationChannel Channel, string Address)> Channels(NotificationRecipientDto r)
    {
        var list = new List<(NotificationChannel, string)>();
        if (!string.IsNullOrWhiteSpace(r.Email))
        {
            list.Add((NotificationChannel.Email, r.Email.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(r.SecondaryEmail)
            && !string.Equals(r.SecondaryEmail.Trim(), r.Email?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            list.Add((NotificationChannel.SecondaryEmail, r.SecondaryEmail.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(r.Phone))
        {
            list.Add((NotificationChannel.Sms, r.Phone.Trim()));
        }

        return list;
    }

    private static string Trim(string text) => text.Length > 2000 ? text[..2000] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: the recipients of {Count} event(s) could not be read")]
    private static partial void LogLookupFailed(ILogger logger, int count, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: event {Key} could not be expanded")]
    private static partial void LogExpandFailed(ILogger logger, string key, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: message {Id} ({Channel}) attempt {Attempt} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, Guid id, NotificationChannel channel, int attempt, string error);
}

/// <summary>
/// Submission receipts wait while the service is busy (<see cref="ReceiptDeferralOptions"/>, ADR 0911): busy means at
/// least <see cref="ReceiptDeferralOptions.BusyEventsPerMinute"/> events received in the last minute still wait. The
/// delivery job asks once per run; the outbox page shows how many receipts wait.
/// </summary>
internal static class ReceiptDeferral
{
    /// <summary>The moment after which received receipts wait in this run, or null when the service is not busy.</summary>
    public static async Task<DateTimeOffset?> HeldAfterAsync(NotificationsDbContext db, ReceiptDeferralOptions o, DateTimeOffset now, CancellationToken ct)
    {
        if (o.BusyEventsPerMinute == 0)
        {
            return null;
        }

        var since = now.AddMinutes(-1);
        var recent = await db.Events.Where(e => e.Status == EventStatus.Pending && e.ReceivedAt > since).Take(o.BusyEventsPerMinute).CountAsync(ct);
        return recent >= o.BusyEventsPerMinute ? now - o.MaxDelay : null;
    }

    /// <summary>Receipts waiting now because the service is busy (0 when it is not).</summary>
    public static async Task<int> HeldAsync(NotificationsDbContext db, ReceiptDeferralOptions o, DateTimeOffset now, CancellationToken ct) =>
        await HeldAfterAsync(db, o, now, ct) is { } after
            ? await db.Events.CountAsync(e => e.Status == EventStatus.Pending && e.Kind == NotificationKind.Submitted && e.ReceivedAt > after, ct)
            : 0;
}

/// <summary>Every minute: the outbox run (job id <c>notifications:deliver</c>). Its own retries live in the outbox, not in Hangfire.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(timeoutInSeconds: 300)]
internal sealed class NotificationDeliveryJob(IMediator mediator)
{
    public const string Id = "notifications:deliver";

    public async Task<DeliveryReport> RunAsync(CancellationToken cancellationToken) => await mediator.Send(new DeliverNotifications(), cancellationToken);
}

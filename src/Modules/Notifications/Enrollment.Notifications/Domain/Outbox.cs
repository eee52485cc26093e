namespace Enrollment.Notifications.Domain;

/// <summary>What a parent is told about (domain.md "Notifications and appeals").</summary>
internal enum NotificationKind
{
    Submitted,
    NeedsCorrection,
    OfferMade,
    OfferMovedUp,
    OfferExpiring,
    Expired,
    Enrolled,
    Rejected,
    AppealAnswered,
}

/// <summary>E-mail to the applicant's address, to their secondary address, and SMS to their phone.</summary>
internal enum NotificationChannel
{
    Email,
    SecondaryEmail,
    Sms,
}

internal enum EventStatus
{
    /// <summary>Received; the delivery job has not yet turned it into messages.</summary>
    Pending,

    /// <summary>Its messages are in the outbox (one per channel the applicant has).</summary>
    Expanded,

    /// <summary>Registry knows no recipient (or no contact) for the application: nothing to send.</summary>
    NoRecipient,

    /// <summary>Reading the recipient failed on every attempt.</summary>
    Failed,
}

internal enum MessageStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// An event worth a notification, as received (the inbox half of the outbox). <see cref="Key"/> is unique and made from the
/// source event's identity (history entry, run + application + kind, offer, appeal), so a replayed event adds nothing.
/// Recording it is one insert in the publisher's request; recipients and texts are read later by the delivery job.
/// </summary>
internal sealed class NotificationEvent
{
    public Guid Id { get; init; }
    public string Key { get; init; } = "";
    public Guid ApplicationId { get; init; }
    public NotificationKind Kind { get; init; }
    public Guid? CampaignId { get; init; }
    public string? SchoolCode { get; init; }
    public string? Language { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public string? Reason { get; init; }
    public string? Decision { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public EventStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? ExpandedAt { get; set; }
}

/// <summary>One message to one address over one channel: one per (event, channel), rendered once, sent with retries.</summary>
internal sealed class OutboxMessage
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public Guid ApplicationId { get; init; }
    public NotificationKind Kind { get; init; }
    public NotificationChannel Channel { get; init; }
    public string Recipient { get; init; } = "";
    public string Language { get; init; } = "";
    public string? Subject { get; init; }
    public string Body { get; init; } = "";

    /// <summary>Districts of the application's schools as ",D1,D2," — the district officers who may see the message.</summary>
    public string DistrictCodes { get; init; } = ",";

    public DateTimeOffset CreatedAt { get; init; }
    public MessageStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? RequeuedBy { get; set; }

    public static string DistrictKey(string districtCode) => "," + districtCode + ",";

    public void Delivered(DateTimeOffset now)
    {
        Attempts++;
        LastAttemptAt = now;
        Status = MessageStatus.Sent;
        SentAt = now;
    }

    /// <summary>A failed attempt: retried after an exponentially growing delay, or Failed after <paramref name="maxAttempts"/>.</summary>
    public void AttemptFailed(string error, DateTimeOffset now, int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        Attempts++;
        LastAttemptAt = now;
        LastError = error.Length > 2000 ? error[..2000] : error;
        if (Attempts >= maxAttempts)
        {
            Status = MessageStatus.Failed;
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(maxDelay.Ticks, baseDelay.Ticks * (1L << Math.Min(Attempts - 1, 30))));
        NextAttemptAt = now + delay;
    }

    /// <summary>An administrator sends a failed message again: attempts start over, the last error stays for the record.</summary>
    public void Requeue(string by, DateTimeOffset now)
    {
        Status = MessageStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        RequeuedBy = by;
    }
}

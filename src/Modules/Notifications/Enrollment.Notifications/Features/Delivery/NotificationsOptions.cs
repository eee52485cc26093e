namespace Enrollment.Notifications.Features.Delivery;

internal enum EmailTransportMode
{
    /// <summary>Each e-mail is written as a file under <see cref="NotificationsOptions.OutboxDirectory"/> (embedded default).</summary>
    File,

    /// <summary>Sent through an SMTP server (<see cref="NotificationsOptions.Smtp"/>).</summary>
    Smtp,
}

internal enum SmsTransportMode
{
    /// <summary>Each SMS is written as a file under <see cref="NotificationsOptions.OutboxDirectory"/> (embedded default).</summary>
    File,

    /// <summary>POSTed as JSON to an SMS gateway (<see cref="NotificationsOptions.SmsGateway"/>).</summary>
    Http,
}

/// <summary>Configuration section <c>Notifications</c>.</summary>
internal sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    public EmailTransportMode Email { get; set; } = EmailTransportMode.File;

    public SmsTransportMode Sms { get; set; } = SmsTransportMode.File;

    /// <summary>Folder of the file transport; default <c>&lt;Database:DataDirectory&gt;/outbox</c> (./data/outbox).</summary>
    public string? OutboxDirectory { get; set; }

    /// <summary>Attempts per message before it is marked Failed (an administrator may requeue it).</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Delay after the first failed attempt; it doubles after each further one …</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>… up to this.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Events expanded and messages sent per batch; a run takes further batches while they come full.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>A run of the delivery job (every minute) stops taking new batches after this long.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Submission receipts wait while the service is busy (ADR 0911).</summary>
    public ReceiptDeferralOptions ReceiptDeferral { get; set; } = new();

    public SmtpOptions Smtp { get; set; } = new();

    public SmsGatewayOptions SmsGateway { get; set; } = new();

    internal IEnumerable<string> Problems()
    {
        if (MaxAttempts is < 1 or > 50 || RetryDelay < TimeSpan.Zero || MaxRetryDelay < RetryDelay || BatchSize is < 1 or > 10_000
            || RunBudget < TimeSpan.Zero || RunBudget > TimeSpan.FromMinutes(4))
        {
            yield return "Notifications: MaxAttempts 1..50, RetryDelay ≥ 0, MaxRetryDelay ≥ RetryDelay, BatchSize 1..10000, RunBudget 0..4 min.";
        }

        if (ReceiptDeferral.BusyEventsPerMinute < 0 || ReceiptDeferral.MaxDelay < TimeSpan.Zero || ReceiptDeferral.MaxDelay > TimeSpan.FromHours(24))
        {
            yield return "Notifications:ReceiptDeferral: BusyEventsPerMinute ≥ 0 (0 = off), MaxDelay 0..24 h.";
        }

        if (Email == EmailTransportMode.Smtp && (string.IsNullOrWhiteSpace(Smtp.Host) || string.IsNullOrWhiteSpace(Smtp.From) || Smtp.Port is < 1 or > 65535))
        {
            yield return "Notifications:Smtp:Host, Port and From are required when Notifications:Email is Smtp.";
        }

        if (Sms == SmsTransportMode.Http && (SmsGateway.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return "Notifications:SmsGateway:Url must be an absolute http(s) URL when Notifications:Sms is Http.";
        }
    }
}

/// <summary>
/// Section <c>Notifications:ReceiptDeferral</c>. On the opening morning ≈ 25,000 submissions a minute arrive and each
/// needs its receipt (two or three messages rendered, stored and handed over): ≈ 10 % of the host's CPU at the peak
/// (docs/benchmarks.md). The parent sees the submitted application at once in the app; the receipt can come a little
/// later. So while the service is busy, receipts wait — at most <see cref="MaxDelay"/> — and every other kind of message
/// (offers, corrections, deadlines, decisions) is delivered as always.
/// </summary>
internal sealed class ReceiptDeferralOptions
{
    /// <summary>Waiting events received in the last minute from which the service counts as busy; 0 turns deferral off.</summary>
    public int BusyEventsPerMinute { get; set; } = 3_000;

    /// <summary>A receipt is delivered at the latest this long after its event arrived, busy or not.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);
}

internal sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS (or TLS on port 465).</summary>
    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>Sender address, e.g. <c>noreply@edu.gov.kg</c>.</summary>
    public string? From { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// An SMS gateway taking <c>POST {Url}</c> with JSON <c>{"id","to","text","sender"}</c> and <c>Authorization: Bearer {Token}</c>;
/// any 2xx answer means accepted. <c>id</c> is the outbox message id: the gateway sends one SMS per id and answers 2xx to a repeat
/// (the delivery job may hand a message over again after a crash, ADR 0501).
/// </summary>
internal sealed class SmsGatewayOptions
{
    public Uri? Url { get; set; }
    public string? Token { get; set; }
    public string? Sender { get; set; }

    /// <summary>Time allowed for one attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Immediate retries (exponential back-off with jitter) inside one delivery attempt; the outbox retries later again.</summary>
    public int MaxRetries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Mail;
using System.Text;
using Enrollment.Notifications.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Enrollment.Notifications.Features.Delivery;

/// <summary>Hands one message to the outside world; throws when it was not accepted (the outbox then retries it).</summary>
internal interface INotificationTransport
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);

    /// <summary>
    /// Whether handing the same message over again is harmless (the outside world keeps one copy per message id). Only then
    /// may the delivery job save the statuses of several sends together (ADR 0501); otherwise each is saved before the next send.
    /// </summary>
    bool RepeatIsHarmless => false;
}

/// <summary>The configured transport of each channel: keyed services "File", "Smtp" and "Http" (see <see cref="NotificationTransports"/>).</summary>
internal sealed class TransportSelector(IServiceProvider services, IOptions<NotificationsOptions> options)
{
    public INotificationTransport For(NotificationChannel channel) => services.GetRequiredKeyedService<INotificationTransport>(
        channel == NotificationChannel.Sms ? options.Value.Sms.ToString() : options.Value.Email.ToString());
}

internal static class NotificationTransports
{
    /// <summary>The options, the transports (keyed by mode) and the SMS gateway's resilient HTTP client.</summary>
    public static IServiceCollection AddNotificationTransports(this IServiceCollection services, string defaultOutboxDirectory)
    {
        services.AddOptions<NotificationsOptions>()
            .BindConfiguration(NotificationsOptions.Section)
            .PostConfigure(o => o.OutboxDirectory ??= defaultOutboxDirectory)
            .Validate(o => !o.Problems().Any(), "Notifications is misconfigured; see NotificationsOptions.")
            .ValidateOnStart();
        services.AddScoped<TransportSelector>();
        services.AddKeyedSingleton<INotificationTransport, FileTransport>(nameof(EmailTransportMode.File));
        services.AddKeyedSingleton<INotificationTransport, SmtpTransport>(nameof(EmailTransportMode.Smtp));
        services.AddKeyedSingleton<INotificationTransport, SmsGatewayTransport>(nameof(SmsTransportMode.Http));
        services.AddHttpClient(SmsGatewayTransport.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("notifications-sms", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<NotificationsOptions>>().Value.SmsGateway;
                pipeline.AddTimeout(o.Timeout * (o.MaxRetries + 1) + o.RetryDelay * (1 << Math.Min(o.MaxRetries, 10)));
                if (o.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                    });
                }

                pipeline.AddTimeout(o.Timeout);
            });
        return services;
    }
}

/// <summary>
/// Embedded default: writes each message as a file (<c>&lt;id&gt;.eml</c> for e-mail, <c>&lt;id&gt;.sms.txt</c> for SMS) under the
/// outbox folder, atomically (temporary file, then rename), so a folder watcher never reads half a message. Writing the same
/// message again replaces its file: a retry never makes a second file.
/// </summary>
internal sealed class FileTransport(IOptions<NotificationsOptions> options) : INotificationTransport
{
    /// <summary>The file is named by the message id and replaced atomically: a repeat leaves the same one file.</summary>
    public bool RepeatIsHarmless => true;

    public string Directory => options.Value.OutboxDirectory ?? "outbox";

    private static readonly UTF8Encoding Utf8 = new(false);

    public static string FileName(OutboxMessage m) => m.Id.ToString("N") + (m.Channel == NotificationChannel.Sms ? ".sms.txt" : ".eml");

    public Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, FileName(message));
        var temp = path + ".tmp";
        var text = new StringBuilder();
        if (message.Channel == NotificationChannel.Sms)
        {
            text.Append("To: ").Append(message.Recipient).Append('\n').Append('\n').Append(message.Body).Append('\n');
        }
        else
        {
            text.Append("To: ").Append(message.Recipient).Append('\n')
                .Append("Subject: ").Append(message.Subject).Append('\n')
                .Append("Date: ").Append(message.CreatedAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
                .Append("Message-ID: <").Append(message.Id.ToString("N")).Append("@enrollment>").Append('\n')
                .Append("Content-Type: text/plain; charset=utf-8").Append('\n').Append('\n')
                .Append(message.Body).Append('\n');
        }

        // A new temporary file (CreateNew), not one truncated by FileMode.Create: .NET truncates a Create file with
        // ftruncate after opening it, and ext4 then writes the file out synchronously when it is closed (auto_da_alloc) —
        // ≈ 4 % of the host's CPU on the opening morning (docs/benchmarks.md, "fifth day"). A temporary file left by a
        // crash is removed first, so the retry still leaves exactly one file. Written synchronously in one write (no buffer):
        // a small file goes to the page cache at once, and an asynchronous FileStream on Linux only hands the same write to
        // another thread-pool thread.
        ct.ThrowIfCancellationRequested();
        File.Delete(temp);
        using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 }))
        {
            file.Write(Utf8.GetBytes(text.ToString()));
        }

        File.Move(temp, path, overwrite: true);
        return Task.CompletedTask;
    }
}

/// <summary>E-mail through an SMTP server (System.Net.Mail: STARTTLS, optional credentials).</summary>
internal sealed class SmtpTransport(IOptions<NotificationsOptions> options) : INotificationTransport
{
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var o = options.Value.Smtp;
        using var client = new SmtpClient(o.Host, o.Port)
        {
            EnableSsl = o.EnableSsl,
            Timeout = (int)o.Timeout.TotalMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(o.UserName))
        {
            client.Credentials = new NetworkCredential(o.UserName, o.Password);
        }

        using var mail = new MailMessage(o.From!, message.Recipient, message.Subject ?? "", message.Body)
        {
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        mail.Headers.Add("Message-ID", $"<{message.Id:N}@enrollment>");
        await client.SendMailAsync(mail, ct);
    }
}

/// <summary>SMS through an HTTP gateway: JSON POST with a bearer token, through the resilient named client <see cref="ClientName"/>.</summary>
internal sealed class SmsGatewayTransport(IHttpClientFactory clients, IOptions<NotificationsOptions> options) : INotificationTransport
{
    public const string ClientName = "notifications-sms";

    /// <summary>The gateway receives the message id (<c>id</c>) and keeps one SMS per id (its contract, <see cref="SmsGatewayOptions"/>).</summary>
    public bool RepeatIsHarmless => true;

    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var o = options.Value.SmsGateway;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.Url)
        {
            Content = JsonContent.Create(new SmsWire(message.Id.ToString("N"), message.Recipient, message.Body, o.Sender)),
        };
        if (!string.IsNullOrEmpty(o.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
        }

        using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"SMS gateway answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }

    private sealed record SmsWire(string Id, string To, string Text, string? Sender);
}

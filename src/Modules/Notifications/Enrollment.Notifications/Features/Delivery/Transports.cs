using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Mail;
using System.Text;
using Enrollment.Notifications.Domain;
using Microsoft.Extensions.Options;

namespace Enrollment.Notifications.Features.Delivery;

/// <summary>Hands one message to the outside world; throws when it was not accepted (the outbox then retries it).</summary>
internal interface INotificationTransport
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>The configured transport of each channel.</summary>
internal sealed class TransportSelector(IServiceProvider services, IOptions<NotificationsOptions> options)
{
    public INotificationTransport For(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Sms => options.Value.Sms == SmsTransportMode.Http
            ? Get<SmsGatewayTransport>()
            : Get<FileTransport>(),
        _ => options.Value.Email == EmailTransportMode.Smtp ? Get<SmtpTransport>() : Get<FileTransport>(),
    };

    private T Get<T>() where T : INotificationTransport => (T)services.GetService(typeof(T))!;
}

/// <summary>
/// Embedded default: writes each message as a file (<c>&lt;id&gt;.eml</c> for e-mail, <c>&lt;id&gt;.sms.txt</c> for SMS) under the
/// outbox folder, atomically (temporary file, then rename), so a folder watcher never reads half a message. Writing the same
/// message again replaces its file: a retry never makes a second file.
/// </summary>
internal sealed class FileTransport(IOptions<NotificationsOptions> options) : INotificationTransport
{
    public string Directory => options.Value.OutboxDirectory ?? "outbox";

    public static string FileName(OutboxMessage m) => m.Id.ToString("N") + (m.Channel == NotificationChannel.Sms ? ".sms.txt" : ".eml");

    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
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

        await File.WriteAllTextAsync(temp, text.ToString(), new UTF8Encoding(false), ct);
        File.Move(temp, path, overwrite: true);
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

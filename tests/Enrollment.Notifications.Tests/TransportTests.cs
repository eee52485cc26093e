using System.Text.Json;
using Enrollment.Allocation.Contracts;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;

namespace Enrollment.Notifications.Tests;

public sealed class TransportTests
{
    [Fact]
    public async Task File_transport_writes_each_message_as_a_file_in_the_outbox_folder()
    {
        using var h = new Harness();
        var application = h.Application(language: "ky");
        await h.Publish(h.StatusChanged(application, ApplicationStatus.Enrolled));

        Assert.Equal(new DeliveryReport(1, 3, 0, 0), await h.Deliver());

        var messages = await h.Messages();
        Assert.All(messages, m => Assert.Equal((MessageStatus.Sent, 1), (m.Status, m.Attempts)));
        var files = Directory.GetFiles(h.OutboxDirectory).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(messages.Select(FileTransport.FileName).Order(), files);
        var email = await File.ReadAllTextAsync(Path.Combine(h.OutboxDirectory, FileTransport.FileName(messages.Single(m => m.Channel == NotificationChannel.Email))));
        Assert.StartsWith("To: parent@example.kg\nSubject: Айгерим кабыл алынды\n", email, StringComparison.Ordinal);
        Assert.Contains("Айгерим биринчи класска кабыл алынды: №5 мектеп-гимназиясы (кыргыз тили). Куттуктайбыз!", email, StringComparison.Ordinal);
        var sms = await File.ReadAllTextAsync(Path.Combine(h.OutboxDirectory, FileTransport.FileName(messages.Single(m => m.Channel == NotificationChannel.Sms))));
        Assert.Equal("To: +996555123456\n\nАйгерим кабыл алынды: №5 мектеп-гимназиясы (кыргыз тили).\n", sms);
        Assert.Empty(Directory.GetFiles(h.OutboxDirectory, "*.tmp"));
    }

    [Fact]
    public async Task File_transport_replaces_a_temporary_file_left_by_a_crash_and_a_repeat_leaves_one_complete_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), "file-transport-" + Guid.NewGuid().ToString("N"));
        try
        {
            var transport = new FileTransport(Microsoft.Extensions.Options.Options.Create(new NotificationsOptions { OutboxDirectory = folder }));
            var message = new OutboxMessage
            {
                Id = Guid.NewGuid(), Channel = NotificationChannel.Sms, Recipient = "+996555123456", Body = "Айгерим кабыл алынды.",
            };
            var path = Path.Combine(folder, FileTransport.FileName(message));
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(path + ".tmp", "half a message written before the host was killed, and longer than the real one");

            await transport.SendAsync(message, CancellationToken.None);
            await transport.SendAsync(message, CancellationToken.None); // a repeat after a crash before the status was saved

            Assert.Equal([FileTransport.FileName(message)], Directory.GetFiles(folder).Select(Path.GetFileName));
            Assert.Equal("To: +996555123456\n\nАйгерим кабыл алынды.\n", await File.ReadAllTextAsync(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Sms_gateway_receives_json_with_the_bearer_token()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        using var h = new Harness(new Dictionary<string, string?>
        {
            ["Notifications:Sms"] = "Http",
            ["Notifications:SmsGateway:Url"] = gateway.Url.ToString(),
            ["Notifications:SmsGateway:Token"] = "secret-token",
            ["Notifications:SmsGateway:Sender"] = "EDU.KG",
        });
        var application = h.Application(language: "ru");
        await h.Publish(h.Offers(Guid.NewGuid(), (application, OfferChangeKind.Made)));

        Assert.Equal(new DeliveryReport(1, 3, 0, 0), await h.Deliver());

        var (authorization, contentType, body) = Assert.Single(gateway.Requests);
        Assert.Equal("Bearer secret-token", authorization);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        var json = JsonDocument.Parse(body).RootElement;
        var sms = (await h.Messages()).Single(m => m.Channel == NotificationChannel.Sms);
        Assert.Equal(sms.Id.ToString("N"), json.GetProperty("id").GetString());
        Assert.Equal("+996555123456", json.GetProperty("to").GetString());
        Assert.Equal(sms.Body, json.GetProperty("text").GetString());
        Assert.Equal("EDU.KG", json.GetProperty("sender").GetString());
        Assert.Equal(2, Directory.GetFiles(h.OutboxDirectory).Length); // the two e-mails still go to files
    }

    [Fact]
    public async Task Sms_gateway_failure_is_retried_later_and_the_message_is_not_lost()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        gateway.StatusFor = n => n <= 3 ? 503 : 200; // the first delivery attempt (1 call + 2 quick retries) fails
        using var h = new Harness(new Dictionary<string, string?>
        {
            ["Notifications:Sms"] = "Http",
            ["Notifications:SmsGateway:Url"] = gateway.Url.ToString(),
            ["Notifications:SmsGateway:RetryDelay"] = "00:00:00.010",
        });
        await h.Publish(h.StatusChanged(h.Application(email: null, secondary: null), ApplicationStatus.Submitted));

        Assert.Equal(new DeliveryReport(1, 0, 1, 0), await h.Deliver());
        var waiting = Assert.Single(await h.Messages());
        Assert.Equal((MessageStatus.Pending, 1), (waiting.Status, waiting.Attempts));
        Assert.Contains("503", waiting.LastError, StringComparison.Ordinal);
        Assert.Equal(3, gateway.Requests.Count);

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DeliveryReport(0, 1, 0, 0), await h.Deliver());
        Assert.Equal((MessageStatus.Sent, 2), Assert.Single(await h.Messages()) is var m ? (m.Status, m.Attempts) : default);
        Assert.Equal(4, gateway.Requests.Count);
    }
}

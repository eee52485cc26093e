using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Enrollment.Notifications.Tests;

/// <summary>Data retention: the outbox copies of anonymized applications lose recipients and texts; nothing is sent for them any more.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly Harness _h = new(new Dictionary<string, string?>());

    public void Dispose() => _h.Dispose();

    private NotificationsRetention Handler(Enrollment.Notifications.Data.NotificationsDbContext db) =>
        new(db, Options.Create(new NotificationsOptions { OutboxDirectory = _h.OutboxDirectory }), NullLogger<NotificationsRetention>.Instance);

    [Fact]
    public async Task Sent_and_pending_messages_of_anonymized_applications_lose_recipient_and_text_and_files_and_a_rerun_changes_nothing()
    {
        var gone = _h.Application(email: "aida@example.kg", phone: "+996555000111");
        var kept = _h.Application(email: "kept@example.kg", phone: "+996555999888", pin: "11203201800022");
        await _h.Publish(_h.StatusChanged(gone, ApplicationStatus.Submitted, "CANCELLED_BY_PARENT: moving with Aida"));
        await _h.Publish(_h.StatusChanged(kept, ApplicationStatus.Submitted));
        await _h.Deliver();
        await _h.Publish(_h.StatusChanged(gone, ApplicationStatus.Rejected)); // received, not yet expanded
        var sentFiles = Directory.GetFiles(_h.OutboxDirectory);
        Assert.Contains(sentFiles, f => File.ReadAllText(f).Contains("aida@example.kg", StringComparison.Ordinal));

        await using (var db = _h.Db())
        {
            await Handler(db).Handle(new ApplicationsAnonymized(_h.CampaignId, [gone], Guid.NewGuid()), default);
        }

        var messages = await _h.Messages();
        Assert.All(messages.Where(m => m.ApplicationId == gone), m =>
        {
            Assert.Equal("", m.Recipient);
            Assert.Equal("", m.Body);
            Assert.Null(m.Subject);
        });
        Assert.All(messages.Where(m => m.ApplicationId == kept), m => Assert.NotEqual("", m.Recipient));
        Assert.Contains(messages, m => m.ApplicationId == kept && m.Body.Contains("Айгерим", StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(_h.OutboxDirectory))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("aida@example.kg", text, StringComparison.Ordinal);
            Assert.DoesNotContain("+996555000111", text, StringComparison.Ordinal);
        }

        await using (var db = _h.Db())
        {
            Assert.All(await db.Events.AsNoTracking().Where(e => e.ApplicationId == gone).ToListAsync(), e =>
            {
                Assert.Null(e.Reason);
                Assert.NotEqual(EventStatus.Pending, e.Status);
            });
        }

        // The delivery job sends nothing for the anonymized application afterwards.
        await _h.Deliver();
        Assert.DoesNotContain(await _h.Messages(), m => m.ApplicationId == gone && m.Recipient != "");

        await using var again = _h.Db();
        Assert.Equal((0, 0), await Handler(again).EraseAsync([gone], default));
    }
}

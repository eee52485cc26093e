using Enrollment.Allocation.Contracts;
using Enrollment.Appeals.Contracts;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Notifications.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Replayed_event_adds_no_second_message()
    {
        var application = _h.Application();
        var submitted = _h.StatusChanged(application, ApplicationStatus.Submitted);
        var offers = _h.Offers(Guid.NewGuid(), (application, OfferChangeKind.Made));

        await _h.Publish(submitted);
        await _h.Publish(offers);
        await _h.Deliver();
        await _h.Publish(submitted);
        await _h.Publish(offers);
        await _h.Publish(submitted);
        await _h.Deliver();

        var messages = await _h.Messages();
        Assert.Equal(6, messages.Count); // two events × (e-mail, secondary e-mail, SMS)
        Assert.Equal(2, messages.Select(m => m.EventId).Distinct().Count());
        await using var db = _h.Db();
        Assert.Equal(2, await db.Events.CountAsync());
    }

    [Fact]
    public async Task Each_channel_the_applicant_has_gets_one_message()
    {
        var all = _h.Application();
        var emailOnly = _h.Application(phone: null, secondary: null);
        var sameSecondary = _h.Application(phone: null, email: "a@example.kg", secondary: "A@example.kg");
        var phoneOnly = _h.Application(email: null, secondary: null);
        var none = _h.Application(email: null, secondary: null, phone: null);
        foreach (var application in new[] { all, emailOnly, sameSecondary, phoneOnly, none })
        {
            await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Submitted));
        }

        var report = await _h.Deliver();

        var messages = await _h.Messages();
        string Channels(Guid id) => string.Join(",", messages.Where(m => m.ApplicationId == id).Select(m => m.Channel).Order());
        Assert.Equal("Email,SecondaryEmail,Sms", Channels(all));
        Assert.Equal("Email", Channels(emailOnly));
        Assert.Equal("Email", Channels(sameSecondary));
        Assert.Equal("Sms", Channels(phoneOnly));
        Assert.Equal("", Channels(none));
        Assert.Equal(new DeliveryReport(4, 6, 0, 0), report);
        await using var db = _h.Db();
        Assert.Equal(EventStatus.NoRecipient, (await db.Events.SingleAsync(e => e.ApplicationId == none)).Status);
    }

    [Fact]
    public async Task Only_the_listed_events_notify()
    {
        var application = _h.Application();
        foreach (var status in new[] { ApplicationStatus.Draft, ApplicationStatus.Waitlisted, ApplicationStatus.Offered, ApplicationStatus.Confirmed,
                     ApplicationStatus.Cancelled, ApplicationStatus.Expired, ApplicationStatus.Withdrawn, ApplicationStatus.CommissionReview })
        {
            await _h.Publish(_h.StatusChanged(application, status));
        }

        await _h.Publish(_h.Offers(Guid.NewGuid(), (application, OfferChangeKind.Waitlisted)));

        Assert.Equal(new DeliveryReport(0, 0, 0, 0), await _h.Deliver());
    }

    [Fact]
    public async Task Every_listed_kind_is_notified_once()
    {
        var application = _h.Application(email: "p@example.kg", secondary: null, phone: null);
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Submitted));
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.NeedsCorrection, "Birth certificate number differs"));
        await _h.Publish(_h.Offers(Guid.NewGuid(), (application, OfferChangeKind.Made)));
        await _h.Publish(_h.Offers(Guid.NewGuid(), (application, OfferChangeKind.MovedUp)));
        await _h.Publish(new OfferExpiring(Guid.NewGuid(), application, _h.Clock.UtcNow.AddDays(1)));
        await _h.Publish(_h.Offers(Guid.NewGuid(), (application, OfferChangeKind.Expired)));
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Enrolled));
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Rejected, "NOT_ELIGIBLE"));
        await _h.Publish(new AppealAnswered(Guid.NewGuid(), application, AppealKind.Rejection, AppealDecision.Upheld, _h.Clock.UtcNow));

        await _h.Deliver();

        Assert.Equal(Enum.GetValues<NotificationKind>().Order(), (await _h.Messages()).Select(m => m.Kind).Order());
    }

    [Fact]
    public async Task Burst_larger_than_a_batch_drains_in_one_run()
    {
        using var h = new Harness(new Dictionary<string, string?> { ["Notifications:BatchSize"] = "2" });
        for (var i = 0; i < 5; i++)
        {
            await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted));
        }

        // The first batch's recipient lookup (one per batch) fails: its two events wait for the next run, not for this one's next batch.
        h.Directory.FailingLookups = 1;

        Assert.Equal(new DeliveryReport(3, 3, 0, 0), await h.Deliver());
        Assert.All(await h.Messages(), m => Assert.Equal(MessageStatus.Sent, m.Status));
        await using (var db = h.Db())
        {
            Assert.Equal([1, 1], await db.Events.Where(e => e.Status == EventStatus.Pending).Select(e => e.Attempts).ToListAsync());
        }

        Assert.Equal(new DeliveryReport(2, 2, 0, 0), await h.Deliver());
    }

    [Fact]
    public async Task Failed_delivery_is_retried_then_marked_failed()
    {
        var flaky = new Harness.FlakyTransport();
        using var h = new Harness(configure: s => s.AddKeyedSingleton<INotificationTransport>("File", flaky));
        await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted));
        var start = h.Clock.UtcNow;

        Assert.Equal(new DeliveryReport(1, 0, 1, 0), await h.Deliver());
        var message = Assert.Single(await h.Messages());
        Assert.Equal((MessageStatus.Pending, 1, start.AddMinutes(1)), (message.Status, message.Attempts, message.NextAttemptAt));

        h.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(new DeliveryReport(0, 0, 0, 0), await h.Deliver()); // not due yet
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DeliveryReport(0, 0, 1, 0), await h.Deliver());
        Assert.Equal(h.Clock.UtcNow.AddMinutes(2), Assert.Single(await h.Messages()).NextAttemptAt); // the delay doubles

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new DeliveryReport(0, 0, 0, 1), await h.Deliver());
        message = Assert.Single(await h.Messages());
        Assert.Equal((MessageStatus.Failed, 3, "IOException: relay refused #3"), (message.Status, message.Attempts, message.LastError));

        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new DeliveryReport(0, 0, 0, 0), await h.Deliver()); // failed stays failed until requeued
        Assert.Equal(3, flaky.Calls);
    }

    [Fact]
    public async Task Failing_transport_never_loses_a_message()
    {
        var flaky = new Harness.FlakyTransport(failures: 2);
        using var h = new Harness(configure: s => s.AddKeyedSingleton<INotificationTransport>("File", flaky));
        await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Enrolled));

        for (var minute = 0; minute < 5; minute++)
        {
            await h.Deliver();
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var message = Assert.Single(await h.Messages());
        Assert.Equal((MessageStatus.Sent, 3), (message.Status, message.Attempts));
        Assert.Equal([message.Id], flaky.Delivered);
        Assert.Equal("IOException: relay refused #2", message.LastError);
    }

    [Fact]
    public async Task Recipient_lookup_failure_keeps_the_event_until_registry_answers()
    {
        var application = _h.Application(secondary: null, phone: null);
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Submitted));
        _h.Directory.FailingLookups = 2;

        Assert.Equal(0, (await _h.Deliver()).Expanded);
        Assert.Equal(0, (await _h.Deliver()).Expanded);
        await using (var db = _h.Db())
        {
            var e = await db.Events.SingleAsync();
            Assert.Equal((EventStatus.Pending, 2, "registry did not answer"), (e.Status, e.Attempts, e.LastError));
        }

        Assert.Equal(new DeliveryReport(1, 1, 0, 0), await _h.Deliver());
    }

    [Fact]
    public async Task Event_whose_recipient_never_comes_is_marked_failed_after_the_attempts()
    {
        await _h.Publish(_h.StatusChanged(_h.Application(), ApplicationStatus.Submitted));
        _h.Directory.FailingLookups = 20;

        for (var i = 0; i < 4; i++)
        {
            await _h.Deliver();
        }

        await using var db = _h.Db();
        var e = await db.Events.SingleAsync();
        Assert.Equal((EventStatus.Failed, 3), (e.Status, e.Attempts));
        Assert.Empty(await _h.Messages());
    }
}

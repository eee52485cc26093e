using Enrollment.BuildingBlocks.Audit;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Notifications.Tests;

public sealed class AccessTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    private Task<NotificationPage> Search(Enrollment.BuildingBlocks.Security.ICurrentUser user, MessageStatus? status = null, NotificationKind? kind = null) =>
        _h.As(user, db => new SearchNotificationsHandler(db, user, new PersonalDataReads(user)).Handle(new SearchNotifications(status, kind, null, 0, 50), default));

    private Task<IReadOnlyList<NotificationView>> OfApplication(Enrollment.BuildingBlocks.Security.ICurrentUser user, Guid applicationId) =>
        _h.As(user, db => new GetApplicationNotificationsHandler(db, _h.Directory, user, new PersonalDataReads(user)).Handle(new GetApplicationNotifications(applicationId), default));

    [Fact]
    public async Task District_officer_sees_only_own_district_messages()
    {
        var inD1 = _h.Application(secondary: null, phone: null, districts: ["D1"]);
        var inD2 = _h.Application(secondary: null, phone: null, districts: ["D2"]);
        await _h.Publish(_h.StatusChanged(inD1, ApplicationStatus.Submitted));
        await _h.Publish(_h.StatusChanged(inD2, ApplicationStatus.Rejected));
        await _h.Deliver();

        Assert.Equal([inD1], (await Search(Harness.Officer1)).Items.Select(m => m.ApplicationId));
        Assert.Equal([inD2], (await Search(Harness.Officer2)).Items.Select(m => m.ApplicationId));
        Assert.Equal(2, (await Search(Harness.Ministry)).TotalCount);
        Assert.Equal([inD2], (await Search(Harness.Ministry, kind: NotificationKind.Rejected)).Items.Select(m => m.ApplicationId));
        Assert.Equal(0, (await Search(Harness.Ministry, MessageStatus.Failed)).TotalCount);
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => Search(Harness.School1)));
        var id = (await Search(Harness.Officer1)).Items.Single().Id;
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.As(Harness.Officer2, db => new GetNotificationHandler(db, Harness.Officer2, new PersonalDataReads(Harness.Officer2)).Handle(new GetNotification(id), default))));
    }

    [Fact]
    public async Task Parent_sees_notifications_of_own_application_only()
    {
        var application = _h.Application();
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Submitted));
        await _h.Deliver();

        Assert.Equal(3, (await OfApplication(Harness.Parent, application)).Count);
        Assert.Equal(3, (await OfApplication(Harness.School1, application)).Count);
        Assert.Equal(3, (await OfApplication(Harness.Officer1, application)).Count);
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => OfApplication(Harness.OtherParent, application)));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => OfApplication(Harness.Officer2, application)));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => OfApplication(Harness.Parent, Guid.NewGuid())));
    }

    [Fact]
    public async Task Failed_message_is_requeued_by_an_administrator_and_sent_again()
    {
        var flaky = new Harness.FlakyTransport(failures: 3);
        using var h = new Harness(configure: s => s.AddKeyedSingleton<INotificationTransport>("File", flaky));
        await h.Publish(h.StatusChanged(h.Application(secondary: null, phone: null), ApplicationStatus.Submitted));
        for (var i = 0; i < 3; i++)
        {
            await h.Deliver();
            h.Clock.Advance(TimeSpan.FromHours(1));
        }

        var failed = Assert.Single(await h.Messages());
        Assert.Equal(MessageStatus.Failed, failed.Status);
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => h.As(Harness.Officer2, db =>
            new RequeueNotificationHandler(db, Harness.Officer2, h.Clock).Handle(new RequeueNotification(failed.Id), default))));

        var requeued = await h.As(Harness.Officer1, db => new RequeueNotificationHandler(db, Harness.Officer1, h.Clock).Handle(new RequeueNotification(failed.Id), default));
        Assert.Equal((MessageStatus.Pending, 0, "district1"), (requeued.Status, requeued.Attempts, requeued.RequeuedBy));
        Assert.Equal(new DeliveryReport(0, 1, 0, 0), await h.Deliver());
        Assert.Equal("NOTIFICATION_NOT_FAILED", await Harness.Refused(() => h.As(Harness.Ministry, db =>
            new RequeueNotificationHandler(db, Harness.Ministry, h.Clock).Handle(new RequeueNotification(failed.Id), default))));
    }
}

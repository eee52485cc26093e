using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Reporting;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Notifications;

/// <summary>A host that counts as busy from 3 waiting notification events a minute (ADR 0911).</summary>
public sealed class BusyNotificationsFactory : EnrollmentFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Notifications:ReceiptDeferral:BusyEventsPerMinute", "3");
    }
}

/// <summary>ADR 0911 in the real host: submission receipts wait while busy, and the outbox page says how many and why.</summary>
[Collection(HostCollection.Name)]
public sealed class ReceiptDeferralHostTests(BusyNotificationsFactory factory) : IClassFixture<BusyNotificationsFactory>
{
    [Fact]
    public async Task While_busy_the_delivery_job_leaves_submission_receipts_waiting_and_the_outbox_page_shows_how_many()
    {
        var events = new ReportingEvents(factory);
        var campaign = await events.CampaignIdAsync();
        var now = DateTimeOffset.UtcNow; // the test host's clock is the real one
        var receipts = Enumerable.Range(0, 4).Select(i => events.Submitted(campaign, ReportingEvents.Participating[i % ReportingEvents.Participating.Count], now)).ToList();
        await events.PublishAsync(new ApplicationStatusesChanged(receipts));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeliverNotifications())).Expanded);
            var ids = receipts.Select(r => r.Application.ApplicationId).ToList();
            var waiting = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Events
                .CountAsync(e => ids.Contains(e.ApplicationId) && e.Status == EventStatus.Pending);
            Assert.Equal(4, waiting); // left for later, not looked up (these applications have no recipient: looked up, they would be done)
        }

        var ministry = await factory.SignedInAsync("ministry", Tiny.Account(Enrollment.BuildingBlocks.Security.Roles.MinistryAdmin).Password);
        ministry.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru");
        var page = await ministry.GetStringAsync("/admin/notifications");
        Assert.Contains("id=\"held-receipts\"", page, StringComparison.Ordinal);
        Assert.Contains("Ожидают отправки подтверждений о подаче: 4.", page, StringComparison.Ordinal);
    }
}

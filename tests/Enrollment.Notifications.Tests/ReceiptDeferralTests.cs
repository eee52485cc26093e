using Enrollment.Allocation.Contracts;
using Enrollment.Notifications.Domain;
using Enrollment.Registry.Contracts;

namespace Enrollment.Notifications.Tests;

/// <summary>
/// ADR 0911: while the service is busy (here: at least 5 waiting events received in the last minute) submission receipts
/// wait, at most 30 minutes; every other kind is delivered at once.
/// </summary>
public sealed class ReceiptDeferralTests : IDisposable
{
    private readonly Harness _h = new(new Dictionary<string, string?>
    {
        ["Notifications:ReceiptDeferral:BusyEventsPerMinute"] = "5",
        ["Notifications:ReceiptDeferral:MaxDelay"] = "00:30:00",
    });

    public void Dispose() => _h.Dispose();

    private async Task<List<Guid>> SubmitAsync(int count)
    {
        var applications = Enumerable.Range(0, count).Select(_ => _h.Application()).ToList();
        await _h.Publish(new ApplicationStatusesChanged([.. applications.Select(a => _h.StatusChanged(a, ApplicationStatus.Submitted))]));
        return applications;
    }

    private async Task<HashSet<(Guid, NotificationKind)>> SentAsync() =>
        [.. (await _h.Messages()).Where(m => m.Status == MessageStatus.Sent).Select(m => (m.ApplicationId, m.Kind))];

    [Fact]
    public async Task While_busy_receipts_wait_and_an_offer_is_delivered_at_once_then_the_receipts_go_when_the_rush_ends()
    {
        var submitted = await SubmitAsync(6);
        var offered = _h.Application();
        await _h.Publish(_h.Offers(Guid.NewGuid(), (offered, OfferChangeKind.Made)));

        var busy = await _h.Deliver();

        Assert.Equal(1, busy.Expanded);
        Assert.Equal([(offered, NotificationKind.OfferMade)], await SentAsync());
        Assert.Equal(6, (await _h.HeldReceipts()).Held);

        _h.Clock.Advance(TimeSpan.FromMinutes(2)); // nothing new arrived: the rush is over
        Assert.Equal(0, (await _h.HeldReceipts()).Held);
        var calm = await _h.Deliver();

        Assert.Equal(6, calm.Expanded);
        var sent = await SentAsync();
        Assert.All(submitted, a => Assert.Contains((a, NotificationKind.Submitted), sent));
    }

    [Fact]
    public async Task A_receipt_waits_at_most_the_maximum_delay_even_while_the_service_stays_busy()
    {
        var first = await SubmitAsync(6);
        Assert.Equal(0, (await _h.Deliver()).Expanded);

        _h.Clock.Advance(TimeSpan.FromMinutes(20));
        var second = await SubmitAsync(6);
        Assert.Equal(0, (await _h.Deliver()).Expanded);
        Assert.Equal(12, (await _h.HeldReceipts()).Held);

        _h.Clock.Advance(TimeSpan.FromMinutes(11)); // the first six are 31 minutes old, the second 11
        await SubmitAsync(6);
        var report = await _h.Deliver();

        Assert.Equal(6, report.Expanded);
        var sent = await SentAsync();
        Assert.All(first, a => Assert.Contains((a, NotificationKind.Submitted), sent));
        Assert.DoesNotContain(sent, s => second.Contains(s.Item1));
        Assert.Equal(12, (await _h.HeldReceipts()).Held);
    }

    [Fact]
    public async Task Below_the_busy_rate_or_with_deferral_off_receipts_are_delivered_at_once()
    {
        await SubmitAsync(4);
        Assert.Equal(4, (await _h.Deliver()).Expanded);

        using var off = new Harness(new Dictionary<string, string?> { ["Notifications:ReceiptDeferral:BusyEventsPerMinute"] = "0" });
        var applications = Enumerable.Range(0, 20).Select(_ => off.Application()).ToList();
        await off.Publish(new ApplicationStatusesChanged([.. applications.Select(a => off.StatusChanged(a, ApplicationStatus.Submitted))]));
        Assert.Equal(20, (await off.Deliver()).Expanded);
        Assert.Equal(0, (await off.HeldReceipts()).Held);
    }
}

using Enrollment.Notifications.Features.Delivery;

namespace Enrollment.Notifications.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Smtp_and_sms_gateway_modes_need_their_settings()
    {
        Assert.Empty(new NotificationsOptions().Problems()); // the embedded default needs nothing

        var smtp = new NotificationsOptions { Email = EmailTransportMode.Smtp };
        Assert.Single(smtp.Problems());
        smtp.Smtp.Host = "smtp.example.kg";
        smtp.Smtp.From = "noreply@example.kg";
        Assert.Empty(smtp.Problems());

        var sms = new NotificationsOptions { Sms = SmsTransportMode.Http, SmsGateway = { Url = new Uri("ftp://gateway.example.kg/") } };
        Assert.Single(sms.Problems());
        sms.SmsGateway.Url = new Uri("https://gateway.example.kg/api/sms");
        Assert.Empty(sms.Problems());

        Assert.Single(new NotificationsOptions { MaxAttempts = 0 }.Problems());
    }

    [Fact]
    public void Receipt_deferral_needs_a_non_negative_rate_and_a_delay_of_at_most_a_day()
    {
        Assert.Single(new NotificationsOptions { ReceiptDeferral = { BusyEventsPerMinute = -1 } }.Problems());
        Assert.Single(new NotificationsOptions { ReceiptDeferral = { MaxDelay = TimeSpan.FromHours(25) } }.Problems());
        Assert.Empty(new NotificationsOptions { ReceiptDeferral = { BusyEventsPerMinute = 0, MaxDelay = TimeSpan.Zero } }.Problems());
    }
}

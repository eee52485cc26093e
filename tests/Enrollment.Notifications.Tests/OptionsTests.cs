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
}

using Enrollment.Host.Security;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests.Security;

/// <summary>No PIN, phone or e-mail of the demo population reaches any log line.</summary>
[Collection(SecurityCollection.Name)]
public sealed class LogMaskingTests(SecurityFactory factory)
{
    [Theory]
    [InlineData("parent 21503198500123 signed in", "parent **********0123 signed in")]
    [InlineData("call +996 555 123456 now", "call +996*******56 now")]
    [InlineData("mail aigul.sydykova@example.kg!", "mail ***@example.kg!")]
    public void Masking_hides_pins_phones_and_emails(string text, string expected) =>
        Assert.Equal(expected, PersonalData.Mask(text));

    [Fact]
    public void A_disposed_host_logger_factory_hands_out_silent_loggers_instead_of_throwing()
    {
        // Hangfire's process-wide log provider may still point at an earlier, disposed host's factory.
        var capture = new LogCapture();
        var factoryOfDisposedHost = new MaskingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(capture)));
        factoryOfDisposedHost.CreateLogger("before").LogWarning("parent 21503198500123 signed in");
        factoryOfDisposedHost.Dispose();

        var logger = factoryOfDisposedHost.CreateLogger("Hangfire.Client.CoreBackgroundJobFactory");
        logger.LogWarning("after disposal");

        var line = Assert.Single(capture.Lines);
        Assert.Contains("parent **********0123 signed in", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task End_to_end_run_logs_no_demo_pin_phone_or_email()
    {
        var client = factory.CreateClient();
        var parent = SecurityData.ParentsWithoutAccount[2];
        var existing = Tiny.Parents[0];

        // Sign up, sign in, read the children, and fail in the ways that tend to log the input.
        var signUp = await client.PostAsync(SignUpTests.SignUp, new { pin = parent.Pin, p = SecurityData.StrongPassword });
        Assert.True(signUp.Body["errors"] is null, signUp.Body.Pretty());
        var token = await client.LoginAsync(parent.Pin, SecurityData.StrongPassword);
        await client.PostAsync("{ myChildren { pin lastName firstName } }", bearer: token);
        await client.PostAsync("{ myChildren { pin } }", bearer: await client.LoginAsync(existing.UserName, existing.Password));
        for (var i = 0; i < 6; i++)
        {
            await client.PostAsync("mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }",
                new { u = Tiny.Parents[^1].Pin, p = "Wrong-Password-2026!" });
        }

        await client.PostAsync(SignUpTests.SignUp, new { pin = SecurityData.Child.Pin, p = SecurityData.StrongPassword });
        await client.PostAsync("{ myChildren(pin: \"" + existing.Pin + "\") { pin } }", bearer: token);
        await client.GetAsync("/admin/account/login?ReturnUrl=/x/" + existing.Pin);

        var lines = factory.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        var secrets = Tiny.Data.Persons
            .SelectMany(p => new[] { p.Pin, p.Phone, p.Email })
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => s!)
            .ToHashSet(StringComparer.Ordinal);
        var leaks = lines.SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{s} in: {line}")).Take(5).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }
}

using Enrollment.Allocation.Contracts;
using Enrollment.Notifications.Domain;
using Enrollment.Registry.Contracts;

namespace Enrollment.Notifications.Tests;

public sealed class TemplateTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Offer_text_follows_the_recipient_language_with_child_school_language_and_Bishkek_deadline()
    {
        var ky = _h.Application(language: "ky", secondary: null, phone: null);
        var ru = _h.Application(language: "ru", secondary: null, phone: null);
        var uz = _h.Application(language: "uz", secondary: null, phone: null);
        // 2026-04-06 04:00 UTC = 10:00 in Bishkek
        await _h.Publish(new OffersChanged(Guid.NewGuid(), _h.CampaignId,
            [.. new[] { ky, ru, uz }.Select(a => new OfferChangeDto(a, OfferChangeKind.Made, Guid.NewGuid(), "S1", "ky", 1, new DateTimeOffset(2026, 4, 6, 4, 0, 0, TimeSpan.Zero)))],
            _h.Clock.UtcNow));

        await _h.Deliver();

        var messages = (await _h.Messages()).ToDictionary(m => m.ApplicationId);
        Assert.Equal("Айгерим үчүн орун сунушталды", messages[ky].Subject);
        Assert.Equal("Айгерим үчүн биринчи класста орун сунушталды: №5 мектеп-гимназиясы (кыргыз тили). 06.04.2026 10:00 чейин ырастаңыз (Бишкек убактысы), антпесе сунуш күчүн жоготот.",
            messages[ky].Body);
        Assert.Equal("Ребёнку Айгерим предложено место", messages[ru].Subject);
        Assert.Equal("Ребёнку Айгерим предложено место в первом классе: Школа-гимназия №5 (кыргызский). Подтвердите до 06.04.2026 10:00 (время Бишкека), иначе предложение истечёт.",
            messages[ru].Body);
        Assert.Equal("A seat is offered to Айгерим", messages[uz].Subject); // no Uzbek templates: English
        Assert.Contains("confirm it by 06.04.2026 10:00 (Bishkek time)", messages[uz].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sms_names_the_child_by_first_name_and_carries_no_pin_or_surname()
    {
        var application = _h.Application(language: "ru", email: null, secondary: null);
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Submitted));
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.Rejected, "NOT_ELIGIBLE"));
        await _h.Publish(_h.Offers(Guid.NewGuid(), (application, OfferChangeKind.Made)));

        await _h.Deliver();

        var sms = await _h.Messages();
        Assert.Equal(3, sms.Count);
        Assert.All(sms, m =>
        {
            Assert.Equal(NotificationChannel.Sms, m.Channel);
            Assert.Null(m.Subject);
            Assert.Contains("Айгерим", m.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(Harness.Surname, m.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(Harness.Pin, m.Body, StringComparison.Ordinal);
            Assert.True(m.Body.Length <= 160, m.Body);
        });
    }

    [Fact]
    public async Task Correction_deadline_is_the_campaign_correction_days_after_the_change()
    {
        _h.Directory.CorrectionDays = 3;
        var application = _h.Application(language: "ru", secondary: null, phone: null);
        await _h.Publish(_h.StatusChanged(application, ApplicationStatus.NeedsCorrection, "Номер свидетельства о рождении не совпадает"));

        await _h.Deliver();

        // changed 2026-04-01 04:00 UTC → due 2026-04-04 10:00 Bishkek
        Assert.Equal("Заявление (Айгерим) требует исправления: Номер свидетельства о рождении не совпадает. Исправьте его до 04.04.2026 10:00 (время Бишкека), иначе оно будет отменено.",
            Assert.Single(await _h.Messages()).Body);
    }

    [Fact]
    public void Every_kind_has_a_subject_body_and_sms_in_every_language()
    {
        var data = new TemplateData("Айгерим", "мектеп", "школа", "ru", DateTimeOffset.UnixEpoch, "reason", "Upheld", "Rejection");
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var language in new[] { "ky", "ru", "en" })
            {
                var mail = NotificationTemplates.Render(kind, NotificationChannel.Email, language, data);
                var sms = NotificationTemplates.Render(kind, NotificationChannel.Sms, language, data);
                Assert.False(string.IsNullOrWhiteSpace(mail.Subject));
                Assert.DoesNotContain("{", mail.Subject + mail.Body + sms.Body, StringComparison.Ordinal);
                Assert.Contains("Айгерим", mail.Body, StringComparison.Ordinal);
                Assert.Contains("Айгерим", sms.Body, StringComparison.Ordinal);
            }
        }
    }
}

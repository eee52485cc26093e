using System.Globalization;
using Enrollment.BuildingBlocks.Time;
using Enrollment.DemoData;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests.Quotas;

/// <summary>The ministry announces an extra-quota window on the switches page, and reads the roll-up with the eligible children.</summary>
public sealed class SwitchesAndRollupPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    [BrowserFact]
    public async Task Ministry_announces_an_extra_quota_window_and_sees_it_listed()
    {
        var school = Data.Schools.First(s => s.ParticipatesInEnrollment && s.ExpectedFirstGradeSeats > 0);
        var start = Bishkek.ToLocal(DateTimeOffset.UtcNow).Date.AddDays(1).AddHours(10);
        string Local(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);
        await page.GotoAsync("/admin/quotas/switches");
        await page.SelectOptionAsync("#Form_Kind", "ExtraQuotaWindow");
        await page.FillAsync("#Form_StartsAt", Local(start));
        await page.FillAsync("#Form_EndsAt", Local(start.AddDays(2)));
        await page.FillAsync("#Form_SchoolCodes", school.Code);
        await page.FillAsync("#Form_Note", "Приказ 9");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#announce-button"));

        Assert.True(await page.Locator("#switch-message").IsVisibleAsync());
        var row = page.Locator("#switches tbody tr").Filter(new() { HasText = "Приказ 9" });
        Assert.Equal("Окно дополнительной квоты", (await row.Locator("td").First.InnerTextAsync()).Trim());
        Assert.Equal("Объявлен", (await row.Locator(".switch-state").InnerTextAsync()).Trim());
        Assert.Contains(school.Code, await row.InnerTextAsync(), StringComparison.Ordinal);
        session.AssertNoConsoleErrors();
    }

    [BrowserFact]
    public async Task The_roll_up_compares_seats_with_the_eligible_children()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);
        await page.GotoAsync("/admin/quotas/rollup?level=District");

        Assert.True(await page.Locator("#shortfall-hint").IsVisibleAsync());
        var eligible = int.Parse(await page.Locator("#rollup-eligible").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.InRange(eligible, 1, Data.Persons.Count);
        Assert.True(await page.Locator("#rollup tbody tr").CountAsync() >= 2);
        session.AssertNoConsoleErrors();
    }
}

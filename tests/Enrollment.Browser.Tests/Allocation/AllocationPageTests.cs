namespace Enrollment.Browser.Tests.Allocation;

/// <summary>The ministry's allocation page: schedule, run buttons, a dry run recorded in the history, never a server error.</summary>
public sealed class AllocationPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [BrowserFact]
    public async Task Ministry_starts_a_dry_run_and_sees_it_in_the_run_history()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);
        await page.GotoAsync("/admin/allocation");

        Assert.Equal("Распределение мест", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("Пробный расчёт", (await page.Locator("#dry-run").InnerTextAsync()).Trim());
        Assert.Equal("Запустить распределение", (await page.Locator("#run-now").InnerTextAsync()).Trim());

        var response = await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#dry-run"));

        // Whatever the data, the run is answered on the page (outcome, or a typed error) and recorded in the history.
        Assert.Equal(200, response.Status);
        Assert.Equal(1, await page.Locator("#outcome, #errors").CountAsync());
        Assert.True(await page.Locator("#runs tbody tr").CountAsync() >= 1);
        await BrowserHost.ScreenshotAsync(page, "allocation-runs");
        session.AssertNoConsoleErrors();
    }
}

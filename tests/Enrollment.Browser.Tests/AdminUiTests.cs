using System.Net;
using Microsoft.Playwright;
using Snapshooter.Xunit;

namespace Enrollment.Browser.Tests;

/// <summary>Sign-in, the ministry's menu, every module page, the language switch and the Russian text facts.</summary>
public sealed class AdminUiTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly string[] ModuleUrls =
        ["/admin/schools", "/admin/quotas", "/admin/registry", "/admin/allocation", "/admin/reporting", "/admin/appeals", "/admin/notifications", "/admin/users", "/admin/audit", "/admin/jobs", "/graphql/ui"];

    [BrowserFact]
    public async Task Anonymous_admin_request_redirects_to_the_sign_in_page()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;

        var response = await page.GotoAsync("/admin");

        Assert.NotNull(response);
        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        Assert.Equal("/admin/account/login", new Uri(page.Url).AbsolutePath);
        Assert.Contains("ReturnUrl=%2Fadmin", page.Url, StringComparison.OrdinalIgnoreCase);
        Assert.True(await page.Locator("#login-form").IsVisibleAsync());
        Assert.Equal(0, await page.Locator("#admin-menu").CountAsync());
        session.AssertNoConsoleErrors();
    }

    [BrowserFact]
    public async Task Wrong_password_shows_a_validation_message_not_a_server_error()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;

        var response = await BrowserHost.SignInAsync(page, Accounts.Ministry, "Wrong-Password-1!");

        Assert.NotNull(response);
        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        Assert.Equal("/admin/account/login", new Uri(page.Url).AbsolutePath);
        var summary = await page.Locator("#login-form [role=alert]").InnerTextAsync();
        Assert.Contains("Неверное имя пользователя или пароль.", summary, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#admin-menu").CountAsync());

        // Empty fields are caught by model validation, still without a server error.
        await page.FillAsync("#login-form [name=UserName]", "");
        await page.FillAsync("#login-form [name=Password]", "");
        var empty = await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#sign-in"));
        Assert.Equal((int)HttpStatusCode.OK, empty.Status);
        Assert.Contains(await page.Locator("#login-form [role=alert] li").AllInnerTextsAsync(), t => t.Length > 0);
    }

    [BrowserFact]
    public async Task Ministry_signs_in_sees_welcome_and_every_module_then_signs_out()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;

        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);

        Assert.Equal("/admin", new Uri(page.Url).AbsolutePath);
        Assert.Equal("Вы вошли как ministry (Администратор министерства).", await page.Locator("#welcome").InnerTextAsync());
        var menu = await page.Locator("#admin-menu a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(ModuleUrls, menu);
        await BrowserHost.ScreenshotAsync(page, "admin-home");

        var signedOut = await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#sign-out"));

        Assert.Equal((int)HttpStatusCode.OK, signedOut.Status);

        Assert.Equal("/admin/account/login", new Uri(page.Url).AbsolutePath);
        await page.GotoAsync("/admin");
        Assert.Equal("/admin/account/login", new Uri(page.Url).AbsolutePath);
        session.AssertNoConsoleErrors();
    }

    [BrowserFact]
    public async Task Every_module_page_opens_for_the_ministry_without_errors()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);

        foreach (var (url, marker) in new[]
                 {
                     ("/admin/schools", "#schools"), ("/admin/quotas", "#current-stage"), ("/admin/quotas", "#calendar"),
                     ("/admin/registry", "h1"), ("/admin/allocation", "h1"), ("/admin/reporting", "#regions"),
                 })
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Ok, $"{url} answered {response.Status}");
            Assert.True(await page.Locator(marker).First.IsVisibleAsync(), $"{url} shows no {marker}");
        }

        session.AssertNoConsoleErrors();
    }

    [BrowserFact]
    public async Task Language_links_switch_the_heading_and_menu_to_Kyrgyz_Russian_and_English()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);
        await page.GotoAsync("/admin/schools");
        Assert.Equal("Школы", await page.Locator("h1").InnerTextAsync());

        foreach (var (link, expected, lang) in new[] { ("Кыргызча", "Мектептер", "ky"), ("Русский", "Школы", "ru"), ("English", "Schools", "en") })
        {
            await BrowserHost.NavigateByAsync(page, () => page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync());

            Assert.Equal("/admin/schools", new Uri(page.Url).AbsolutePath);
            Assert.Equal(lang, await page.Locator("html").GetAttributeAsync("lang"));
            Assert.Equal(expected, await page.Locator("h1").InnerTextAsync());
            Assert.Equal(expected, await page.Locator("#admin-menu a[href='/admin/schools']").InnerTextAsync());
        }

        // The choice is remembered in the culture cookie, over the browser's Accept-Language (ru).
        await page.GotoAsync("/admin");
        Assert.StartsWith("Signed in as ministry", await page.Locator("#welcome").InnerTextAsync(), StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task Russian_ui_text_facts_match_the_snapshot()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);

        var homeHeading = await page.Locator("h1").InnerTextAsync();
        var menu = await page.Locator("#admin-menu a").AllInnerTextsAsync();
        var languages = await page.Locator("nav a[lang]").AllInnerTextsAsync();
        var signOut = await page.Locator("#sign-out").InnerTextAsync();
        await page.GotoAsync("/admin/schools");
        var schoolHeaders = await page.Locator("#schools thead th").AllInnerTextsAsync();
        var filterLabels = await page.Locator("#school-filter label").AllInnerTextsAsync();
        var languageOptions = await page.Locator("#language option").AllInnerTextsAsync();
        await BrowserHost.ScreenshotAsync(page, "school-list");
        await page.GotoAsync("/admin/reporting");
        var reportHeaders = await page.Locator("#regions thead th").AllInnerTextsAsync();

        new
        {
            HomeHeading = homeHeading,
            Menu = menu,
            Languages = languages,
            SignOut = signOut,
            SchoolTableHeaders = schoolHeaders,
            SchoolFilterLabels = filterLabels,
            LanguageOptions = languageOptions,
            ReportTableHeaders = reportHeaders,
        }.MatchSnapshot();
    }
}

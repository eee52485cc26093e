using System.Net;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests;

/// <summary>The Hangfire dashboard is the ministry's; GraphiQL runs from the host's own assets under its CSP.</summary>
public sealed class AccessAndToolsTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [BrowserFact]
    public async Task School_admin_is_denied_the_jobs_dashboard()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.School, Accounts.SchoolPassword);
        Assert.Equal(0, await page.Locator("#admin-menu a[href='/admin/jobs']").CountAsync());

        var response = await page.GotoAsync("/admin/jobs");

        Assert.Equal((int)HttpStatusCode.Forbidden, response!.Status);
        Assert.Equal("/admin/account/denied", new Uri(page.Url).AbsolutePath);
        Assert.True(await page.Locator("#denied").IsVisibleAsync());
        Assert.Equal(0, await page.GetByText("host:housekeeping").CountAsync());
    }

    [BrowserFact]
    public async Task Ministry_sees_the_jobs_dashboard_with_the_housekeeping_recurring_job()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword);

        var dashboard = await page.GotoAsync("/admin/jobs");
        Assert.Equal((int)HttpStatusCode.OK, dashboard!.Status);
        Assert.Contains("Enrollment — jobs", await page.TitleAsync(), StringComparison.Ordinal);

        var recurring = await page.GotoAsync("/admin/jobs/recurring");
        Assert.Equal((int)HttpStatusCode.OK, recurring!.Status);
        Assert.True(await page.GetByText("host:housekeeping", new() { Exact = true }).First.IsVisibleAsync());
        session.AssertNoConsoleErrors();
    }

    [BrowserFact]
    public async Task GraphiQL_renders_from_local_assets_only_without_console_errors()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;

        var response = await page.GotoAsync("/graphql/ui");
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        await page.Locator(".graphiql-container").WaitForAsync();
        // Let the schema introspection and editors settle before judging requests and console output.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.Locator(".graphiql-container .cm-s-graphiql, .graphiql-container .CodeMirror").First.WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, "graphiql");

        var foreign = session.RequestUrls
            .Select(u => new Uri(u))
            .Where(u => u.Scheme is "http" or "https" or "ws" or "wss")
            .Where(u => u.Authority != host.BaseUri.Authority)
            .Select(u => u.ToString())
            .ToList();
        Assert.Empty(foreign);
        Assert.Contains(session.RequestUrls, u => new Uri(u).AbsolutePath == "/lib/graphiql/graphiql.min.js");
        session.AssertNoConsoleErrors();
    }
}

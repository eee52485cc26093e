using Enrollment.DemoData;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Browser.Tests.Reporting;

/// <summary>The public /open-data page in a real browser: numbers, filters, and the Chart.js chart drawn on its canvas.</summary>
public sealed class OpenDataPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    /// <summary>Submissions on three opening days, published as Registry publishes them after a status change.</summary>
    private async Task PublishApplicationsAsync()
    {
        using var scope = host.Services.CreateScope();
        var campaign = (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetCurrentCampaign()))!.Id;
        var schools = Data.Schools.Where(s => s.ParticipatesInEnrollment).OrderBy(s => s.Code, StringComparer.Ordinal).Take(3).ToList();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublisher>();
        for (var i = 0; i < 9; i++)
        {
            var at = new DateTimeOffset(2026, 4, 1 + i % 3, 4, 30 + i, 0, TimeSpan.Zero);
            var school = schools[i % schools.Count];
            var fact = new ApplicationFactDto(Guid.CreateVersion7(at), campaign, $"browser-{i}", 2019, i % 2 == 0 ? 'F' : 'M', ApplicationStatus.Submitted,
                "StageOne", at, [new ProgramKeyDto(school.Code, school.Languages[0], 1)], null, false, null, at);
            await publisher.Publish(new ApplicationStatusChanged(Guid.CreateVersion7(at), fact, ApplicationStatus.Draft, ApplicationStatus.Submitted, at, "parent", null));
        }
    }

    [BrowserFact]
    public async Task Open_data_page_renders_without_login_with_its_chart_drawn_and_switches_to_Kyrgyz()
    {
        await PublishApplicationsAsync();
        await using var session = await host.OpenAsync();
        var page = session.Page;
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Response += (_, r) =>
        {
            // The browser asks for /favicon.ico on its own; the host has none (not the page's doing).
            if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) errors.Add($"{r.Status} {r.Url}");
        };

        var response = await page.GotoAsync("/open-data");
        Assert.Equal(200, response!.Status);
        Assert.Equal("Открытые данные: приём в первый класс", await page.TitleAsync());
        Assert.Equal("9", await page.Locator("#national [data-measure=applications]").InnerTextAsync());

        // Chart.js drew the three days on the canvas: the script marks it, and the canvas holds non-blank pixels.
        await page.WaitForSelectorAsync("#daily-chart[data-drawn='3']");
        var painted = await page.EvaluateAsync<int>(@"() => {
            const c = document.getElementById('daily-chart');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
            return n; }");
        Assert.True(painted > 500, $"the chart canvas is blank ({painted} painted pixels)");
        Assert.Empty(errors);
        await BrowserHost.ScreenshotAsync(page, "open-data");

        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#languages a[lang=ky]"));
        Assert.Equal("Ачык маалыматтар: биринчи класска кабыл алуу", await page.TitleAsync());
        await page.WaitForSelectorAsync("#daily-chart[data-drawn='3']");
    }

    [BrowserFact]
    public async Task Schools_with_free_seats_filter_by_region_and_language()
    {
        await using var session = await host.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/open-data");
        var region = Data.Regions.OrderBy(r => r.Code, StringComparer.Ordinal).First().Code;
        await page.SelectOptionAsync("#region", region);
        await page.SelectOptionAsync("#language", "ru");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#school-filter button[type=submit]"));

        Assert.Contains($"region={region}", page.Url, StringComparison.Ordinal);
        Assert.Contains("language=ru", page.Url, StringComparison.Ordinal);
        Assert.Equal(region, await page.Locator("#region").InputValueAsync());
        Assert.Equal("ru", await page.Locator("#language").InputValueAsync());
        var rows = await page.Locator("#schools tbody tr").CountAsync() + await page.Locator("#no-schools").CountAsync();
        Assert.True(rows > 0);
    }
}

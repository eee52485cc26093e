using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Time;
using Enrollment.DemoData;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests.Quotas;

/// <summary>One quota submitted by a school in the entry form and approved by the district in the approval queue.</summary>
public sealed class QuotaRoundTripTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    [BrowserFact]
    public async Task School_submits_a_quota_and_the_district_officer_approves_it()
    {
        // The browser host runs on the real clock: open a campaign whose quota entry window covers now.
        await CreateCampaignOpenNowAsync();
        var schoolAccount = Data.Accounts.Single(a => a.UserName == Accounts.School);
        var school = Data.Schools.Single(s => s.Code == schoolAccount.SchoolCode);
        var language = school.Languages[0];

        await using (var session = await host.OpenAsync())
        {
            var page = session.Page;
            await BrowserHost.SignInAsync(page, Accounts.School, Accounts.SchoolPassword);
            await page.GotoAsync("/admin/quotas/entry");
            await page.FillAsync($"#classes-{language}", "2");
            await page.FillAsync($"#seats-{language}", "50");
            await BrowserHost.NavigateByAsync(page, () => page.ClickAsync($"#save-button-{language}"));
            Assert.Equal("Черновик", (await page.Locator($"#row-{language} .quota-status").InnerTextAsync()).Trim());
            await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#submit-button"));
            Assert.True(await page.Locator("#entry-message").IsVisibleAsync());
            Assert.Equal("Отправлено", (await page.Locator($"#row-{language} .quota-status").InnerTextAsync()).Trim());
            session.AssertNoConsoleErrors();
        }

        var officer = Data.Accounts.Single(a => a.UserName == Accounts.District);
        var (approver, password) = officer.DistrictCode == school.DistrictCode
            ? (Accounts.District, Accounts.DistrictPassword)
            : (Accounts.Ministry, Accounts.MinistryPassword);
        await using (var session = await host.OpenAsync())
        {
            var page = session.Page;
            await BrowserHost.SignInAsync(page, approver, password);
            await page.GotoAsync("/admin/quotas/approval");
            await page.CheckAsync($"#pending-{school.Code}-{language} input[name=ids]");
            await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#approve-button"));
            Assert.True(await page.Locator("#nothing-pending").IsVisibleAsync());
            session.AssertNoConsoleErrors();
        }

        await using (var session = await host.OpenAsync())
        {
            var page = session.Page;
            await BrowserHost.SignInAsync(page, Accounts.School, Accounts.SchoolPassword);
            await page.GotoAsync("/admin/quotas/entry");
            Assert.Equal("Утверждено", (await page.Locator($"#row-{language} .quota-status").InnerTextAsync()).Trim());
            await BrowserHost.ScreenshotAsync(page, "quota-approved");
        }
    }

    private async Task CreateCampaignOpenNowAsync()
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        var token = (await PostAsync(http, "mutation { login(userName: \"ministry\", password: \"Demo-Ministry-2026!\") { accessToken } }", null, null))
            ["data"]!["login"]!["accessToken"]!.GetValue<string>();
        var now = DateTimeOffset.UtcNow;
        string At(int days) => Bishkek.ToLocal(now.AddDays(days)).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var created = await PostAsync(http, "mutation($s: CampaignSettingsInput!) { createCampaign(settings: $s) { id } }", new
        {
            s = new
            {
                name = "2027/28", startYear = 2027,
                calendar = new
                {
                    quotaEntryOpensAt = At(-1), quotaEntryClosesAt = At(10), stageOneOpensAt = At(20), stageTwoOpensAt = At(30),
                    mainClosesAt = At(40), lateEnrollmentEndsAt = At(50),
                },
                eligibleBirthFrom = "2020-01-01", eligibleBirthTo = "2021-12-31",
            },
        }, token);
        Assert.True(created["errors"] is null, created.ToJsonString());
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object? variables, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}

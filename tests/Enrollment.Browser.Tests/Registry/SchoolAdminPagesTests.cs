using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Time;
using Enrollment.DemoData;
using Enrollment.Reporting.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using IClock = Enrollment.BuildingBlocks.Time.IClock;

namespace Enrollment.Browser.Tests.Registry;

/// <summary>The browser host on a fake clock in Stage Two of the 2026/27 campaign (day 2), so parents can still apply.</summary>
public sealed class StageTwoBrowserHost : BrowserHost
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 6, 2, 6, 0, 0, TimeSpan.Zero));

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00"); // tokens are issued on the fake clock, checked on the real one
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }

    /// <summary>The class's seed (the parents' applications), made once by whichever test comes first.</summary>
    internal Task<List<StageTwoApplicant>>? Applied { get; set; }
}

/// <summary>A parent's token and the application they submitted.</summary>
public sealed record StageTwoApplicant(string Token, string Id, string ChildLastName);

/// <summary>
/// Issue #5's admin pages in a real browser: the school administrator lists their school's applications with a filter,
/// verifies a priority claim and issues the enrollment order, and sees the result; and (issue #7) the reporting
/// dashboard draws its Chart.js charts from the server's numbers, with no console error and no request off the host.
/// The applications are made the way parents make them (GraphQL over HTTP); the run is the ministry's.
/// </summary>
public sealed class SchoolAdminPagesTests(StageTwoBrowserHost host) : IClassFixture<StageTwoBrowserHost>
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);
    private static readonly DemoAccount School = Data.Accounts.First(a => a.Role == "SchoolAdmin");

    private static async Task<JsonNode> PostAsync(HttpClient http, string query, object? variables = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!;
    }

    private static async Task<string> LoginAsync(HttpClient http, string user, string password) =>
        (await PostAsync(http, "mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }", new { u = user, p = password }))
        ["login"]!["accessToken"]!.GetValue<string>();

    /// <summary>Two demo parents apply in Stage Two for the school admin's school; the first claims a priority category.</summary>
    private async Task<List<StageTwoApplicant>> ApplyAsync(HttpClient http)
    {
        var program = (await PostAsync(http, "query($s: [String!]) { programs(schoolCodes: $s) { language approvedSeats } }", new { s = new[] { School.SchoolCode } }))
            ["programs"]!.AsArray().First(p => p!["approvedSeats"]!.GetValue<int>() > 0)!["language"]!.GetValue<string>();
        var persons = Data.Persons.ToDictionary(p => p.Pin);
        var applicants = new List<StageTwoApplicant>();
        foreach (var parent in Data.Accounts.Where(a => a.Role == "Parent").Take(2))
        {
            var child = Data.ParentLinks.Where(l => l.ParentPin == parent.Pin).Select(l => persons[l.ChildPin])
                .First(c => c.BirthDate >= new DateOnly(2019, 1, 1) && c.BirthDate <= new DateOnly(2020, 12, 31) && c.BirthCertificateNumber is not null);
            var token = await LoginAsync(http, parent.UserName, parent.Password);
            await PostAsync(http, "mutation($c: String!) { createDraft(childPin: $c) { id } }", new { c = child.Pin }, token);
            var submitted = await PostAsync(http, "mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }", new
            {
                input = new
                {
                    childPin = child.Pin, consent = true, priorityCategory = applicants.Count == 0 ? "Disability" : null,
                    contacts = new { phone = "+996 555 123456", email = "parent@example.kg", language = "ru" },
                    choices = new[] { new { schoolCode = School.SchoolCode, language = program } },
                },
            }, token);
            applicants.Add(new StageTwoApplicant(token, submitted["submitApplication"]!["id"]!.GetValue<string>(), child.LastName));
        }

        return applicants;
    }

    [BrowserFact]
    public async Task School_admin_filters_the_list_verifies_a_priority_claim_and_issues_the_enrollment_order_in_the_browser()
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        var applicants = await (host.Applied ??= ApplyAsync(http));
        var (claimant, other) = (applicants[0], applicants[1]);

        await using var session = await host.OpenAsync();
        var page = session.Page;
        Assert.True((await BrowserHost.SignInAsync(page, School.UserName, School.Password)).Ok);
        await page.GotoAsync("/admin/registry/applications");
        Assert.Equal(1, await page.Locator($"#application-{claimant.Id}").CountAsync());
        Assert.Equal(1, await page.Locator($"#application-{other.Id}").CountAsync());

        // Filter: claimed priority only.
        await page.SelectOptionAsync("#priority", "Claimed");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#filter-button"));
        Assert.Contains("priority=Claimed", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator($"#application-{claimant.Id}").CountAsync());
        Assert.Equal(0, await page.Locator($"#application-{other.Id}").CountAsync());

        // Verify the claim from its row.
        var row = page.Locator($"#application-{claimant.Id}");
        await row.Locator("input[name=note]").FillAsync("Справка МСЭК проверена");
        await BrowserHost.NavigateByAsync(page, () => row.Locator("button[name=verified][value=true]").ClickAsync());
        await page.Locator("#applications-message").WaitForAsync();
        var priority = (await PostAsync(http, "query($id: ID!) { application(id: $id) { priorityStatus } }", new { id = claimant.Id }, claimant.Token))
            ["application"]!["priorityStatus"]!.GetValue<string>();
        Assert.Equal("VERIFIED", priority);

        // After the equal-footing window the ministry runs the allocation; both parents confirm their offers.
        host.Clock.Set(new DateTimeOffset(2026, 6, 6, 6, 0, 0, TimeSpan.Zero));
        var ministry = await LoginAsync(http, Accounts.Ministry, Accounts.MinistryPassword);
        Assert.Equal(2, (await PostAsync(http, "mutation { runAllocation(dryRun: false) { run { offers } } }", null, ministry))["runAllocation"]!["run"]!["offers"]!.GetValue<int>());
        foreach (var applicant in applicants)
        {
            var confirmed = await PostAsync(http, "mutation($id: ID!) { confirmOffer(applicationId: $id) { status } }", new { id = applicant.Id }, applicant.Token);
            Assert.Equal("CONFIRMED", confirmed["confirmOffer"]!["status"]!.GetValue<string>());
        }

        // The school lists its confirmed children and enrolls the verified one by its order.
        await page.GotoAsync("/admin/registry/applications");
        await page.SelectOptionAsync("#status", "Confirmed");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#filter-button"));
        Assert.Equal(2, await page.Locator("#applications-table tbody tr").CountAsync());
        await page.Locator($"#application-{claimant.Id} input[name=ids]").CheckAsync();
        await page.FillAsync("#orderNumber", "15-к");
        await page.FillAsync("#orderDate", "2026-06-06");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#enroll-button"));
        await page.Locator("#applications-message").WaitForAsync();
        Assert.Equal(0, await page.Locator("#applications-errors").CountAsync());

        // The result: the enrolled filter shows the child, the confirmed filter only the other one; the parent sees ENROLLED.
        await page.SelectOptionAsync("#status", "Enrolled");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#filter-button"));
        Assert.Equal(1, await page.Locator("#applications-table tbody tr").CountAsync());
        Assert.Contains(claimant.ChildLastName, await page.Locator($"#application-{claimant.Id}").InnerTextAsync(), StringComparison.Ordinal);
        await page.SelectOptionAsync("#status", "Confirmed");
        await BrowserHost.NavigateByAsync(page, () => page.ClickAsync("#filter-button"));
        Assert.Equal(1, await page.Locator($"#application-{other.Id}").CountAsync());
        Assert.Equal(0, await page.Locator($"#application-{claimant.Id}").CountAsync());
        var status = (await PostAsync(http, "query($id: ID!) { application(id: $id) { status enrolledSchoolCode } }", new { id = claimant.Id }, claimant.Token))["application"]!;
        Assert.Equal(("ENROLLED", School.SchoolCode), (status["status"]!.GetValue<string>(), status["enrolledSchoolCode"]!.GetValue<string>()));
        session.AssertNoConsoleErrors();
        await BrowserHost.ScreenshotAsync(page, "school-applications");
    }

    [BrowserFact]
    public async Task Reporting_dashboard_draws_its_charts_from_the_server_numbers_with_local_scripts_only()
    {
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        await (host.Applied ??= ApplyAsync(http));
        await using var session = await host.OpenAsync();
        var page = session.Page;
        Assert.True((await BrowserHost.SignInAsync(page, Accounts.Ministry, Accounts.MinistryPassword)).Ok);
        var response = await page.GotoAsync("/admin/reporting");
        Assert.Equal(200, response!.Status);

        await using var scope = host.Services.CreateAsyncScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var daily = await mediator.Send(new GetOpenDataDaily());
        var national = await mediator.Send(new GetOpenDataSeats(AreaLevel.National));
        var days = daily.Select(d => d.Day).Distinct().Count();
        var languages = national.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(days > 0 && languages.Count > 0);

        foreach (var (canvas, labels) in new[] { ("chart-daily", days), ("chart-languages", languages.Count) })
        {
            await page.WaitForSelectorAsync($"#{canvas}[data-drawn='{labels}']");
        }

        await page.WaitForSelectorAsync("#chart-fill[data-drawn]");
        await page.WaitForSelectorAsync("#chart-seats-vs-eligible[data-drawn]");

        // The chart objects hold the server's numbers, and each canvas has pixels painted on it.
        var chartLanguages = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('chart-languages')).data.labels");
        Assert.Equal(languages, chartLanguages);
        var approved = await page.EvaluateAsync<double[]>("() => Chart.getChart(document.getElementById('chart-languages')).data.datasets[0].data");
        Assert.Equal(languages.Select(l => (double)national.Where(r => r.Language == l).Sum(r => r.ApprovedSeats)), approved);
        var submitted = await page.EvaluateAsync<double>("() => Chart.getChart(document.getElementById('chart-daily')).data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0)");
        Assert.Equal(daily.Sum(d => d.Submitted), (int)submitted);
        foreach (var canvas in new[] { "chart-daily", "chart-languages", "chart-seats-vs-eligible", "chart-fill" })
        {
            var painted = await page.EvaluateAsync<int>(@"(id) => {
                const c = document.getElementById(id);
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
                return n; }", canvas);
            Assert.True(painted > 500, $"{canvas} is blank ({painted} painted pixels)");
        }

        Assert.All(session.RequestUrls.Where(u => u.StartsWith("http", StringComparison.Ordinal)),
            u => Assert.StartsWith(host.BaseUrl, u, StringComparison.Ordinal));
        Assert.Contains(session.RequestUrls, u => u.EndsWith("/lib/chart.js/chart.umd.js", StringComparison.Ordinal));
        session.AssertNoConsoleErrors();
        await BrowserHost.ScreenshotAsync(page, "reporting-dashboard");
    }
}

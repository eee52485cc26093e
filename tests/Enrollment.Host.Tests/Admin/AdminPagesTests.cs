using System.Net;
using Enrollment.DemoData;

namespace Enrollment.Host.Tests.Admin;

[Collection(HostCollection.Name)]
public sealed class AdminPagesTests(EnrollmentFactory factory)
{
    private static readonly DemoDataset Data = DemoDataGenerator.Generate(DemoProfile.Tiny);

    public static TheoryData<string> ModulePages => ["/admin", "/admin/schools", "/admin/quotas", "/admin/registry", "/admin/allocation", "/admin/reporting"];

    [Theory]
    [MemberData(nameof(ModulePages))]
    public async Task Anonymous_visitor_is_sent_to_the_sign_in_page(string path)
    {
        var response = await factory.NewClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModulePages))]
    public async Task Ministry_admin_opens_every_module_page(string path)
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"admin-menu\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_shows_a_validation_message_not_an_error()
    {
        var response = await factory.NewClient().SignInAsync("ministry", "wrong-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(html.Contains("Неверное имя пользователя или пароль.", StringComparison.Ordinal), html);
    }

    [Fact]
    public async Task Parent_accounts_cannot_sign_in_to_the_admin()
    {
        var parent = Data.Accounts.First(a => a.Role == "Parent");
        var response = await factory.NewClient().SignInAsync(parent.UserName, parent.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("validation-summary-errors", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_without_antiforgery_token_is_refused()
    {
        var response = await factory.NewClient().PostAsync("/admin/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "ministry",
            ["Password"] = "Demo-Ministry-2026!",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task School_list_shows_the_seeded_schools_to_the_ministry()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var html = await client.GetStringAsync("/admin/schools");
        foreach (var school in Data.Schools)
        {
            Assert.Contains(school.Code, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task District_officer_sees_only_schools_of_their_district()
    {
        var officer = Data.Accounts.Single(a => a.Role == "DistrictOfficer");
        var client = await factory.SignedInAsync(officer.UserName, officer.Password);
        var html = await client.GetStringAsync("/admin/schools");
        Assert.All(Data.Schools.Where(s => s.DistrictCode == officer.DistrictCode), s => Assert.Contains(s.Code, html, StringComparison.Ordinal));
        Assert.All(Data.Schools.Where(s => s.DistrictCode != officer.DistrictCode), s => Assert.DoesNotContain(s.Code, html, StringComparison.Ordinal));
    }

    [Fact]
    public async Task School_admin_sees_only_their_school()
    {
        var admin = Data.Accounts.Single(a => a.Role == "SchoolAdmin");
        var client = await factory.SignedInAsync(admin.UserName, admin.Password);
        var html = await client.GetStringAsync("/admin/schools");
        Assert.All(Data.Schools, s => Assert.Equal(s.Code == admin.SchoolCode, html.Contains(s.Code, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Analyst_is_refused_the_population_registry_page()
    {
        var client = await factory.SignedInAsync("analyst", "Demo-Analyst-2026!");
        var response = await client.GetAsync("/admin/registry");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/admin/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_dashboard_is_for_the_ministry_only()
    {
        var school = await factory.SignedInAsync("school", "Demo-School-2026!");
        var refused = await school.GetAsync("/admin/jobs");
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, refused.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await factory.NewClient().GetAsync("/admin/jobs")).StatusCode);

        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var dashboard = await ministry.GetAsync("/admin/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains("host:housekeeping", html, StringComparison.Ordinal);
        Assert.Contains("reporting:refresh-open-data", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ky", "Мектептер")]
    [InlineData("ru", "Школы")]
    [InlineData("en", "Schools")]
    public async Task Admin_pages_speak_the_chosen_language(string lang, string schoolsTitle)
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var switched = await client.GetAsync($"/culture?lang={lang}&returnUrl=%2Fadmin%2Fschools");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var html = await client.GetStringAsync("/admin/schools");
        Assert.Contains($"<h1>{schoolsTitle}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Culture_switch_never_redirects_off_site()
    {
        var response = await factory.NewClient().GetAsync("/culture?lang=ru&returnUrl=https%3A%2F%2Fevil.example");
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Admin_pages_carry_security_headers()
    {
        var response = await factory.NewClient().GetAsync("/admin/account/login");
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}

using System.Net;
using Enrollment.Host.Tests.Admin;

namespace Enrollment.Host.Tests.Audit;

[Collection(HostCollection.Name)]
public sealed class AuditPageTests(EnrollmentFactory factory)
{
    [Fact]
    public async Task Ministry_finds_the_seeded_campaign_in_the_audit_page_by_module_and_entity()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var html = await client.GetStringAsync("/admin/audit?module=quotas&entity=Campaign");
        Assert.Contains("id=\"audit-entries\"", html, StringComparison.Ordinal);
        Assert.Contains("2026/27", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"audit-empty\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_by_an_unknown_actor_finds_nothing()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var html = await client.GetStringAsync("/admin/audit?actor=nobody-at-all");
        Assert.Contains("id=\"audit-empty\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("2026/27", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Period_that_ends_before_it_starts_gets_a_validation_message()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        using var response = await client.GetAsync("/admin/audit?from=2026-05-02&to=2026-05-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Конец периода раньше начала.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_verification_from_the_page_reports_an_intact_chain()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var form = await client.GetStringAsync("/admin/audit");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await client.PostAsync("/admin/audit?handler=Verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"chain-result\" class=\"ms-2 text-success\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task District_officer_cannot_open_the_audit_page()
    {
        var client = await factory.SignedInAsync("district", "Demo-District-2026!");
        using var response = await client.GetAsync("/admin/audit");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/admin/account/denied", response.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }
}

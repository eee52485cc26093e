using System.Net;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Enrollment.Host.Tests.Security;

/// <summary>A host with introspection switched off (as production may configure it) and a small complexity budget.</summary>
public sealed class HardenedFactory : SecurityFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["GraphQL:Introspection"] = "false",
        ["GraphQL:MaxComplexity"] = "40",
    };
}

/// <summary>The production rate limits of appsettings.json (not the raised ones of appsettings.Testing.json).</summary>
public sealed class ProductionLimitsFactory : SecurityFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:SignInPerAccount"] = "10",
        ["RateLimits:SignInPerIp"] = "60",
        ["RateLimits:AnonymousGraphQLPerIp"] = "600",
    };
}

/// <summary>The hardening lines of issue 8 that had no test of their own (docs/security.md lists every line and its test).</summary>
public sealed partial class HardeningTests(HardenedFactory factory) : IClassFixture<HardenedFactory>
{
    [Fact]
    public async Task Query_over_the_complexity_budget_is_refused_and_one_within_it_runs()
    {
        var client = factory.CreateClient();

        var (big, body) = await client.PostAsync("{ schools(first: 50) { nodes { code nameRu nameKy districtCode languages } } districts { code nameRu } regions { code nameRu } }");
        var (small, _) = await client.PostAsync("{ regions { code } }");

        Assert.True(big == HttpStatusCode.BadRequest, body.ToJsonString());
        Assert.Contains("complexity", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, small);
    }

    [Fact]
    public async Task Introspection_switched_off_in_configuration_is_refused()
    {
        var (status, body) = await factory.CreateClient().PostAsync("{ __schema { queryType { name } } }");

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Equal("ACCESS_DENIED", body.ErrorCode());
    }

    [Fact]
    public async Task A_school_computer_class_behind_one_NAT_address_is_not_blocked_at_sign_in()
    {
        // 30 pupils' parents sign in from one school IP within the minute: none is rate limited by the production limits.
        using var production = new ProductionLimitsFactory();
        var client = production.CreateClient();
        var limited = 0;
        for (var i = 0; i < 30; i++)
        {
            var (status, body) = await client.PostAsync("mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }",
                new { u = "nat-class-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), p = "Wrong-Passw0rd-2026!" });
            if (status == HttpStatusCode.TooManyRequests || body.ErrorCode() == "RATE_LIMITED")
            {
                limited++;
            }
        }

        Assert.Equal(0, limited);
    }

    [Fact]
    public async Task HSTS_is_sent_over_https_outside_development()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://enrollment.example.kg"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/admin/account/login");

        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_cookie_is_HttpOnly_SameSite_strict_and_Secure_over_https()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://enrollment.example.kg"), AllowAutoRedirect = false, HandleCookies = true });

        var response = await client.SignInAsync("ministry", Tiny.Account("MinistryAdmin").Password);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("enrollment.admin=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
    }

    /// <summary>Every admin page without route parameters, as the ministry sees it.</summary>
    public static TheoryData<string> Pages => [.. AdminPageAccessTableTests.Table.Keys
        .Where(route => !route.Contains('{', StringComparison.Ordinal) && !route.EndsWith("/index", StringComparison.OrdinalIgnoreCase)
            && !route.Contains("Logout", StringComparison.OrdinalIgnoreCase) && !route.Contains("/export", StringComparison.OrdinalIgnoreCase))];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Admin_page_has_no_inline_script_a_strict_CSP_and_an_antiforgery_token_in_every_post_form(string route)
    {
        var client = await factory.SignedInAsync("ministry", Tiny.Account("MinistryAdmin").Password);

        var response = await client.GetAsync(route);
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"{route}: {response.StatusCode}");
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
        {
            return;
        }

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Empty(InlineScript().Matches(html).Select(m => m.Value));
        Assert.Empty(InlineHandler().Matches(html).Select(m => m.Value));
        foreach (Match form in PostForm().Matches(html))
        {
            Assert.Contains("__RequestVerificationToken", form.Value, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<script(?![^>]*(\\bsrc=|type=\"application/json\"))[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\son(click|load|submit|change|input|error|mouseover)\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*>.*?</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex PostForm();
}

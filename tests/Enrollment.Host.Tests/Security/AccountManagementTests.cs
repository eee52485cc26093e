using System.Net;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Security;

/// <summary>The ministry manages staff accounts: create, disable, reset password, sign out everywhere — each audited.</summary>
[Collection(SecurityCollection.Name)]
public sealed class AccountManagementTests(SecurityFactory factory)
{
    private const string Create = """
        mutation($u: String!, $r: String!, $d: String, $s: String) {
          createStaffAccount(userName: $u, displayName: "Test Officer", role: $r, districtCode: $d, schoolCode: $s) {
            userName roles districtCode schoolCode isDisabled
          }
        }
        """;

    private const string Reset = "mutation($u: String!) { resetPassword(userName: $u) { userName oneTimePassword } }";
    private const string Disable = "mutation($u: String!) { disableAccount(userName: $u) { isDisabled } }";
    private const string Enable = "mutation($u: String!) { enableAccount(userName: $u) { isDisabled } }";
    private const string SignOut = "mutation($u: String!) { signOutEverywhere(userName: $u) { userName } }";
    private const string Login = "mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken refreshToken } }";
    private const string Refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";

    private readonly HttpClient _client = factory.CreateClient();

    private static string District => Tiny.Data.Districts[0].Code;

    private async Task<string> MinistryAsync() => await _client.LoginAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);

    private async Task<JsonNode> AsMinistryAsync(string query, object variables)
    {
        var (status, body) = await _client.PostAsync(query, variables, await MinistryAsync());
        Assert.True(status == HttpStatusCode.OK, body.Pretty());
        return body;
    }

    /// <summary>Creates a district officer and returns the one-time password the ministry hands over.</summary>
    private async Task<string> NewOfficerAsync(string userName)
    {
        var created = await AsMinistryAsync(Create, new { u = userName, r = Roles.DistrictOfficer, d = District, s = (string?)null });
        Assert.True(created["errors"] is null, created.Pretty());
        var reset = await AsMinistryAsync(Reset, new { u = userName });
        return reset["data"]!["resetPassword"]!["oneTimePassword"]!.GetValue<string>();
    }

    [Fact]
    public async Task Ministry_creates_a_scoped_staff_account_with_an_existing_district()
    {
        var body = await AsMinistryAsync(Create, new { u = "officer-created", r = Roles.DistrictOfficer, d = District, s = (string?)null });

        var account = body["data"]!["createStaffAccount"]!;
        Assert.Equal(District, account["districtCode"]!.GetValue<string>());
        Assert.False(account["isDisabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("DistrictOfficer", "D9999", null, "INVALID_SCOPE")]
    [InlineData("SchoolAdmin", null, "S-NOPE", "INVALID_SCOPE")]
    [InlineData("SchoolAdmin", null, null, "INVALID_SCOPE")]
    [InlineData("Parent", null, null, "INVALID_ROLE")]
    public async Task Staff_account_with_an_unknown_scope_or_role_is_refused(string role, string? district, string? school, string code)
    {
        var body = await AsMinistryAsync(Create, new { u = "bad-scope-" + role.ToLowerInvariant(), r = role, d = district, s = school });

        Assert.Equal(code, body.ErrorCode());
    }

    [Fact]
    public async Task Reset_password_gives_a_one_time_password_that_signs_in_and_the_previous_one_stops_working()
    {
        var first = await NewOfficerAsync("officer-reset");

        var token = await _client.LoginAsync("officer-reset", first);
        var second = (await AsMinistryAsync(Reset, new { u = "officer-reset" }))["data"]!["resetPassword"]!["oneTimePassword"]!.GetValue<string>();
        var withOld = await _client.PostAsync(Login, new { u = "officer-reset", p = first });

        Assert.False(string.IsNullOrEmpty(token));
        Assert.NotEqual(first, second);
        Assert.True(second.Length >= 12);
        Assert.Equal("INVALID_CREDENTIALS", withOld.Body.ErrorCode());
        Assert.False(string.IsNullOrEmpty(await _client.LoginAsync("officer-reset", second)));
    }

    [Fact]
    public async Task Disabled_account_cannot_log_in_refresh_or_use_the_admin_form_until_enabled()
    {
        var password = await NewOfficerAsync("officer-disabled");
        var pair = (await _client.PostAsync(Login, new { u = "officer-disabled", p = password })).Body["data"]!["login"]!;

        var disabled = await AsMinistryAsync(Disable, new { u = "officer-disabled" });
        var login = await _client.PostAsync(Login, new { u = "officer-disabled", p = password });
        var refresh = await _client.PostAsync(Refresh, new { t = pair["refreshToken"]!.GetValue<string>() });
        var form = await factory.NewClient().SignInAsync("officer-disabled", password);
        await AsMinistryAsync(Enable, new { u = "officer-disabled" });
        var afterEnable = await _client.PostAsync(Login, new { u = "officer-disabled", p = password });

        Assert.True(disabled["data"]!["disableAccount"]!["isDisabled"]!.GetValue<bool>());
        Assert.Equal("INVALID_CREDENTIALS", login.Body.ErrorCode());
        Assert.Equal("INVALID_REFRESH_TOKEN", refresh.Body.ErrorCode());
        Assert.NotEqual(HttpStatusCode.Redirect, form.StatusCode);
        Assert.True(afterEnable.Body["errors"] is null, afterEnable.Body.Pretty());
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_admin_cookie_session_at_the_next_request_and_revokes_refresh_tokens()
    {
        var password = await NewOfficerAsync("officer-signout");
        var browser = await factory.SignedInAsync("officer-signout", password);
        var pair = (await _client.PostAsync(Login, new { u = "officer-signout", p = password })).Body["data"]!["login"]!;
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);

        await AsMinistryAsync(SignOut, new { u = "officer-signout" });
        var page = await browser.GetAsync("/admin");
        var refresh = await _client.PostAsync(Refresh, new { t = pair["refreshToken"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/admin/account/login", page.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("INVALID_REFRESH_TOKEN", refresh.Body.ErrorCode());
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("signOutEverywhere")]
    public async Task Disable_and_sign_out_everywhere_end_the_admin_cookie_at_the_next_request_on_another_host(string action)
    {
        var userName = "officer-cookie-" + action;
        var password = await NewOfficerAsync(userName);
        // A second host over the same database whose Identity interval check would wait an hour: only the per-request
        // stamp check (ADR 0801) can end the cookie there. The change is made through the first host.
        using var other = factory.WithWebHostBuilder(b => b.UseSetting("Auth:SecurityStampValidationInterval", "01:00:00"));
        var browser = await other.SignedInAsync(userName, password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode); // a cached answer, if any, is now warm

        var changed = await AsMinistryAsync(action == "disable" ? Disable : SignOut, new { u = userName });
        Assert.True(changed["errors"] is null, changed.Pretty());
        var page = await browser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/admin/account/login", page.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("school")]
    [InlineData("district")]
    [InlineData("analyst")]
    public async Task Non_ministry_staff_get_403_from_the_account_mutations(string userName)
    {
        var account = Tiny.Data.Accounts.First(a => a.UserName == userName);
        var token = await _client.LoginAsync(account.UserName, account.Password);

        foreach (var query in new[] { Disable, Enable, Reset, SignOut })
        {
            var (status, body) = await _client.PostAsync(query, new { u = "ministry" }, token);
            Assert.True(status == HttpStatusCode.Forbidden, $"{query}: {status} {body.ToJsonString()}");
        }

        var create = await _client.PostAsync(Create, new { u = "sneaky", r = Roles.MinistryAdmin, d = (string?)null, s = (string?)null }, token);
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
    }

    [Fact]
    public async Task Parent_and_anonymous_callers_cannot_reset_a_password()
    {
        var parent = Tiny.Parents[0];
        var token = await _client.LoginAsync(parent.UserName, parent.Password);

        var asParent = await _client.PostAsync(Reset, new { u = "ministry" }, token);
        var anonymous = await _client.PostAsync(Reset, new { u = "ministry" });

        Assert.Equal(HttpStatusCode.Forbidden, asParent.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Fact]
    public async Task Account_changes_are_audited_without_secrets_and_keep_the_hash_chain_intact()
    {
        var password = await NewOfficerAsync("officer-audited");
        await AsMinistryAsync(Disable, new { u = "officer-audited" });
        await AsMinistryAsync(SignOut, new { u = "officer-audited" });

        var body = await AsMinistryAsync("""
            { auditEntries(module: "auth", first: 100) { actorName action entityKey afterJson beforeJson }
              auditChain { firstBrokenEntryId } }
            """, new { });

        var entries = body["data"]!["auditEntries"]!.AsArray().Where(e => e!["afterJson"]!.GetValue<string>().Contains("officer-audited", StringComparison.Ordinal)).ToList();
        var actions = entries.Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("CreateStaffAccount", actions);
        Assert.Contains("ResetPassword", actions);
        Assert.Contains("DisableAccount", actions);
        Assert.Contains("SignOutEverywhere", actions);
        Assert.All(entries, e => Assert.Equal("ministry", e!["actorName"]!.GetValue<string>()));
        var text = string.Join("\n", entries.Select(e => e!.ToJsonString()));
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("PasswordHash", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SecurityStamp", text, StringComparison.Ordinal);
        Assert.Null(body["data"]!["auditChain"]!["firstBrokenEntryId"]);
    }
}

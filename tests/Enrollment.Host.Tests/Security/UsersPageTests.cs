using System.Net;
using System.Text.RegularExpressions;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Security;

/// <summary>/admin/users: the ministry's account page, closed to every other role.</summary>
[Collection(SecurityCollection.Name)]
public sealed partial class UsersPageTests(SecurityFactory factory)
{
    [Theory]
    [InlineData("school")]
    [InlineData("district")]
    [InlineData("analyst")]
    public async Task Non_ministry_staff_get_403_from_admin_users(string userName)
    {
        var account = Tiny.Data.Accounts.First(a => a.UserName == userName);
        var client = await factory.SignedInAsync(account.UserName, account.Password);

        var response = await client.GetAsync("/admin/users");

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("denied", StringComparison.OrdinalIgnoreCase)),
            $"{response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Ministry_creates_an_account_on_the_page_and_the_reset_password_is_shown_once_and_signs_in()
    {
        var client = await factory.SignedInAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);
        var page = await client.GetStringAsync("/admin/users");
        Assert.Contains("ministry", page, StringComparison.Ordinal);

        var created = await PostAsync(client, "Create", new()
        {
            ["NewUserName"] = "page-officer", ["NewDisplayName"] = "Page Officer", ["NewRole"] = Roles.DistrictOfficer,
            ["NewDistrictCode"] = Tiny.Data.Districts[0].Code, ["NewSchoolCode"] = "",
        });
        var reset = await PostAsync(client, "Reset", new() { ["userName"] = "page-officer" });
        var again = await client.GetStringAsync("/admin/users");

        Assert.Contains("page-officer", created, StringComparison.Ordinal);
        var password = WebUtility.HtmlDecode(Otp().Match(reset).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(password), reset);
        Assert.DoesNotContain(password, again, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(await factory.CreateClient().LoginAsync("page-officer", password)));
    }

    private static async Task<string> PostAsync(HttpClient client, string handler, Dictionary<string, string> form)
    {
        var page = await client.GetStringAsync("/admin/users");
        form["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
        var response = await client.PostAsync($"/admin/users?handler={handler}", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<code class=\"fs-5\" id=\"otp\">([^<]+)</code>")]
    private static partial Regex Otp();
}

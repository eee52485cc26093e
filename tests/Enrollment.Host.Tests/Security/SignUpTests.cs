using System.Net;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Security;

/// <summary>Parents sign up with their PIN and a password; the population registry decides who may.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SignUpTests(SecurityFactory factory)
{
    internal const string SignUp = "mutation($pin: String!, $p: String!) { signUp(pin: $pin, password: $p) { accessToken refreshToken } }";

    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("", "PIN_REQUIRED")]
    [InlineData("12345", "PIN_NOT_14_DIGITS")]
    [InlineData("3150319850001A", "PIN_NOT_14_DIGITS")]
    [InlineData("31503198500001", "PIN_BAD_SEX_DIGIT")]
    [InlineData("23113198500001", "PIN_BAD_BIRTH_DATE")]
    public async Task Sign_up_with_a_malformed_pin_is_refused_with_its_pin_code(string pin, string code)
    {
        var (status, body) = await _client.PostAsync(SignUp, new { pin, p = SecurityData.StrongPassword });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(code, body.ErrorCode());
    }

    [Fact]
    public async Task Sign_up_with_a_pin_unknown_to_the_registry_is_NOT_IN_POPULATION_REGISTRY()
    {
        var (_, body) = await _client.PostAsync(SignUp, new { pin = SecurityData.UnknownPin, p = SecurityData.StrongPassword });

        Assert.Equal("NOT_IN_POPULATION_REGISTRY", body.ErrorCode());
    }

    [Fact]
    public async Task Sign_up_by_a_child_is_NOT_AN_ADULT()
    {
        var (_, body) = await _client.PostAsync(SignUp, new { pin = SecurityData.Child.Pin, p = SecurityData.StrongPassword });

        Assert.Equal("NOT_AN_ADULT", body.ErrorCode());
    }

    [Fact]
    public async Task Sign_up_for_a_pin_that_has_an_account_is_ACCOUNT_EXISTS()
    {
        var (_, body) = await _client.PostAsync(SignUp, new { pin = Tiny.Parents[0].Pin, p = SecurityData.StrongPassword });

        Assert.Equal("ACCOUNT_EXISTS", body.ErrorCode());
    }

    [Theory]
    [InlineData("short")]
    [InlineData("alllowercaseletters")]
    [InlineData("NoDigitsOrSymbolsHere")]
    public async Task Sign_up_with_a_weak_password_is_WEAK_PASSWORD_and_creates_nothing(string password)
    {
        var parent = SecurityData.ParentsWithoutAccount[0];

        var (_, body) = await _client.PostAsync(SignUp, new { pin = parent.Pin, p = password });
        var login = await _client.PostAsync("mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }",
            new { u = parent.Pin, p = password });

        Assert.Equal("WEAK_PASSWORD", body.ErrorCode());
        Assert.False(string.IsNullOrWhiteSpace(body["errors"]![0]!["message"]!.GetValue<string>()));
        Assert.Equal("INVALID_CREDENTIALS", login.Body.ErrorCode());
    }

    [Fact]
    public async Task Sign_up_creates_a_parent_who_sees_their_children_and_can_sign_in_again()
    {
        var parent = SecurityData.ParentsWithoutAccount[1];

        var (status, body) = await _client.PostAsync(SignUp, new { pin = parent.Pin, p = SecurityData.StrongPassword });
        Assert.True(status == HttpStatusCode.OK && body["errors"] is null, body.Pretty());
        var token = body["data"]!["signUp"]!["accessToken"]!.GetValue<string>();
        var viewer = (await _client.PostAsync("{ viewer { userName roles } myChildren { pin } }", bearer: token)).Body;
        var again = await _client.LoginAsync(parent.Pin, SecurityData.StrongPassword);
        var twice = await _client.PostAsync(SignUp, new { pin = parent.Pin, p = SecurityData.StrongPassword });

        Assert.Equal(parent.Pin, viewer["data"]!["viewer"]!["userName"]!.GetValue<string>());
        Assert.Equal(["Parent"], viewer["data"]!["viewer"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        var expected = Tiny.Data.ParentLinks.Where(l => l.ParentPin == parent.Pin).Select(l => l.ChildPin).Order().ToList();
        Assert.Equal(expected, viewer["data"]!["myChildren"]!.AsArray().Select(c => c!["pin"]!.GetValue<string>()).Order().ToList());
        Assert.False(string.IsNullOrEmpty(again));
        Assert.Equal("ACCOUNT_EXISTS", twice.Body.ErrorCode());
    }
}

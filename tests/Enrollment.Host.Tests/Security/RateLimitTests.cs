using System.Net;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Security;

/// <summary>Sign-in attempts over the per-account limit get HTTP 429 with RATE_LIMITED and Retry-After.</summary>
public sealed class SignInRateLimitTests(SignInLimitFactory factory) : IClassFixture<SignInLimitFactory>
{
    private const string Login = "mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }";

    [Fact]
    public async Task Login_over_the_per_account_limit_is_429_RATE_LIMITED_with_Retry_After()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var (status, body) = await client.PostAsync(Login, new { u = "analyst", p = "Wrong-Password-2026!" });
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { query = Login, variables = new { u = "analyst", p = "Wrong-Password-2026!" } }),
        };
        request.Headers.Accept.ParseAdd(GraphQLClient.ResponseJson);
        using var response = await client.SendAsync(request);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("RATE_LIMITED", json.ErrorCode());
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
    }

    [Fact]
    public async Task Sign_up_over_the_per_account_limit_is_RATE_LIMITED_while_another_account_still_signs_in()
    {
        var client = factory.CreateClient();
        var pin = SecurityData.UnknownPin;
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsync(SignUpTests.SignUp, new { pin, p = "x" });
        }

        var (status, body) = await client.PostAsync(SignUpTests.SignUp, new { pin, p = "x" });
        var other = await client.LoginAsync("district", Tiny.Account("DistrictOfficer").Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("RATE_LIMITED", body.ErrorCode());
        Assert.False(string.IsNullOrEmpty(other));
    }

    [Fact]
    public async Task Admin_sign_in_form_over_the_per_account_limit_is_429()
    {
        var client = factory.NewClient();
        for (var i = 0; i < 3; i++)
        {
            await client.SignInAsync("school", "Wrong-Password-2026!");
        }

        var response = await client.SignInAsync("school", "Wrong-Password-2026!");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
    }
}

/// <summary>Anonymous /graphql requests over the per-IP limit get 429 in the GraphQL error shape.</summary>
public sealed class AnonymousRateLimitTests(AnonymousLimitFactory factory) : IClassFixture<AnonymousLimitFactory>
{
    [Fact]
    public async Task Anonymous_graphql_requests_over_the_per_ip_limit_are_429_RATE_LIMITED()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var (status, _) = await client.PostAsync("{ __typename }");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { query = "{ __typename }" }),
        };
        using var response = await client.SendAsync(request);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("RATE_LIMITED", json.ErrorCode());
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
    }
}

/// <summary>Signed-in callers are limited per account (submits, retries, proof uploads), each account on its own.</summary>
public sealed class AccountRateLimitTests(AccountLimitFactory factory) : IClassFixture<AccountLimitFactory>
{
    [Fact]
    public async Task Signed_in_account_over_its_limit_is_429_RATE_LIMITED_while_another_account_behind_the_same_address_goes_on()
    {
        var client = factory.CreateClient();
        var analyst = await client.LoginAsync("analyst", Tiny.Account("Analyst").Password);
        var district = await client.LoginAsync("district", Tiny.Account("DistrictOfficer").Password);
        for (var i = 0; i < 5; i++)
        {
            var (status, _) = await client.PostAsync("{ viewer { userName } }", null, analyst);
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var (limited, body) = await client.PostAsync("{ viewer { userName } }", null, analyst);
        var (other, _) = await client.PostAsync("{ viewer { userName } }", null, district);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/registry/proofs?kind=Priority");
        upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", analyst);
        upload.Content = new MultipartFormDataContent { { new ByteArrayContent([.. "%PDF-1.7"u8]), "file", "a.pdf" } };
        using var uploadResponse = await client.SendAsync(upload);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Equal("RATE_LIMITED", body.ErrorCode());
        Assert.Equal(HttpStatusCode.OK, other);
        Assert.Equal(HttpStatusCode.TooManyRequests, uploadResponse.StatusCode);
    }
}

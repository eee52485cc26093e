using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Auth;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Enrollment.Host.Tests.Auth;

/// <summary>Sign-in, bearer tokens, refresh-token rotation, lockout, and the 401/403 refusals of the GraphQL endpoint.</summary>
[Collection(HostCollection.Name)]
public sealed class TokenTests(EnrollmentFactory factory)
{
    private const string Login = """
        mutation($u: String!, $p: String!) {
          login(userName: $u, password: $p) { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt }
        }
        """;

    private const string Refresh = """
        mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }
        """;

    private const string Viewer = "{ viewer { userName roles districtCode schoolCode } }";

    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("school", "Wrong-Password-2026!")]
    [InlineData("nobody-here", "Demo-School-2026!")]
    public async Task Login_with_wrong_credentials_is_INVALID_CREDENTIALS(string userName, string password)
    {
        var reply = await _client.QueryAsync(Login, new { u = userName, p = password });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("INVALID_CREDENTIALS", reply.Code);
        Assert.Null(reply.Json["data"]?["login"]);
    }

    [Fact]
    public async Task Login_returns_an_access_token_and_a_refresh_token()
    {
        var before = DateTimeOffset.UtcNow;

        var reply = await _client.QueryAsync(Login, new { u = "ministry", p = Tiny.Account("MinistryAdmin").Password });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Json["errors"]);
        var pair = reply.Json["data"]!["login"]!;
        var access = pair["accessToken"]!.GetValue<string>();
        Assert.Equal(3, access.Split('.').Length);
        Assert.False(string.IsNullOrWhiteSpace(pair["refreshToken"]!.GetValue<string>()));
        var accessExpires = DateTimeOffset.Parse(pair["accessTokenExpiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var refreshExpires = DateTimeOffset.Parse(pair["refreshTokenExpiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accessExpires > before && accessExpires < before.AddHours(2), $"{accessExpires}");
        Assert.True(refreshExpires > accessExpires);
        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(access);
        Assert.Equal("enrollment", jwt.Issuer);
        Assert.Contains("enrollment-api", jwt.Audiences);
    }

    [Fact]
    public async Task Bearer_token_gives_the_viewer_roles_and_scope()
    {
        var district = Tiny.Account(Roles.DistrictOfficer);
        var school = Tiny.Account(Roles.SchoolAdmin);
        var parent = Tiny.Parents[0];

        var asDistrict = (await _client.QueryAsync(Viewer, bearer: await _client.LoginAsync(district.UserName, district.Password))).Json["data"]!["viewer"]!;
        var asSchool = (await _client.QueryAsync(Viewer, bearer: await _client.LoginAsync(school.UserName, school.Password))).Json["data"]!["viewer"]!;
        var asParent = (await _client.QueryAsync(Viewer, bearer: await _client.LoginAsync(parent.UserName, parent.Password))).Json["data"]!["viewer"]!;
        var anonymous = await _client.QueryAsync(Viewer);

        Assert.Equal("district", asDistrict["userName"]!.GetValue<string>());
        Assert.Equal([Roles.DistrictOfficer], asDistrict["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(district.DistrictCode, asDistrict["districtCode"]!.GetValue<string>());
        Assert.Equal("D0701", asDistrict["districtCode"]!.GetValue<string>());
        Assert.Null(asDistrict["schoolCode"]);
        Assert.Equal([Roles.SchoolAdmin], asSchool["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(school.SchoolCode, asSchool["schoolCode"]!.GetValue<string>());
        Assert.Equal(parent.Pin, asParent["userName"]!.GetValue<string>());
        Assert.Equal([Roles.Parent], asParent["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        Assert.Null(anonymous.Json["data"]!["viewer"]);
    }

    [Theory]
    [InlineData("{ myChildren { pin } }")]
    [InlineData("{ allocationRuns { id } }")]
    public async Task Protected_field_anonymously_is_401_UNAUTHENTICATED(string query)
    {
        var reply = await _client.QueryAsync(query);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(GraphQLClient.ResponseJson, reply.MediaType);
        Assert.Equal("UNAUTHENTICATED", reply.Code);
        Assert.False(reply.HasData);
    }

    [Fact]
    public async Task Protected_field_with_the_wrong_role_is_403_ACCESS_DENIED()
    {
        var token = await _client.LoginAsync("district", Tiny.Account(Roles.DistrictOfficer).Password);

        var reply = await _client.QueryAsync("{ allocationRuns { id } }", bearer: token);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(GraphQLClient.ResponseJson, reply.MediaType);
        Assert.Equal("ACCESS_DENIED", reply.Code);
        Assert.False(reply.HasData);
    }

    [Fact]
    public async Task Refusals_are_200_with_the_code_for_application_json()
    {
        var token = await _client.LoginAsync("district", Tiny.Account(Roles.DistrictOfficer).Password);

        var anonymous = await _client.QueryAsync("{ allocationRuns { id } }", accept: RawHttp.Json);
        var wrongRole = await _client.QueryAsync("{ allocationRuns { id } }", bearer: token, accept: RawHttp.Json);

        Assert.Equal(HttpStatusCode.OK, anonymous.Status);
        Assert.Equal(RawHttp.Json, anonymous.MediaType);
        Assert.Equal("UNAUTHENTICATED", anonymous.Code);
        Assert.False(anonymous.HasData);
        Assert.Equal(HttpStatusCode.OK, wrongRole.Status);
        Assert.Equal("ACCESS_DENIED", wrongRole.Code);
        Assert.False(wrongRole.HasData);
    }

    [Fact]
    public async Task Refresh_token_works_once()
    {
        var pair = (await _client.QueryAsync(Login, new { u = "analyst", p = Tiny.Account(Roles.Analyst).Password })).Json["data"]!["login"]!;
        var refresh = pair["refreshToken"]!.GetValue<string>();

        var first = await _client.QueryAsync(Refresh, new { t = refresh });
        var second = await _client.QueryAsync(Refresh, new { t = refresh });
        var unknown = await _client.QueryAsync(Refresh, new { t = "not-a-token" });

        Assert.Null(first.Json["errors"]);
        var rotated = first.Json["data"]!["refreshToken"]!;
        Assert.NotEqual(refresh, rotated["refreshToken"]!.GetValue<string>());
        var viewer = await _client.QueryAsync(Viewer, bearer: rotated["accessToken"]!.GetValue<string>());
        Assert.Equal("analyst", viewer.Json["data"]!["viewer"]!["userName"]!.GetValue<string>());
        Assert.Equal("INVALID_REFRESH_TOKEN", second.Code);
        Assert.Equal("INVALID_REFRESH_TOKEN", unknown.Code);

        // The rotated token is itself single use, and still good after the old one was refused.
        var third = await _client.QueryAsync(Refresh, new { t = rotated["refreshToken"]!.GetValue<string>() });
        Assert.Null(third.Json["errors"]);
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account()
    {
        // A dedicated account, so the shared demo accounts stay usable for the other tests.
        var userName = "lockout-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "Lockout-Test-2026!";
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = userName, DisplayName = userName, CreatedAt = DateTimeOffset.UtcNow };
            var created = await users.CreateAsync(user, password);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, Roles.Analyst)).Succeeded);
        }

        Assert.Equal(userName, (await _client.QueryAsync(Viewer, bearer: await _client.LoginAsync(userName, password)))
            .Json["data"]!["viewer"]!["userName"]!.GetValue<string>());

        var codes = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await _client.QueryAsync(Login, new { u = userName, p = "Wrong-Password-2026!" })).Code);
        }

        var withRightPassword = await _client.QueryAsync(Login, new { u = userName, p = password });

        Assert.Equal(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "ACCOUNT_LOCKED"], codes);
        Assert.Equal("ACCOUNT_LOCKED", withRightPassword.Code);
        Assert.Null(withRightPassword.Json["data"]?["login"]);
    }

    [Fact]
    public async Task Token_signed_with_the_server_key_is_accepted()
    {
        // Control for the two refusals below: the same hand-made token, valid, is accepted.
        // Tokens carry the account's security stamp (ADR 0801): the hand-made token names a real ministry account.
        string subject, stamp;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var ministry = (await users.GetUsersInRoleAsync(Roles.MinistryAdmin)).OrderBy(u => u.UserName, StringComparer.Ordinal).First();
            (subject, stamp) = (ministry.Id, ministry.SecurityStamp ?? "");
        }

        var token = Sign(ServerKey(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10), subject, stamp);

        var reply = await _client.QueryAsync("{ allocationRuns { id } viewer { userName } }", bearer: token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Json["errors"]);
        Assert.Equal("forged-ministry", reply.Json["data"]!["viewer"]!["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_rejected()
    {
        var token = Sign(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));

        var protectedField = await _client.QueryAsync("{ allocationRuns { id } }", bearer: token);
        var viewer = await _client.QueryAsync(Viewer, bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, protectedField.Status);
        Assert.Equal("UNAUTHENTICATED", protectedField.Code);
        Assert.Null(viewer.Json["data"]!["viewer"]);
    }

    [Fact]
    public async Task Expired_token_is_rejected()
    {
        var token = Sign(ServerKey(), DateTime.UtcNow.AddMinutes(-30), DateTime.UtcNow.AddMinutes(-5));

        var protectedField = await _client.QueryAsync("{ allocationRuns { id } }", bearer: token);
        var viewer = await _client.QueryAsync(Viewer, bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, protectedField.Status);
        Assert.Equal("UNAUTHENTICATED", protectedField.Code);
        Assert.Null(viewer.Json["data"]!["viewer"]);
    }

    [Fact]
    public async Task Garbage_bearer_token_is_rejected()
    {
        var reply = await _client.QueryAsync("{ allocationRuns { id } }", bearer: "not.a.jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("UNAUTHENTICATED", reply.Code);
    }

    /// <summary>The development/test signing key the host keeps beside its data (Auth:SigningKey is not set in tests).</summary>
    private SymmetricSecurityKey ServerKey() =>
        new(Convert.FromBase64String(File.ReadAllText(Path.Combine(factory.DataDirectory, "signing.key")).Trim()));

    private static string Sign(SecurityKey key, DateTime notBefore, DateTime expires, string subject = "forged", string stamp = "forged")
    {
        Claim[] claims =
        [
            new(JwtRegisteredClaimNames.Sub, subject),
            new(ClaimTypes.Name, "forged-ministry"),
            new(ClaimTypes.Role, Roles.MinistryAdmin),
            new(TokenStampValidator.StampClaim, stamp),
        ];
        var token = new JwtSecurityToken("enrollment", "enrollment-api", claims, notBefore, expires,
            new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}

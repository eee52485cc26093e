using System.Net;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Auth;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// Bearer tokens carry the account's security stamp, checked on every request: disabling the account, resetting its
/// password or signing it out everywhere ends the tokens issued before at once, on this host and (through the shared
/// database, after the short stamp cache) on every other host.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class TokenRevocationTests(SecurityFactory factory)
{
    private const string Create = """
        mutation($u: String!) { createStaffAccount(userName: $u, displayName: "Token Officer", role: "DistrictOfficer", districtCode: $d) { userName } }
        """;

    private const string Probe = "{ viewer { userName } quotas { schoolCode } }";

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> MinistryAsync() => await _client.LoginAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);

    private async Task<JsonNode> AsMinistryAsync(string query, object variables)
    {
        var (status, body) = await _client.PostAsync(query, variables, await MinistryAsync());
        Assert.True(status == HttpStatusCode.OK && body["errors"] is null, body.Pretty());
        return body["data"]!;
    }

    /// <summary>A new district officer, signed in: returns the password and a bearer token that works.</summary>
    private async Task<(string Password, string Token)> OfficerAsync(string userName)
    {
        await AsMinistryAsync(Create.Replace("$d", "\"" + Tiny.Data.Districts[0].Code + "\"", StringComparison.Ordinal), new { u = userName });
        var password = (await AsMinistryAsync("mutation($u: String!) { resetPassword(userName: $u) { oneTimePassword } }", new { u = userName }))
            ["resetPassword"]!["oneTimePassword"]!.GetValue<string>();
        var token = await _client.LoginAsync(userName, password);
        var (status, body) = await _client.PostAsync(Probe, bearer: token);
        Assert.True(status == HttpStatusCode.OK && body["errors"] is null, body.Pretty());
        return (password, token);
    }

    private async Task AssertRevokedAsync(HttpClient client, string token)
    {
        var (status, body) = await client.PostAsync(Probe, bearer: token);
        Assert.True(status == HttpStatusCode.Unauthorized, $"{status} {body.ToJsonString()}");
        Assert.Equal("UNAUTHENTICATED", body.ErrorCode());
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_bearer_token_at_once_and_enabling_does_not_revive_it()
    {
        var (password, token) = await OfficerAsync("token-disabled");

        await AsMinistryAsync("mutation($u: String!) { disableAccount(userName: $u) { isDisabled } }", new { u = "token-disabled" });
        await AssertRevokedAsync(_client, token);

        await AsMinistryAsync("mutation($u: String!) { enableAccount(userName: $u) { isDisabled } }", new { u = "token-disabled" });
        await AssertRevokedAsync(_client, token);
        var fresh = await _client.LoginAsync("token-disabled", password);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync(Probe, bearer: fresh)).Status);
    }

    [Fact]
    public async Task Resetting_the_password_ends_the_bearer_tokens_issued_before_at_once()
    {
        var (_, token) = await OfficerAsync("token-reset");

        var reset = await AsMinistryAsync("mutation($u: String!) { resetPassword(userName: $u) { oneTimePassword } }", new { u = "token-reset" });

        await AssertRevokedAsync(_client, token);
        var fresh = await _client.LoginAsync("token-reset", reset["resetPassword"]!["oneTimePassword"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync(Probe, bearer: fresh)).Status);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_the_bearer_tokens_at_once_for_staff_and_parents()
    {
        var (password, token) = await OfficerAsync("token-signout");
        var parent = Tiny.Parents[1];
        var parentToken = await _client.LoginAsync(parent.UserName, parent.Password);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("{ myChildren { pin } }", bearer: parentToken)).Status);

        await AsMinistryAsync("mutation($u: String!) { signOutEverywhere(userName: $u) { userName } }", new { u = "token-signout" });
        await AsMinistryAsync("mutation($u: String!) { signOutEverywhere(userName: $u) { userName } }", new { u = parent.UserName });

        await AssertRevokedAsync(_client, token);
        var (status, body) = await _client.PostAsync("{ myChildren { pin } }", bearer: parentToken);
        Assert.True(status == HttpStatusCode.Unauthorized, body.ToJsonString());
        var fresh = await _client.LoginAsync("token-signout", password);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync(Probe, bearer: fresh)).Status);
    }

    [Fact]
    public async Task Another_host_on_the_same_database_refuses_the_token_once_its_short_stamp_cache_expires()
    {
        var (_, token) = await OfficerAsync("token-other-host");
        // A second host process over the same database and signing key, with its own (1 s) stamp cache.
        using var other = factory.WithWebHostBuilder(b => b.UseSetting("Auth:TokenStampCacheDuration", "00:00:01"));
        var otherClient = other.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await otherClient.PostAsync(Probe, bearer: token)).Status); // now cached there

        await AsMinistryAsync("mutation($u: String!) { disableAccount(userName: $u) { isDisabled } }", new { u = "token-other-host" });
        await AssertRevokedAsync(_client, token);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await AssertRevokedAsync(otherClient, token);
    }

    [Fact]
    public async Task The_stamp_feed_vouches_for_unchanged_accounts_and_stops_within_its_interval_after_a_change_made_on_another_host()
    {
        var clock = factory.Services.GetRequiredService<IClock>();
        var options = new AuthOptions { TokenStampCacheDuration = TimeSpan.FromMilliseconds(200), AccessTokenLifetime = TimeSpan.FromMinutes(15) };
        using var feed = new TokenStampFeed(factory.Services.GetRequiredService<IServiceScopeFactory>(), clock, options, NullLogger<TokenStampFeed>.Instance);
        var (changed, untouched) = ("feed-changed", "feed-untouched");
        foreach (var name in new[] { changed, untouched })
        {
            await AsMinistryAsync(Create.Replace("$d", "\"" + Tiny.Data.Districts[0].Code + "\"", StringComparison.Ordinal), new { u = name });
        }

        string changedId, untouchedId;
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            (changedId, untouchedId) = ((await users.FindByNameAsync(changed))!.Id, (await users.FindByNameAsync(untouched))!.Id);
        }

        var issued = clock.UtcNow;
        Assert.True(await feed.VouchesForAsync(changedId, issued, default));
        Assert.False(await feed.VouchesForAsync(untouchedId, issued - options.AccessTokenLifetime - TimeSpan.FromMinutes(1), default)); // older than the feed's window

        // Another host signs the account out everywhere: not through this feed, only through the shared table.
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.UpdateSecurityStampAsync((await users.FindByNameAsync(changed))!)).Succeeded);
            var row = await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == changedId);
            Assert.NotNull(row.StampChangedAt);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(400));

        Assert.False(await feed.VouchesForAsync(changedId, issued, default)); // its earlier tokens are checked against the account again
        Assert.True(await feed.VouchesForAsync(changedId, clock.UtcNow + TokenStampFeed.Margin + TimeSpan.FromSeconds(1), default)); // tokens issued well after carry the new stamp
        Assert.True(await feed.VouchesForAsync(untouchedId, issued, default));
        feed.Changed(untouchedId); // a change made on this host is known at once
        Assert.False(await feed.VouchesForAsync(untouchedId, issued, default));
    }

    [Fact]
    public async Task A_parent_signing_in_does_not_count_as_a_stamp_change_so_the_feed_can_vouch_for_the_token()
    {
        var parent = Tiny.Parents[0];
        var token = await _client.LoginAsync(parent.UserName, parent.Password);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("{ myChildren { pin } }", bearer: token)).Status);

        using var scope = factory.Services.CreateScope();
        var row = await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.AsNoTracking().SingleAsync(u => u.UserName == parent.UserName);
        Assert.Null(row.StampChangedAt);
    }
}

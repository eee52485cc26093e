using System.Net;
using Enrollment.BuildingBlocks.Time;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Auth;

/// <summary>A host whose clock the test moves (campaign mornings, offer deadlines, token expiry).</summary>
public sealed class FakeClockFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IClock>(Clock));
    }
}

[Collection(HostCollection.Name)]
public sealed class TokenClockTests
{
    [Fact]
    public async Task Bearer_tokens_live_and_expire_on_the_injectable_clock()
    {
        using var factory = new FakeClockFactory();
        var client = factory.CreateClient();
        var token = await client.LoginAsync("ministry", "Demo-Ministry-2026!");

        var (fresh, _) = await client.PostAsync("{ allocationRuns { id } }", bearer: token);
        Assert.Equal(HttpStatusCode.OK, fresh);

        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        var (expired, body) = await client.PostAsync("{ allocationRuns { id } }", bearer: token);
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        Assert.Equal("UNAUTHENTICATED", body.ErrorCode());
    }
}

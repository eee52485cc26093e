using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Enrollment.Host.Security;

namespace Enrollment.Host.Tests.Security;

/// <summary>A monotonic clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    public long Now { get; set; } = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Now;

    public void Advance(TimeSpan by) => Now += by.Ticks;
}

public sealed class LazyFixedWindowLimiterTests
{
    [Fact]
    public void The_window_admits_its_limit_then_refuses_with_the_time_left_until_it_ends()
    {
        var time = new ManualTime();
        var limiter = new LazyFixedWindowLimiter(3, TimeSpan.FromMinutes(1), time);

        var admitted = Enumerable.Range(0, 3).Select(_ => { time.Advance(TimeSpan.FromSeconds(5)); return limiter.AttemptAcquire().IsAcquired; }).ToList();
        using var refused = limiter.AttemptAcquire();

        Assert.Equal([true, true, true], admitted);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(50), retryAfter); // the window began at the first request, 10 s ago
        Assert.Equal((0, 3L, 1L), (limiter.GetStatistics()!.CurrentAvailablePermits, limiter.GetStatistics()!.TotalSuccessfulLeases, limiter.GetStatistics()!.TotalFailedLeases));
    }

    [Fact]
    public void The_first_request_after_the_window_ended_starts_a_new_window_without_anything_running_in_between()
    {
        var time = new ManualTime();
        var limiter = new LazyFixedWindowLimiter(2, TimeSpan.FromMinutes(1), time);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(limiter.AttemptAcquire().IsAcquired);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void An_account_window_in_use_is_never_idle_so_the_partitioned_limiter_cannot_drop_its_count()
    {
        var time = new ManualTime();
        var limiter = new LazyFixedWindowLimiter(5, TimeSpan.FromMinutes(1), time);
        limiter.AttemptAcquire().Dispose();

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(limiter.IdleDuration);

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(TimeSpan.FromSeconds(30), limiter.IdleDuration);
        Assert.Equal(5, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void Asking_for_zero_permits_tells_whether_any_is_left_and_more_than_the_limit_is_an_error()
    {
        var limiter = new LazyFixedWindowLimiter(1, TimeSpan.FromMinutes(1), new ManualTime());
        Assert.True(limiter.AttemptAcquire(0).IsAcquired);
        Assert.True(limiter.AttemptAcquire(1).IsAcquired);
        Assert.False(limiter.AttemptAcquire(0).IsAcquired);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(2));
    }

    [Fact]
    public async Task Waiting_for_a_permit_is_refused_at_once_as_there_is_no_queue()
    {
        var limiter = new LazyFixedWindowLimiter(1, TimeSpan.FromMinutes(1), new ManualTime());
        Assert.True((await limiter.AcquireAsync()).IsAcquired);
        Assert.False((await limiter.AcquireAsync()).IsAcquired);
    }
}

public sealed class ClientWindowsTests
{
    private static Microsoft.AspNetCore.Http.DefaultHttpContext Request(string? account, string ip = "10.0.0.1", bool limited = true)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(ip);
        if (account is not null)
        {
            http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, account)], "Bearer"));
        }

        var metadata = limited ? new Microsoft.AspNetCore.Http.EndpointMetadataCollection(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(RateLimits.AnonymousGraphQLPolicy))
            : new Microsoft.AspNetCore.Http.EndpointMetadataCollection();
        http.SetEndpoint(new Microsoft.AspNetCore.Http.Endpoint(_ => Task.CompletedTask, metadata, "test"));
        return http;
    }

    [Fact]
    public void Each_signed_in_account_has_its_own_window_and_endpoints_without_the_api_policy_are_not_limited()
    {
        var time = new ManualTime();
        using var windows = new ClientWindows(new RateLimitOptions { SignedInPerAccount = 2, Window = TimeSpan.FromMinutes(1) }, time);

        Assert.True(windows.AttemptAcquire(Request("parent-1")).IsAcquired);
        Assert.True(windows.AttemptAcquire(Request("parent-1")).IsAcquired);
        var refused = windows.AttemptAcquire(Request("parent-1"));
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retry) && retry == TimeSpan.FromMinutes(1));
        Assert.True(windows.AttemptAcquire(Request("parent-2")).IsAcquired); // same address, another account
        Assert.True(windows.AttemptAcquire(Request("parent-1", limited: false)).IsAcquired); // e.g. an admin page
        Assert.Equal(2, windows.Count);
    }

    [Fact]
    public void Ended_windows_are_forgotten_once_a_window_has_passed_and_an_account_in_its_window_keeps_its_count()
    {
        var time = new ManualTime();
        using var windows = new ClientWindows(new RateLimitOptions { SignedInPerAccount = 2, AnonymousGraphQLPerIp = 5, Window = TimeSpan.FromMinutes(1) }, time);
        foreach (var parent in Enumerable.Range(1, 50))
        {
            Assert.True(windows.AttemptAcquire(Request($"parent-{parent}")).IsAcquired);
        }

        Assert.True(windows.AttemptAcquire(Request(null, "10.0.0.9")).IsAcquired);
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(windows.AttemptAcquire(Request("busy")).IsAcquired);
        Assert.True(windows.AttemptAcquire(Request("busy")).IsAcquired);
        Assert.Equal(52, windows.Count); // nothing visits the windows between requests

        time.Advance(TimeSpan.FromSeconds(15)); // a minute since the last sweep: the 51 first windows have ended
        Assert.False(windows.AttemptAcquire(Request("busy")).IsAcquired); // its window (from second 50) still counts

        Assert.Equal(1, windows.Count);
    }
}

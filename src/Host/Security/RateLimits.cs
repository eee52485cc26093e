using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Enrollment.BuildingBlocks.Errors;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.RateLimiting;

namespace Enrollment.Host.Security;

/// <summary>Configuration section <c>RateLimits</c> (docs/security.md). Windows are one minute.</summary>
internal sealed class RateLimitOptions
{
    /// <summary>Sign-in, sign-up and refresh attempts per account (user name, PIN or refresh token) per window.</summary>
    public int SignInPerAccount { get; set; } = 10;

    /// <summary>Sign-in, sign-up and refresh attempts per client IP per window: a NAT'd class of 30 signing in twice fits.</summary>
    public int SignInPerIp { get; set; } = 60;

    /// <summary>Anonymous /graphql requests per client IP per window.</summary>
    public int AnonymousGraphQLPerIp { get; set; } = 600;

    /// <summary>
    /// API requests (GraphQL, proof files) per signed-in account per window — submits, retries and uploads of one parent
    /// or one staff account. Each account has its own window, so a school computer class behind one NAT address is not
    /// limited as a whole.
    /// </summary>
    public int SignedInPerAccount { get; set; } = 300;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The request was refused by a rate limit; the endpoint answers HTTP 429 with Retry-After.</summary>
internal sealed class RateLimited(TimeSpan retryAfter)
    : RuleViolation(RateLimits.Code, "Too many attempts; wait a minute and try again.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Per-IP and per-account fixed windows for sign-in, sign-up and refresh (GraphQL mutations and the admin sign-in
/// form). An attempt must pass both; the account key is hashed in memory only, never logged.
/// </summary>
internal sealed class SignInRateLimiter(RateLimitOptions options) : IDisposable
{
    public const string RetryAfterItem = "enrollment:retry-after";

    private readonly ConcurrentDictionary<string, LazyFixedWindowLimiter> _limiters = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="RateLimited"/> (and marks the response for 429) when the IP or the account is over its limit.</summary>
    public void Check(HttpContext? http, string? account)
    {
        if (http is null)
        {
            return;
        }

        var ip = "ip:" + RateLimits.ClientIp(http);
        var key = "acct:" + (account ?? "").Trim().ToUpperInvariant();
        using var byIp = Get(ip, options.SignInPerIp).AttemptAcquire();
        if (!byIp.IsAcquired)
        {
            Refuse(http, byIp);
        }

        using var byAccount = Get(key, options.SignInPerAccount).AttemptAcquire();
        if (!byAccount.IsAcquired)
        {
            Refuse(http, byAccount);
        }
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private void Refuse(HttpContext http, RateLimitLease lease)
    {
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.Window;
        http.Items[RetryAfterItem] = retry;
        throw new RateLimited(retry);
    }

    private LazyFixedWindowLimiter Get(string key, int permits)
    {
        if (_limiters.Count > 100_000)
        {
            // Many distinct keys: forget the windows that have ended (a new one is the same state); after a flood of
            // distinct keys, start afresh rather than grow without bound.
            foreach (var (ended, _) in _limiters.Where(l => l.Value.IdleDuration is not null))
            {
                _limiters.TryRemove(ended, out _);
            }

            if (_limiters.Count > 100_000)
            {
                _limiters.Clear();
            }
        }

        return _limiters.GetOrAdd(key, _ => new LazyFixedWindowLimiter(permits, options.Window));
    }
}

internal static class RateLimits
{
    public const string Code = "RATE_LIMITED";
    public const string AnonymousGraphQLPolicy = Enrollment.BuildingBlocks.Security.RateLimitPolicies.Api;

    public static IServiceCollection AddEnrollmentRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new RateLimitOptions();
        configuration.GetSection("RateLimits").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<SignInRateLimiter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // The API policy's windows (per account, per anonymous address) are kept by ClientWindows, the global limiter,
            // which limits only the endpoints that name this policy; the policy itself admits everything. Registered as
            // the policy's partitions, every window was visited ten times a second by the framework's heartbeat (ADR 0808).
            o.AddPolicy(AnonymousGraphQLPolicy, _ => RateLimitPartition.GetNoLimiter("api"));
            o.GlobalLimiter = new ClientWindows(options);
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.Window;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                SetRetryAfter(http, retry);
                http.Response.ContentType = "application/json; charset=utf-8";
                var result = new ExecutionResult { Executed = false };
                result.AddError(new ExecutionError("Too many requests; wait a minute and try again.") { Code = Code });
                await http.RequestServices.GetRequiredService<IGraphQLTextSerializer>().WriteAsync(http.Response.Body, result, ct);
            };
        });
        return services;
    }

    public static void SetRetryAfter(HttpContext http, TimeSpan retry) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The signed-in account (token subject or cookie user id); never logged.</summary>
    internal static string AccountKey(HttpContext http) =>
        http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
        ?? http.User.FindFirst("sub")?.Value
        ?? http.User.Identity?.Name
        ?? "unknown";

    /// <summary>The client address as the server sees it (behind a reverse proxy, configure forwarded headers).</summary>
    public static string ClientIp(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>
/// The API policy's fixed windows (<see cref="Enrollment.BuildingBlocks.Security.RateLimitPolicies.Api"/>: GraphQL, proof files): one per signed-in account
/// (<see cref="RateLimitOptions.SignedInPerAccount"/>) or anonymous address (<see cref="RateLimitOptions.AnonymousGraphQLPerIp"/>),
/// each a <see cref="LazyFixedWindowLimiter"/> that resets itself on use. Endpoints without the policy are not limited here.
/// Windows that have ended are forgotten by a sweep at most once per window, made by the request that finds it due — the
/// framework's partitioned limiter visited every window ten times a second instead (≈ 2.5 % of the host's CPU on the opening
/// morning, with one window per parent active in the last minute; ADR 0808).
/// </summary>
internal sealed class ClientWindows : PartitionedRateLimiter<HttpContext>
{
    private static readonly RateLimiter Unlimited = new NoLimiter();
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, LazyFixedWindowLimiter> _windows = new(StringComparer.Ordinal);
    private long _lastSweep;

    public ClientWindows(RateLimitOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _lastSweep = _time.GetTimestamp();
    }

    /// <summary>Windows kept now (ended ones until the next sweep).</summary>
    internal int Count => _windows.Count;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => For(resource).GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) => For(resource).AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        For(resource).AcquireAsync(permitCount, cancellationToken);

    private RateLimiter For(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName != RateLimits.AnonymousGraphQLPolicy)
        {
            return Unlimited;
        }

        SweepIfDue();
        var (key, permits) = http.User.Identity?.IsAuthenticated == true
            ? ("user:" + RateLimits.AccountKey(http), _options.SignedInPerAccount)
            : ("ip:" + RateLimits.ClientIp(http), _options.AnonymousGraphQLPerIp);
        return _windows.GetOrAdd(key, static (_, a) => new LazyFixedWindowLimiter(a.Permits, a.Window, a.Time), (Permits: permits, _options.Window, Time: _time));
    }

    /// <summary>
    /// Once per window: drops the windows that have ended (a new one made on the next request is the same state). A window
    /// taken by a request during the sweep may be dropped with it; the next request starts a fresh window — at most one
    /// window's permits more for that client, never fewer.
    /// </summary>
    private void SweepIfDue()
    {
        var last = Volatile.Read(ref _lastSweep);
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(last, now) < _options.Window || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (window.IdleDuration is not null)
            {
                _windows.TryRemove(new KeyValuePair<string, LazyFixedWindowLimiter>(key, window));
            }
        }
    }

    private sealed class NoLimiter : RateLimiter
    {
        private static readonly RateLimitLease Acquired = new AcquiredLease();

        public override TimeSpan? IdleDuration => null;

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => Acquired;

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => ValueTask.FromResult(Acquired);

        private sealed class AcquiredLease : RateLimitLease
        {
            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => [];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }
        }
    }
}

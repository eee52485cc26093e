using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace Enrollment.Host.Security;

/// <summary>
/// A fixed window of <c>limit</c> permits per <c>window</c> that starts at the first request and is reset by the first
/// request after it ended — nothing runs between requests. The framework's <see cref="FixedWindowRateLimiter"/> is
/// replenished from outside: inside a partitioned limiter (one per account) a heartbeat visits every account's window
/// ten times a second, a cost that grew with the parents active in the last minute (≈ 3 % of the host's CPU on the
/// opening morning); on its own it runs a timer per window. No queue: a request over the limit is refused at once with
/// its retry-after. Once its window has ended the limiter reports itself idle, so the partitioned limiter drops it and a
/// new one is made on the account's next request (the same state: a fresh window).
/// </summary>
internal sealed class LazyFixedWindowLimiter(int limit, TimeSpan window, TimeProvider? time = null) : RateLimiter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly int _limit = Math.Max(1, limit);
    private readonly object _lock = new();
    private long _windowStart = long.MinValue;
    private int _used;
    private long _successful;
    private long _failed;

    public override TimeSpan? IdleDuration
    {
        get
        {
            var start = Volatile.Read(ref _windowStart);
            if (start == long.MinValue)
            {
                return TimeSpan.Zero;
            }

            var sinceEnd = _time.GetElapsedTime(start) - window;
            return sinceEnd >= TimeSpan.Zero ? sinceEnd : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            var used = Ended(_time.GetTimestamp()) ? 0 : _used;
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _limit - used, CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful, TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (Ended(now))
            {
                _windowStart = now;
                _used = 0;
            }

            if (_used + permitCount <= _limit && (permitCount > 0 || _used < _limit))
            {
                _used += permitCount;
                _successful++;
                return Lease.Acquired;
            }

            _failed++;
            var retryAfter = window - _time.GetElapsedTime(_windowStart, now);
            return new Lease(false, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.Zero);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<RateLimitLease>(cancellationToken)
            : ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private bool Ended(long now) => _windowStart == long.MinValue || _time.GetElapsedTime(_windowStart, now) >= window;

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = after;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}

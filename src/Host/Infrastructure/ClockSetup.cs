using System.Globalization;
using Enrollment.BuildingBlocks.Time;

namespace Enrollment.Host.Infrastructure;

/// <summary>
/// The host's clock. Outside Production a benchmark or a demo may shift it: <c>Clock:Now</c> (an instant, e.g.
/// <c>2026-04-01T09:00:00+06:00</c>: "now" starts there and keeps running) or <c>Clock:Offset</c> (a time span added to
/// the system clock, e.g. <c>-240.00:00:00</c>). Production ignores both and refuses to start with them set.
/// In the Testing environment <c>Testing:ClockFile</c> (process tests, see <see cref="TestingClock"/>) takes precedence.
/// This is the one place that decides the host's clock.
/// </summary>
internal static class ClockSetup
{
    public static IClock Create(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsEnvironment("Testing") && configuration["Testing:ClockFile"] is { Length: > 0 } clockFile)
        {
            return new TestingClock(clockFile);
        }

        var now = configuration["Clock:Now"];
        var offset = configuration["Clock:Offset"];
        if (string.IsNullOrWhiteSpace(now) && string.IsNullOrWhiteSpace(offset))
        {
            return new SystemClock();
        }

        if (environment.IsProduction())
        {
            throw new InvalidOperationException("Clock:Now and Clock:Offset are for benchmarks and demos only; remove them in Production.");
        }

        if (!string.IsNullOrWhiteSpace(now))
        {
            if (!DateTimeOffset.TryParse(now, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
            {
                throw new InvalidOperationException($"Clock:Now '{now}' is not an instant (e.g. 2026-04-01T09:00:00+06:00).");
            }

            return new ShiftedClock(start - DateTimeOffset.UtcNow);
        }

        return TimeSpan.TryParse(offset, CultureInfo.InvariantCulture, out var by)
            ? new ShiftedClock(by)
            : throw new InvalidOperationException($"Clock:Offset '{offset}' is not a time span (e.g. -240.00:00:00).");
    }
}

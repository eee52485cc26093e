namespace Enrollment.BuildingBlocks.Time;

/// <summary>The one source of "now". Store and compare UTC; convert to Asia/Bishkek only for people.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

public sealed class SystemClock : IClock
{
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}

/// <summary>
/// The system clock moved by a fixed offset (benchmarks and demos on a non-Production host: <c>Clock:Now</c> /
/// <c>Clock:Offset</c>, docs/operations.md). Time keeps running from the shifted start.
/// </summary>
public sealed class ShiftedClock(TimeSpan offset) : IClock
{
    public TimeSpan Offset { get; } = offset;

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + Offset;
}

/// <summary>A clock that tests move by hand.</summary>
public sealed class FakeClock(DateTimeOffset start) : IClock
{
    private DateTimeOffset _now = start.ToUniversalTime();
    private readonly Lock _gate = new();

    public DateTimeOffset UtcNow { get { lock (_gate) { return _now; } } }

    public void Set(DateTimeOffset instant) { lock (_gate) { _now = instant.ToUniversalTime(); } }

    public void Advance(TimeSpan by) { lock (_gate) { _now += by; } }
}

/// <summary>Campaign instants are Asia/Bishkek wall-clock times (UTC+6, no daylight saving since 2005).</summary>
public static class Bishkek
{
    public static readonly TimeZoneInfo Zone = FindZone();

    public static DateTimeOffset ToUtc(DateTime localWallClock)
    {
        var unspecified = DateTime.SpecifyKind(localWallClock, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Bishkek");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Bishkek", TimeSpan.FromHours(6), "Asia/Bishkek", "KGT");
        }
    }
}

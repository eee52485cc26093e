using Enrollment.BuildingBlocks.Time;

namespace Enrollment.Host.Infrastructure;

/// <summary>
/// Testing environment only (<c>Testing:ClockFile</c>): "now" is the UTC instant written in the file plus the real time
/// elapsed since the file was last written. Process-level tests (tests/Enrollment.Process.Tests) use it to put separately
/// started hosts into a campaign stage and to move every running host's clock at once (rewrite the file). The file is
/// re-read at most every 100 ms. Never registered outside the Testing environment.
/// </summary>
internal sealed class TestingClock(string path) : IClock
{
    private readonly Lock _gate = new();
    private DateTimeOffset _base;
    private DateTime _written;
    private DateTime _readAt = DateTime.MinValue;

    public DateTimeOffset UtcNow
    {
        get
        {
            var real = DateTime.UtcNow;
            lock (_gate)
            {
                if (real - _readAt > TimeSpan.FromMilliseconds(100))
                {
                    Read();
                    _readAt = real;
                }

                return _base + (real - _written);
            }
        }
    }

    private void Read()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var written = File.GetLastWriteTimeUtc(path);
                var text = File.ReadAllText(path).Trim();
                _base = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
                _written = written;
                return;
            }
            catch (Exception error) when ((error is IOException or FormatException) && attempt < 5 && _written != default)
            {
                Thread.Sleep(10); // being rewritten; keep the last value after a few tries
                if (attempt == 4)
                {
                    return;
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests;

/// <summary>
/// The last exceptions the test hosts of this process logged (Warning and above): a response with
/// <c>INTERNAL_ERROR</c> says only "the incident was logged", so a failing assertion that prints such a body
/// (<see cref="GraphQLClient.Pretty"/>) prints these with it — an intermittent failure in CI then names its cause.
/// </summary>
public static class HostIncidents
{
    private const int Kept = 20;

    private static readonly ConcurrentQueue<string> Recent = new();

    public static ILoggerProvider Provider { get; } = new IncidentProvider();

    /// <summary>The kept incidents, oldest first, each with its time, category and exception.</summary>
    public static string Describe() =>
        Recent.IsEmpty ? "(the test hosts logged no exception)" : string.Join(Environment.NewLine + "---" + Environment.NewLine, Recent);

    private static void Add(string incident)
    {
        Recent.Enqueue(incident);
        while (Recent.Count > Kept && Recent.TryDequeue(out _))
        {
        }
    }

    private sealed class IncidentProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null && IsEnabled(logLevel))
            {
                Add(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{Environment.NewLine}{exception}"));
            }
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>Records the messages of the loggers whose category ends with one of the given names (the module's event listeners).</summary>
public sealed class LogCapture(ConcurrentQueue<string> log, params string[] categories) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, log, categories);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> log, string[] categories) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (categories.Any(c => category.EndsWith(c, StringComparison.Ordinal)))
            {
                log.Enqueue(exception is null ? formatter(state, exception) : $"{formatter(state, exception)} {exception}");
            }
        }
    }
}

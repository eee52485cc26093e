using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Enrollment.Host.Security;

/// <summary>
/// Masks personal data in text written to logs: 14-digit PINs (all but the last 4 digits), Kyrgyz phone numbers
/// (+996…, all but the last 2 digits) and e-mail addresses (the local part). See docs/security.md.
/// </summary>
internal static partial class PersonalData
{
    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        text = EmailPattern().Replace(text, m => "***@" + m.Groups["domain"].Value);
        text = PhonePattern().Replace(text, m => "+996*******" + m.Value[^2..]);
        return PinPattern().Replace(text, m => MaskPin(m.Value));
    }

    /// <summary>A PIN with all but its last 4 digits replaced by <c>*</c>.</summary>
    public static string MaskPin(string pin) => pin.Length <= 4 ? new string('*', pin.Length) : new string('*', pin.Length - 4) + pin[^4..];

    [GeneratedRegex(@"(?<!\d)\d{14}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PinPattern();

    [GeneratedRegex(@"\+\s*996(?:[\s\-().]*\d){9}", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@(?<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}

/// <summary>Wraps the logger factory so every logger of every provider masks personal data in messages, values and exceptions.</summary>
/// <remarks>
/// Once disposed it hands out loggers that drop their messages instead of throwing: Hangfire keeps one process-wide
/// log provider (its <c>GlobalConfiguration</c>, set from the last host built in the process), so in a process that
/// builds several hosts one after another (the test suites) a live host's Hangfire client may ask an already disposed
/// host's factory for a logger — that must not fail the live host's job.
/// </remarks>
internal sealed class MaskingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private volatile bool _disposed;

    public ILogger CreateLogger(string categoryName)
    {
        if (_disposed)
        {
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }

        try
        {
            return new MaskingLogger(inner.CreateLogger(categoryName));
        }
        catch (ObjectDisposedException)
        {
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        _disposed = true;
        inner.Dispose();
    }

    public static void Register(IServiceCollection services)
    {
        services.RemoveAll<ILoggerFactory>();
        services.AddSingleton<ILoggerFactory>(sp => new MaskingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
    }
}

internal sealed class MaskingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = PersonalData.Mask(formatter(state, exception));
        var values = new List<KeyValuePair<string, object?>>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                values.Add(new(key, value switch
                {
                    null => null,
                    string s => PersonalData.Mask(s),
                    bool or byte or short or int or DateTime or DateTimeOffset or TimeSpan or double or float or decimal or Guid or Enum => value,
                    _ => PersonalData.Mask(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
                }));
            }
        }

        var masked = exception is null ? null : new MaskedException(exception);
        inner.Log(logLevel, eventId, new MaskedState(message, values), masked, static (s, _) => s.Message);
    }

    private sealed class MaskedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}

/// <summary>An exception as logs see it: the original's type, message and stack trace with personal data masked.</summary>
internal sealed class MaskedException(Exception original) : Exception(PersonalData.Mask(original.Message))
{
    private readonly string _text = PersonalData.Mask(original.ToString());

    public string OriginalType { get; } = original.GetType().FullName ?? original.GetType().Name;

    public override string? StackTrace => PersonalData.Mask(original.StackTrace);

    public override string ToString() => _text;
}

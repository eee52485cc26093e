using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// A host for the security tests: Identity re-validating admin cookies every second (the stamp itself is checked on every request, ADR 0801),
/// and every log line of every category at Information and above captured for the personal-data scan.
/// </summary>
public class SecurityFactory : EnrollmentFactory
{
    public LogCapture Logs { get; } = new();

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth:SecurityStampValidationInterval"] = "00:00:01",
        ["Logging:LogLevel:Default"] = "Information",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}

/// <summary>Sign-in limits small enough to reach in a test: 3 attempts per account, 1000 per IP.</summary>
public sealed class SignInLimitFactory : SecurityFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:SignInPerAccount"] = "3",
        ["RateLimits:SignInPerIp"] = "1000",
        ["RateLimits:AnonymousGraphQLPerIp"] = "1000",
    };
}

/// <summary>An anonymous /graphql limit of 5 requests per IP per minute.</summary>
public sealed class AnonymousLimitFactory : SecurityFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:AnonymousGraphQLPerIp"] = "5",
    };
}

/// <summary>A signed-in account may make 5 API requests per minute.</summary>
public sealed class AccountLimitFactory : SecurityFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:SignedInPerAccount"] = "5",
    };
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SecurityCollection : ICollectionFixture<SecurityFactory>
{
    public const string Name = "security";
}

/// <summary>Keeps every formatted log line, with its exception, as the providers would write it.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            capture.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

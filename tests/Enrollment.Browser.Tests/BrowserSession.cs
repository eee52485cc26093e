using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests;

/// <summary>One browser context and its page, recording every request and console message the page makes.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<IConsoleMessage> _console = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();

    public BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Request += (_, request) => _requests.Enqueue(request.Url);
        page.Console += (_, message) => _console.Enqueue(message);
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
    }

    public IPage Page { get; }

    public IReadOnlyList<string> RequestUrls => [.. _requests];

    /// <summary>
    /// Console errors and uncaught page errors. Chromium's own probe for /favicon.ico (the app has none) is left out:
    /// no page asks for it.
    /// </summary>
    public IReadOnlyList<string> ConsoleErrors =>
    [
        .. _console
            .Where(m => m.Type == "error" && !m.Location.StartsWith(new Uri(Page.Url).GetLeftPart(UriPartial.Authority) + "/favicon.ico", StringComparison.Ordinal))
            .Select(m => $"{m.Location}: {m.Text}"),
        .. _pageErrors,
    ];

    /// <summary>Fails with every console error in full (xunit would cut each one short).</summary>
    public void AssertNoConsoleErrors()
    {
        var errors = ConsoleErrors;
        Assert.True(errors.Count == 0, "Console errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    public ValueTask DisposeAsync() => new(_context.CloseAsync());
}

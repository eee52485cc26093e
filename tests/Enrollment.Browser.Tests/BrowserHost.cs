using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Enrollment.Browser.Tests;

/// <summary>
/// The real host on Kestrel (dynamic port) over a fresh SQLite database seeded with the tiny demo profile, plus one
/// headless Debian chromium. One per test class; each test opens its own browser context (own cookies).
/// </summary>
public class BrowserHost : IAsyncLifetime, IAsyncDisposable
{
    private HostFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl { get; private set; } = "";

    public Uri BaseUri => new(BaseUrl);

    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser did not start.");

    /// <summary>The host's services (e.g. to publish a Contracts event the way a module would).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The host did not start.");

    public async Task InitializeAsync()
    {
        if (Chromium.ShouldSkip)
        {
            return; // every test of the class is skipped by [BrowserFact]
        }

        var executable = Chromium.ExecutablePath
            ?? throw new InvalidOperationException($"CI=true but {Chromium.SkipReason}.");

        _factory = new HostFactory(ConfigureHost);
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        // Warm the cold host (Razor page compilation, the first database reads) before the browser's first wait.
        using (var warmUp = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromMinutes(1) })
        {
            (await warmUp.GetAsync("/admin/account/login")).EnsureSuccessStatusCode();
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--disable-gpu", "--disable-sync"],
        });
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    public async Task DisposeAsync()
    {
        var (browser, playwright, factory) = (_browser, _playwright, _factory);
        (_browser, _playwright, _factory) = (null, null, null);
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return new(DisposeAsync());
    }

    /// <summary>A derived host's extra settings and test services (e.g. a fake clock), applied after the defaults.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder builder)
    {
    }

    /// <summary>A page in a fresh context; the browser asks for Russian like most users here (the default culture).</summary>
    public async Task<BrowserSession> OpenAsync(string locale = "ru-RU")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    private const float NavigationTimeout = 45_000;

    public static async Task<IResponse> SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/admin/account/login", new PageGotoOptions { Timeout = NavigationTimeout });
        await page.FillAsync("#login-form [name=UserName]", userName);
        await page.FillAsync("#login-form [name=Password]", password);
        return await NavigateByAsync(page, () => page.ClickAsync("#sign-in"));
    }

    /// <summary>
    /// Runs an action that navigates the main frame (a click on a link or submit button) and returns the final,
    /// non-redirect document response once the new page has loaded.
    /// </summary>
    public static async Task<IResponse> NavigateByAsync(IPage page, Func<Task> action)
    {
        // A generous wait: the first admin page of a cold host (Razor compilation, JIT, the 2-core CI machine busy
        // with other suites) once took longer than the 15 s default; a broken page still fails on its assertions.
        var response = await page.RunAndWaitForResponseAsync(action, r =>
            r.Request.IsNavigationRequest && r.Frame == page.MainFrame && r.Status is < 300 or >= 400,
            new PageRunAndWaitForResponseOptions { Timeout = NavigationTimeout });
        await WaitForLoadAsync(page);
        return response;
    }

    /// <summary>
    /// The new document's load. Playwright's wait for the load event has twice missed an event that had fired (CI logs:
    /// "NetworkIdle event fired", then a 45 s timeout — the page had loaded long before). After 10 s without the event
    /// the document's own <c>readyState</c> decides (by then the navigation has long been committed, so it is the new
    /// document's); a page that really does not load still fails after the full timeout.
    /// </summary>
    private static async Task WaitForLoadAsync(IPage page)
    {
        const float first = 10_000;
        try
        {
            await page.WaitForLoadStateAsync(LoadState.Load, new PageWaitForLoadStateOptions { Timeout = first });
        }
        catch (TimeoutException)
        {
            await page.WaitForFunctionAsync("() => document.readyState === 'complete'", null,
                new PageWaitForFunctionOptions { Timeout = NavigationTimeout - first });
        }
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    private sealed class HostFactory(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "enrollment-browser-tests", Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            Directory.CreateDirectory(_dataDirectory);
            builder.UseEnvironment("Testing");
            builder.UseSetting("Database:DataDirectory", _dataDirectory);
            builder.UseSetting("DemoData:Profile", "Tiny");
            builder.UseSetting("Reporting:OpenData:MaxAge", "00:00:00"); // open data read right after changes (ADR 0912)
            builder.UseSetting("Jobs:Server", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            configure(builder);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                try
                {
                    Directory.Delete(_dataDirectory, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}

/// <summary>The demo accounts of the tiny profile.</summary>
public static class Accounts
{
    public const string Ministry = "ministry";
    public const string MinistryPassword = "Demo-Ministry-2026!";
    public const string District = "district";
    public const string DistrictPassword = "Demo-District-2026!";
    public const string School = "school";
    public const string SchoolPassword = "Demo-School-2026!";
}

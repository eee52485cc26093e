using System.Globalization;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Microsoft.AspNetCore.Localization;

namespace Enrollment.Host.Infrastructure;

internal static class InfrastructureSetup
{
    public static readonly CultureInfo[] Cultures = [new("ru"), new("ky"), new("en")];

    public static IServiceCollection AddEnrollmentInfrastructure(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment, DatabaseOptions database)
    {
        services.AddSingleton(database);
        // Testing:ClockFile (process tests, Testing environment only) or Clock:Now / Clock:Offset (not in Production).
        services.AddSingleton(ClockSetup.Create(configuration, environment));
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser>(sp => new ClaimsCurrentUser(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("ru");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        services.AddProblemDetails();
        Security.RateLimits.AddEnrollmentRateLimits(services, configuration);
        // Write Cyrillic (Russian, Kyrgyz) as text in pages, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services;
    }

    public static WebApplication UseEnrollmentPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            // GraphiQL and the Hangfire dashboard (third-party UIs) need inline styles (GraphiQL's CSS also embeds its fonts
            // as data: URLs); everything else gets none.
            var relaxed = context.Request.Path.StartsWithSegments("/graphql/ui") || context.Request.Path.StartsWithSegments("/admin/jobs");
            headers.ContentSecurityPolicy = relaxed
                ? "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'"
                : "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.UseRequestLocalization();
        app.MapStaticAssets();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapGet("/error", () => Results.Problem("An unexpected error occurred. It was logged.")).AllowAnonymous();
        app.MapGet("/culture", (HttpContext http, string lang, string? returnUrl) =>
        {
            var culture = Cultures.FirstOrDefault(c => c.Name == lang)?.Name ?? "ru";
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/admin");
        }).AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/admin")).AllowAnonymous();
        return app;
    }
}

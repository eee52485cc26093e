using System.Globalization;
using Enrollment.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Enrollment.Host.Admin;

/// <summary>
/// Admin pages when the database cannot take the write (locked beyond the busy timeout, disk full — the same
/// classification as GraphQL's TEMPORARILY_UNAVAILABLE, <see cref="TemporarilyUnavailable.Is"/>): instead of the generic
/// error page, a localized "temporarily unavailable, nothing was saved, try again" page with status 503 and
/// <c>Retry-After</c>. The handler's transaction was rolled back, so nothing is half-saved. For a form post the page
/// carries every field the user typed (not the antiforgery token, which it issues anew; not uploaded files) in a form
/// that posts them again to the same handler, so "try again" is one click and nothing has to be retyped. The page never
/// shows the exception.
/// </summary>
internal sealed class UnavailablePageFilter(IModelMetadataProvider metadata) : IAsyncPageFilter
{
    public const string ViewName = "_Unavailable";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not { } error || executed.ExceptionHandled || !TemporarilyUnavailable.Is(error))
        {
            return;
        }

        executed.ExceptionHandled = true;
        executed.Result = Result(context.HttpContext, metadata);
    }

    /// <summary>The 503 page for the current request (also used by the exception handler for non-page paths under /admin).</summary>
    public static IActionResult Result(HttpContext http, IModelMetadataProvider metadata)
    {
        var request = http.Request;
        var fields = request.HasFormContentType && HttpMethods.IsPost(request.Method)
            ? request.Form.Where(f => f.Key != "__RequestVerificationToken")
                .SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")))
                .ToList()
            : null;
        http.Response.Headers.RetryAfter = TemporarilyUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        var model = new UnavailableView(request.PathBase + request.Path + request.QueryString, fields);
        return new ViewResult
        {
            ViewName = ViewName,
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            ViewData = new ViewDataDictionary<UnavailableView>(metadata, new ModelStateDictionary()) { Model = model },
        };
    }
}

/// <summary>What the 503 page shows: where to send the retry, and the posted fields (null for a GET: retry is a link).</summary>
internal sealed record UnavailableView(string Url, IReadOnlyList<KeyValuePair<string, string>>? Fields);

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Enrollment.Registry.Features.Proofs;

/// <summary>
/// <c>POST /api/registry/proofs?kind=Priority|Representative</c> (multipart/form-data, field <c>file</c>, parent bearer token)
/// and <c>GET /api/registry/proofs/{id}</c>. Every refusal is a JSON body <c>{"errors":[{"message","extensions":{"code"}}]}</c>
/// with a 4xx status (contract: docs/population-registry-api.md "Proof files").
/// </summary>
internal static class ProofEndpoints
{
    /// <summary>The request limit: the file's 5 MB plus room for the multipart envelope.</summary>
    public const long RequestLimit = ProofStore.MaxBytes + 64 * 1024;

    public static IEndpointRouteBuilder MapProofEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/registry/proofs").AllowAnonymous().RequireRateLimiting(RateLimitPolicies.Api);
        group.MapPost("", UploadAsync).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(RequestLimit));
        group.MapGet("{id:guid}", DownloadAsync);
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string? kind, CancellationToken ct)
    {
        var user = http.RequestServices.GetRequiredService<ICurrentUser>();
        if (!user.IsAuthenticated)
        {
            return Error(StatusCodes.Status401Unauthorized, ProofErrors.Unauthenticated, "Sign in as a parent to upload a proof.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RequestLimit;
        }

        if (!Enum.TryParse<ProofKind>(kind ?? nameof(ProofKind.Priority), ignoreCase: true, out var proofKind) || !Enum.IsDefined(proofKind))
        {
            return Error(StatusCodes.Status400BadRequest, ProofErrors.BadKind, "kind is Priority or Representative.");
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Error(StatusCodes.Status400BadRequest, ProofErrors.NotMultipart, "Send the proof as multipart/form-data with a field named 'file'.");
        }

        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && disposition.IsFileDisposition()
                    && string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal))
                {
                    var info = await http.RequestServices.GetRequiredService<ProofService>().UploadAsync(section.Body, proofKind, ct);
                    return Results.Json(
                        new { info.Id, Kind = info.Kind.ToString(), info.Sha256, info.Size, info.ContentType, info.UploadedAt },
                        statusCode: StatusCodes.Status201Created);
                }
            }

            return Error(StatusCodes.Status400BadRequest, ProofErrors.Empty, "No field named 'file' with a file was sent.");
        }
        catch (RuleViolation e)
        {
            return Refusal(e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, ProofErrors.TooLarge, $"A proof file may be at most {ProofStore.MaxBytes / 1024 / 1024} MB.");
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Error(StatusCodes.Status400BadRequest, ProofErrors.NotMultipart, "The multipart body could not be read.");
        }
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, Guid id, CancellationToken ct)
    {
        if (!http.RequestServices.GetRequiredService<ICurrentUser>().IsAuthenticated)
        {
            return Error(StatusCodes.Status401Unauthorized, ProofErrors.Unauthenticated, "Sign in to read a proof.");
        }

        try
        {
            var content = await http.RequestServices.GetRequiredService<ProofService>().OpenAsync(id, ct);
            PrepareDownload(http.Response, content);
            return Results.Bytes(content.Bytes, content.Info.ContentType);
        }
        catch (RuleViolation e)
        {
            return Refusal(e);
        }
    }

    /// <summary>The headers of every proof download: an attachment, never sniffed, never cached.</summary>
    public static void PrepareDownload(HttpResponse response, ProofContent content)
    {
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = content.FileName }.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Proof-Sha256"] = content.Info.Sha256;
    }

    /// <summary>The HTTP status of a refusal.</summary>
    public static int StatusOf(RuleViolation e) => e.Code switch
    {
        ProofErrors.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ProofErrors.TypeNotAllowed => StatusCodes.Status415UnsupportedMediaType,
        ProofErrors.IntegrityFailed => StatusCodes.Status409Conflict,
        ProofErrors.FileMissing => StatusCodes.Status410Gone,
        "ACCESS_DENIED" => StatusCodes.Status403Forbidden,
        "NOT_FOUND" => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status400BadRequest,
    };

    private static IResult Refusal(RuleViolation e) => Error(StatusOf(e), e.Code, e.Message);

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { errors = new[] { new { message, extensions = new { code } } } }, statusCode: status);
}

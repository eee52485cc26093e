using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Enrollment.BuildingBlocks.Security;
using GraphQL.Transport;

namespace Enrollment.Host.GraphQL;

/// <summary>How the endpoint treats persisted (allow-listed) operations (docs/adr/0802-persisted-operations.md).</summary>
internal enum PersistedOperationsMode
{
    /// <summary>Only query text; document ids are ignored (the behaviour before persisted operations).</summary>
    Off,

    /// <summary>Clients may send a listed document id instead of the text; ad-hoc text still runs.</summary>
    Allowed,

    /// <summary>Callers without an ad-hoc role (anonymous, parents) may run only listed operations.</summary>
    Required,
}

/// <summary>Configuration section <c>GraphQL:PersistedOperations</c>.</summary>
internal sealed class PersistedOperationsOptions
{
    public const string Section = "GraphQL:PersistedOperations";

    public PersistedOperationsMode Mode { get; set; } = PersistedOperationsMode.Off;

    /// <summary>The manifest file, absolute or relative to the content root.</summary>
    public string ManifestPath { get; set; } = "persisted-operations.json";

    /// <summary>
    /// Roles that keep ad-hoc queries in <see cref="PersistedOperationsMode.Required"/> mode; null means every staff role
    /// (school admins, district officers, the ministry and analysts, who run ad-hoc GraphQL).
    /// </summary>
    public string[]? AdHocRoles { get; set; }
}

/// <summary>
/// Resolves a GraphQL-over-HTTP request against the persisted-operations manifest before it executes: a document id
/// (<c>documentId</c>, or Apollo's <c>extensions.persistedQuery.sha256Hash</c>) becomes the listed document's text;
/// ad-hoc text is refused in Required mode for callers without an ad-hoc role. The manifest is a JSON object
/// <c>"sha256:&lt;hex of the document text&gt;" → document</c>, loaded and checked once at start-up; clients can never add
/// to it (an APQ hash that is not listed is PERSISTED_QUERY_NOT_FOUND, whatever text comes with it).
/// </summary>
internal sealed class PersistedOperations
{
    public const string NotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string Required = "PERSISTED_QUERY_REQUIRED";
    public const string Mismatch = "PERSISTED_QUERY_MISMATCH";
    public const string IdPrefix = "sha256:";

    private readonly IReadOnlyDictionary<string, string> _documents;
    private readonly HashSet<string> _adHocRoles;

    public PersistedOperations(PersistedOperationsOptions options, IReadOnlyDictionary<string, string> documents)
    {
        Mode = options.Mode;
        _documents = documents;
        _adHocRoles = new HashSet<string>(options.AdHocRoles ?? [.. Roles.Staff], StringComparer.Ordinal);
    }

    public PersistedOperationsMode Mode { get; }

    public IReadOnlyDictionary<string, string> Documents => _documents;

    /// <summary>"sha256:" and the lowercase hex SHA-256 of the UTF-8 text: the id the manifest and clients use.</summary>
    public static string IdOf(string document) =>
        IdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    /// <summary>Reads and checks a manifest: every id must be the SHA-256 of its document.</summary>
    public static IReadOnlyDictionary<string, string> LoadManifest(string path)
    {
        Dictionary<string, string>? documents;
        try
        {
            documents = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The persisted-operations manifest '{path}' cannot be read: {e.Message}", e);
        }

        if (documents is null)
        {
            throw new InvalidOperationException($"The persisted-operations manifest '{path}' is empty.");
        }

        foreach (var (id, document) in documents)
        {
            if (!string.Equals(id, IdOf(document), StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"The persisted-operations manifest '{path}' lists '{id}', which is not the SHA-256 of its document (regenerate it with tools/persisted-operations.sh).");
            }
        }

        return documents;
    }

    /// <summary>
    /// Puts the listed document into <paramref name="request"/> when it names one, or returns why the request is refused
    /// (status by the same rules as the endpoint's other refusals: a malformed request is 400; a well-formed request
    /// the server will not run is 400 with application/graphql-response+json and 200 with application/json).
    /// </summary>
    public Refusal? Resolve(HttpContext http, GraphQLRequest request, string media)
    {
        if (Mode == PersistedOperationsMode.Off)
        {
            return null;
        }

        string? documentId;
        try
        {
            documentId = RequestedId(http, request);
        }
        catch (MismatchException e)
        {
            return new Refusal(StatusCodes.Status400BadRequest, Mismatch, e.Message);
        }

        var mustBeListed = Mode == PersistedOperationsMode.Required && !HasAdHocRole(http.User);
        var notRun = media == GraphQLEndpoint.Json ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        var text = string.IsNullOrEmpty(request.Query) ? null : request.Query;
        if (documentId is null)
        {
            if (text is null || !mustBeListed || _documents.ContainsKey(IdOf(text)))
            {
                return null; // no text: the endpoint's QUERY_MISSING; listed text runs like its id
            }

            return new Refusal(notRun, Required, "Only listed (persisted) operations may be run by this caller: send a documentId.");
        }

        if (text is not null && !string.Equals(IdOf(text), documentId, StringComparison.Ordinal))
        {
            return new Refusal(StatusCodes.Status400BadRequest, Mismatch, "The query text does not match the document id sent with it.");
        }

        if (_documents.TryGetValue(documentId, out var document))
        {
            request.Query = document;
            return null;
        }

        // An unlisted id: with its matching text it is ad-hoc text (runs where ad-hoc text may); never registered.
        return text is not null && !mustBeListed
            ? null
            : new Refusal(notRun, NotFound, "No persisted operation has this document id.");
    }

    private bool HasAdHocRole(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && _adHocRoles.Any(user.IsInRole);

    /// <summary>The id named by <c>documentId</c> (body or GET parameter) or by Apollo's persistedQuery extension.</summary>
    private static string? RequestedId(HttpContext http, GraphQLRequest request)
    {
        var documentId = request.DocumentId;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var values = http.Request.Query["documentId"];
            if (values.Count > 1)
            {
                throw new MismatchException("Each parameter may be given once.");
            }

            documentId = values.Count == 1 ? values[0] : null;
        }

        documentId = string.IsNullOrEmpty(documentId) ? null : documentId;
        var apq = ApqId(request);
        if (documentId is not null && apq is not null && !string.Equals(documentId, apq, StringComparison.Ordinal))
        {
            throw new MismatchException("'documentId' and the persistedQuery extension name different documents.");
        }

        return documentId ?? apq;
    }

    private static string? ApqId(GraphQLRequest request)
    {
        if (request.Extensions is null || !request.Extensions.TryGetValue("persistedQuery", out var value) || value is null)
        {
            return null;
        }

        if (value is IReadOnlyDictionary<string, object?> persisted && persisted.TryGetValue("sha256Hash", out var hash) && hash is string { Length: > 0 } hex)
        {
            return IdPrefix + hex.ToLowerInvariant();
        }

        throw new MismatchException("The persistedQuery extension must be an object with a string 'sha256Hash'.");
    }

    private sealed class MismatchException(string message) : Exception(message);

    internal sealed record Refusal(int Status, string Code, string Message);
}

internal static class PersistedOperationsSetup
{
    /// <summary>Binds <c>GraphQL:PersistedOperations</c> and loads the manifest now, so a bad manifest fails the boot.</summary>
    public static IServiceCollection AddPersistedOperations(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = new PersistedOperationsOptions();
        configuration.GetSection(PersistedOperationsOptions.Section).Bind(options);
        var documents = options.Mode == PersistedOperationsMode.Off
            ? new Dictionary<string, string>()
            : PersistedOperations.LoadManifest(Path.Combine(environment.ContentRootPath, options.ManifestPath));
        services.AddSingleton(new PersistedOperations(options, documents));
        return services;
    }
}

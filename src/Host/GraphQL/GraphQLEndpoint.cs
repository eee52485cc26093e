using System.Net.Mime;
using Enrollment.BuildingBlocks.Errors;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Validation;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Enrollment.Host.GraphQL;

/// <summary>
/// GraphQL over HTTP (graphql-over-http draft, as audited by graphql-http): POST application/json and GET for
/// queries; application/graphql-response+json or application/json by Accept; 4xx for requests that are not
/// well-formed; 405 for mutations over GET; 401/403 when the authorization rule refuses; cancellation when the
/// client goes away. See docs/adr/0002-graphql-over-http.md.
/// </summary>
internal static class GraphQLEndpoint
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder app, string pattern) =>
        app.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], HandleAsync)
            .WithName("graphql")
            .DisableAntiforgery()
            .RequireRateLimiting(Security.RateLimits.AnonymousGraphQLPolicy);

    private static async Task HandleAsync(HttpContext http, IDocumentExecuter<AppSchema> executer,
        IGraphQLTextSerializer serializer, GraphQLLimits limits, ILoggerFactory loggers, PersistedOperations persisted)
    {
        var media = SelectMediaType(http.Request.Headers.Accept);
        if (media is null)
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable, Json,
                "NOT_ACCEPTABLE", $"Accept one of {GraphQLResponseJson}, {Json}.");
            return;
        }

        var isGet = HttpMethods.IsGet(http.Request.Method);
        GraphQLRequest? request;
        try
        {
            request = isGet ? ReadGet(http.Request.Query, serializer) : await ReadPostAsync(http, serializer, limits);
        }
        catch (BadRequest e)
        {
            await WriteRequestErrorAsync(http, serializer, e.Status, media, e.Code, e.Message);
            return;
        }

        if (request is not null && persisted.Resolve(http, request, media) is { } refusal)
        {
            await WriteRequestErrorAsync(http, serializer, refusal.Status, media, refusal.Code, refusal.Message);
            return;
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, media,
                "QUERY_MISSING", "The request has no 'query'.");
            return;
        }

        if (request.Query.Length > limits.MaxQueryLength)
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, media,
                "QUERY_TOO_LONG", $"The query is longer than {limits.MaxQueryLength} characters.");
            return;
        }

        ExecutionResult result;
        try
        {
            result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                OperationName = string.IsNullOrEmpty(request.OperationName) ? null : request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                RequestServices = http.RequestServices,
                User = http.User,
                CancellationToken = http.RequestAborted,
                ValidationRules = isGet
                    ? DocumentValidator.CoreRules.Append(OnlyQueriesOverGetRule.Instance)
                    : null,
            });
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; nobody is listening
        }

        var status = StatusFor(result, media, isGet);
        if (http.Items[Security.SignInRateLimiter.RetryAfterItem] is TimeSpan retryAfter)
        {
            status = StatusCodes.Status429TooManyRequests;
            Security.RateLimits.SetRetryAfter(http, retryAfter);
        }

        if (result.Errors?.Any(e => e.Code == TemporarilyUnavailable.Code) == true)
        {
            http.Response.Headers.RetryAfter = TemporarilyUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status500InternalServerError)
        {
            loggers.CreateLogger("Enrollment.GraphQL").LogError("GraphQL request failed with an unexpected error.");
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = media + "; charset=utf-8";
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            http.Response.Headers.Allow = "POST";
        }

        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static int StatusFor(ExecutionResult result, string media, bool isGet)
    {
        if (result.Executed || result.Errors is not { Count: > 0 } errors)
        {
            return StatusCodes.Status200OK;
        }

        if (isGet && errors.Any(e => e is OnlyQueriesOverGetError))
        {
            return StatusCodes.Status405MethodNotAllowed;
        }

        if (media == Json)
        {
            return StatusCodes.Status200OK;
        }

        if (errors.All(e => e is AccessError))
        {
            return errors.Any(e => e.Code == AccessError.Unauthenticated) ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        }

        return errors.Any(e => e is TimeoutError) ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status400BadRequest;
    }

    internal static string? SelectMediaType(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept))
        {
            return Json;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var values))
        {
            return Json;
        }

        foreach (var value in values.OrderByDescending(v => v.Quality ?? 1.0))
        {
            if (value.Quality == 0)
            {
                continue;
            }

            var type = value.MediaType.Value;
            if (string.Equals(type, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (string.Equals(type, Json, StringComparison.OrdinalIgnoreCase)
                || string.Equals(type, "application/*", StringComparison.OrdinalIgnoreCase)
                || string.Equals(type, "*/*", StringComparison.OrdinalIgnoreCase))
            {
                return Json;
            }
        }

        return null;
    }

    private static GraphQLRequest ReadGet(IQueryCollection query, IGraphQLTextSerializer serializer)
    {
        if (query["query"].Count > 1 || query["variables"].Count > 1 || query["operationName"].Count > 1)
        {
            throw new BadRequest(StatusCodes.Status400BadRequest, "BAD_REQUEST", "Each parameter may be given once.");
        }

        try
        {
            var operationName = query["operationName"].ToString();
            return new GraphQLRequest
            {
                Query = query["query"].ToString(),
                OperationName = operationName.Length == 0 ? null : operationName,
                Variables = ReadJsonParameter<Inputs>(serializer, query["variables"]),
                Extensions = ReadJsonParameter<Inputs>(serializer, query["extensions"]),
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new BadRequest(StatusCodes.Status400BadRequest, "BAD_REQUEST", "'variables' and 'extensions' must be JSON objects.");
        }
    }

    private static T? ReadJsonParameter<T>(IGraphQLTextSerializer serializer, StringValues value)
    {
        var text = value.ToString();
        return string.IsNullOrEmpty(text) ? default : serializer.Deserialize<T>(text);
    }

    private static async Task<GraphQLRequest?> ReadPostAsync(HttpContext http, IGraphQLTextSerializer serializer, GraphQLLimits limits)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequest(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                "POST bodies must be application/json.");
        }

        var charset = contentType.Charset.Value;
        if (charset is not null && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequest(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                "Only UTF-8 is accepted.");
        }

        if (http.Request.ContentLength > limits.MaxBodyBytes)
        {
            throw new BadRequest(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE",
                $"The body is larger than {limits.MaxBodyBytes} bytes.");
        }

        try
        {
            await using var body = new LimitedStream(http.Request.Body, limits.MaxBodyBytes);
            return await serializer.ReadAsync<GraphQLRequest>(body, http.RequestAborted);
        }
        catch (LimitedStream.TooLarge)
        {
            throw new BadRequest(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE",
                $"The body is larger than {limits.MaxBodyBytes} bytes.");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException
                                      or ArgumentException or System.Text.DecoderFallbackException)
        {
            throw new BadRequest(StatusCodes.Status400BadRequest, "BAD_REQUEST",
                "The body is not a GraphQL request: a JSON object with a string 'query', optional 'operationName', and object 'variables'/'extensions'.");
        }
    }

    private static async Task WriteRequestErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, int status,
        string media, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = media + "; charset=utf-8";
        var result = new ExecutionResult { Executed = false };
        result.AddError(new ExecutionError(message) { Code = code });
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private sealed class BadRequest(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
    }
}

/// <summary>Request limits, from configuration section <c>GraphQL</c>.</summary>
internal sealed class GraphQLLimits
{
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
    public int MaxQueryLength { get; set; } = 32 * 1024;
    public int MaxDepth { get; set; } = 15;
    public int MaxComplexity { get; set; } = 5000;
    public int MaxAliases { get; set; } = 30;
    public bool Introspection { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bound of the parsed-document cache, in characters of query text (<see cref="DocumentCache"/>); 0 turns it off.
    /// </summary>
    public long DocumentCacheChars { get; set; } = 1_000_000;
}

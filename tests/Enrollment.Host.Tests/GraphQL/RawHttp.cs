using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>An HTTP answer of the GraphQL endpoint, read completely.</summary>
public sealed record GraphQLReply(HttpStatusCode Status, string? MediaType, string Text, HttpResponseMessage Response)
{
    public JsonNode Json => JsonNode.Parse(Text)!;

    public string? Code => Json.ErrorCode();

    public IEnumerable<string> Codes =>
        Json["errors"]?.AsArray().Select(e => e?["extensions"]?["code"]?.GetValue<string>() ?? "") ?? [];

    public IEnumerable<string> Messages =>
        Json["errors"]?.AsArray().Select(e => e?["message"]?.GetValue<string>() ?? "") ?? [];

    public bool HasData => Json.AsObject().ContainsKey("data");
}

/// <summary>
/// Raw GraphQL-over-HTTP requests for tests that need control over methods, headers and bodies. Every answer read here is
/// checked for a leaked stack trace.
/// </summary>
public static class RawHttp
{
    public const string ResponseJson = GraphQLClient.ResponseJson;
    public const string Json = "application/json";

    public static HttpRequestMessage Post(string body, string? contentType = "application/json", string? accept = ResponseJson, string? bearer = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        return WithHeaders(request, accept, bearer);
    }

    public static HttpRequestMessage PostJson(object body, string? accept = ResponseJson, string? bearer = null) =>
        Post(JsonSerializer.Serialize(body), accept: accept, bearer: bearer);

    public static HttpRequestMessage Get(string? query, string? variables = null, string? operationName = null, string? accept = ResponseJson)
    {
        var parameters = new List<string>();
        if (query is not null) parameters.Add("query=" + Uri.EscapeDataString(query));
        if (variables is not null) parameters.Add("variables=" + Uri.EscapeDataString(variables));
        if (operationName is not null) parameters.Add("operationName=" + Uri.EscapeDataString(operationName));
        return WithHeaders(new HttpRequestMessage(HttpMethod.Get, "/graphql?" + string.Join('&', parameters)), accept, null);
    }

    private static HttpRequestMessage WithHeaders(HttpRequestMessage request, string? accept, string? bearer)
    {
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    public static async Task<GraphQLReply> AskAsync(this HttpClient client, HttpRequestMessage request, bool disposeRequest = true)
    {
        try
        {
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            AssertNoStackTrace(text);
            return new GraphQLReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, response);
        }
        finally
        {
            if (disposeRequest)
            {
                request.Dispose();
            }
        }
    }

    /// <summary>POST application/json, checked for stack traces; the usual way to ask.</summary>
    public static Task<GraphQLReply> QueryAsync(this HttpClient client, string query, object? variables = null,
        string? bearer = null, string accept = ResponseJson, string? operationName = null) =>
        client.AskAsync(PostJson(new { query, variables, operationName }, accept, bearer));

    public static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\n   at", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", text, StringComparison.Ordinal);
    }

    /// <summary>A body of unknown length: sent chunked, without Content-Length.</summary>
    public sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

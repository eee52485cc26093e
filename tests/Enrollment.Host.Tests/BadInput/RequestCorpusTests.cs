using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;

namespace Enrollment.Host.Tests.BadInput;

/// <summary>
/// Malformed requests as a whole, sent as the ministry (the widest role, so nothing stops at the sign-in check): bodies that
/// are not JSON or not UTF-8, wrong content types, 10 MB bodies, deep, huge and alias-heavy documents, variables of the
/// wrong shape. Each gets a 4xx or a typed GraphQL error, never a 5xx or a stack trace, and no module table changes.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class RequestCorpusTests(BadInputFactory factory)
{
    private const string Mutation = "mutation($u: String!) { disableAccount(userName: $u) { userName } }";

    private static readonly Lazy<Dictionary<string, (string ContentType, string Body)>> Corpus = new(Build);

    public static TheoryData<string> Requests() => [.. Corpus.Value.Keys];

    private static Dictionary<string, (string ContentType, string Body)> Build()
    {
        static string Json(string query, JsonNode? variables = null) =>
            new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString();

        var deep = "query { " + string.Concat(Enumerable.Repeat("__schema { types { fields { type { ofType { ", 20)) + "name"
            + string.Concat(Enumerable.Repeat(" } } } } }", 20)) + " }";
        var nested = "query { " + string.Concat(Enumerable.Repeat("schools(first: 1) { nodes { ", 50)) + "code"
            + string.Concat(Enumerable.Repeat(" } }", 50)) + " }";
        var aliases = "query { " + string.Join(" ", Enumerable.Range(0, 500).Select(i => $"a{i}: currentStage {{ stage }}")) + " }";
        var huge = "query { " + string.Join(" ", Enumerable.Range(0, 20_000).Select(_ => "__typename")) + " }";
        var hugeMutation = "mutation { " + string.Join(" ", Enumerable.Range(0, 200).Select(i => $"m{i}: disableAccount(userName: \"nobody{i}\") {{ userName }}")) + " }";
        var tenMegabytes = Json(Mutation, new JsonObject { ["u"] = new string('x', 10 * 1024 * 1024) });

        return new Dictionary<string, (string ContentType, string Body)>(StringComparer.Ordinal)
        {
            ["malformed JSON"] = ("application/json", "{\"query\": \"mutation { disableAccount(userName: \\\"x\\\") { userName } }\""),
            ["JSON with a trailing comma"] = ("application/json", "{\"query\": \"{ __typename }\",}"),
            ["JSON array"] = ("application/json", "[{\"query\": \"{ __typename }\"}]"),
            ["JSON string"] = ("application/json", "\"mutation { disableAccount(userName: \\\"x\\\") { userName } }\""),
            ["empty body"] = ("application/json", ""),
            ["invalid UTF-8 in the query"] = ("application/json", "{\"query\": \"mutation { disableAccount(userName: \\\"" + Malformed.InvalidUtf8Marker + "\\\") { userName } }\"}"),
            ["invalid UTF-8 in a variable"] = ("application/json", Json(Mutation, new JsonObject { ["u"] = Malformed.InvalidUtf8Marker })),
            ["lone surrogate in a variable"] = ("application/json", Json(Mutation, new JsonObject { ["u"] = Malformed.LoneSurrogateMarker })),
            ["NUL in the query"] = ("application/json", Json("mutation { disableAccount(userName: \"a\u0000b\") { userName } }")),
            ["form content type"] = ("application/x-www-form-urlencoded", "query=mutation+%7B+disableAccount%28userName%3A%22x%22%29+%7B+userName+%7D+%7D"),
            ["text content type"] = ("text/plain", Json(Mutation, new JsonObject { ["u"] = "x" })),
            ["multipart content type"] = ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n{ __typename }\r\n--x--"),
            ["XML content type"] = ("application/xml", "<query>{ __typename }</query>"),
            ["latin-1 charset"] = ("application/json; charset=iso-8859-1", Json(Mutation, new JsonObject { ["u"] = "x" })),
            ["variables as an array"] = ("application/json", "{\"query\": \"" + Mutation.Replace("\"", "\\\"", StringComparison.Ordinal) + "\", \"variables\": [1]}"),
            ["variables as a string"] = ("application/json", "{\"query\": \"" + Mutation.Replace("\"", "\\\"", StringComparison.Ordinal) + "\", \"variables\": \"{}\"}"),
            ["variable of the wrong type"] = ("application/json", Json(Mutation, new JsonObject { ["u"] = new JsonArray(1, 2) })),
            ["variable missing"] = ("application/json", Json(Mutation)),
            ["undeclared variable"] = ("application/json", Json("mutation { disableAccount(userName: $u) { userName } }", new JsonObject { ["u"] = "x" })),
            ["syntax error"] = ("application/json", Json("mutation { disableAccount(userName: ) { userName }")),
            ["unknown operation name"] = ("application/json", "{\"query\": \"{ __typename }\", \"operationName\": \"Nope\"}"),
            ["operation name of the wrong type"] = ("application/json", "{\"query\": \"{ __typename }\", \"operationName\": 5}"),
            ["extensions of the wrong type"] = ("application/json", "{\"query\": \"{ __typename }\", \"extensions\": 5}"),
            ["depth 100 introspection"] = ("application/json", Json(deep)),
            ["depth 100 selection"] = ("application/json", Json(nested)),
            ["500 aliases"] = ("application/json", Json(aliases)),
            ["200 aliased mutations"] = ("application/json", Json(hugeMutation)),
            ["huge query"] = ("application/json", Json(huge)),
            ["10 MB body"] = ("application/json", tenMegabytes),
            ["deeply nested JSON"] = ("application/json", "{\"query\": \"{ __typename }\", \"variables\": " + new string('[', 5000) + new string(']', 5000) + "}"),
            ["huge number variable"] = ("application/json", Json("mutation($q: [ID!]!) { approveQuotas(quotaIds: $q) { id } }", new JsonObject { ["q"] = JsonNode.Parse("1e400") })),
        };
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_malformed_request_gets_a_clear_typed_refusal_and_changes_nothing(string label)
    {
        var (contentType, body) = Corpus.Value[label];
        using var client = factory.CreateClient();
        var bearer = await factory.TokenAsync(client, Roles.MinistryAdmin);
        var before = DatabaseDump.Take(factory);

        var reply = await client.PostGraphQLAsync(body, bearer, contentType);

        Assert.True(reply.Problem() is null, $"{label}: {reply.Problem()}");
        Assert.False(reply.Accepted, $"{label} was accepted: {BadInputReply.Shorten(reply.Text)}");
        Assert.True((int)reply.Status is >= 200 and < 500, $"{label}: HTTP {(int)reply.Status}");
        Assert.Empty(DatabaseDump.Differences(before, DatabaseDump.Take(factory)));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_even_when_sent_chunked()
    {
        using var client = factory.CreateClient();
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["query"] = Mutation, ["variables"] = new JsonObject { ["u"] = new string('x', 10 * 1024 * 1024) } }.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new GraphQL.RawHttp.ChunkedContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}

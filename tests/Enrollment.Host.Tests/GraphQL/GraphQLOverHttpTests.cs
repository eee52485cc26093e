using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>The GraphQL-over-HTTP rules of the endpoint (docs/stack.md section 1, graphql-http audits).</summary>
[Collection(HostCollection.Name)]
public sealed class GraphQLOverHttpTests(EnrollmentFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Typename_over_post_is_200_graphql_response_json()
    {
        var reply = await _client.AskAsync(RawHttp.Post("""{"query":"{ __typename }"}"""));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(RawHttp.ResponseJson, reply.MediaType);
        Assert.Equal("Query", reply.Json["data"]!["__typename"]!.GetValue<string>());
        Assert.Null(reply.Json["errors"]);
    }

    [Fact]
    public async Task Typename_over_get_is_200()
    {
        var reply = await _client.AskAsync(RawHttp.Get("{ __typename }"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(RawHttp.ResponseJson, reply.MediaType);
        Assert.Equal("Query", reply.Json["data"]!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_passes_variables_and_operation_name()
    {
        const string document = """
            query Other { __typename }
            query Picked($code: String!) { school(code: $code) { code } }
            """;
        var code = Tiny.Data.Schools[0].Code;

        var reply = await _client.AskAsync(RawHttp.Get(document, variables: $$"""{"code":"{{code}}"}""", operationName: "Picked"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(code, reply.Json["data"]!["school"]!["code"]!.GetValue<string>());
        Assert.Null(reply.Json["data"]!["__typename"]);
    }

    [Fact]
    public async Task Get_with_variables_that_are_not_json_is_400()
    {
        var reply = await _client.AskAsync(RawHttp.Get("{ __typename }", variables: "not json"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BAD_REQUEST", reply.Code);
    }

    [Theory]
    [InlineData(RawHttp.ResponseJson)]
    [InlineData(RawHttp.Json)]
    public async Task Missing_query_is_400_for_both_media_types(string accept)
    {
        var post = await _client.AskAsync(RawHttp.Post("""{"variables":{}}""", accept: accept));
        var get = await _client.AskAsync(RawHttp.Get(null, accept: accept));

        foreach (var reply in new[] { post, get })
        {
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal(accept, reply.MediaType);
            Assert.Equal("QUERY_MISSING", reply.Code);
            Assert.False(reply.HasData);
        }
    }

    [Theory]
    [InlineData("{\"query\": \"{ __typename }\"")]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("""{"query": 0}""")]
    [InlineData("""{"query": {}}""")]
    [InlineData("""{"query": "{ __typename }", "variables": "x"}""")]
    public async Task Body_that_is_not_a_graphql_request_is_400(string body)
    {
        foreach (var accept in new[] { RawHttp.ResponseJson, RawHttp.Json })
        {
            var reply = await _client.AskAsync(RawHttp.Post(body, accept: accept));

            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal(accept, reply.MediaType);
            Assert.NotNull(reply.Code);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/graphql")]
    public async Task Post_without_json_content_type_is_415(string? contentType)
    {
        var reply = await _client.AskAsync(RawHttp.Post("""{"query":"{ __typename }"}""", contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", reply.Code);
    }

    [Fact]
    public async Task Charset_other_than_utf8_is_415()
    {
        var reply = await _client.AskAsync(RawHttp.Post("""{"query":"{ __typename }"}""", "application/json; charset=iso-8859-1"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", reply.Code);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task Json_content_type_with_utf8_or_no_charset_is_accepted(string contentType)
    {
        var reply = await _client.AskAsync(RawHttp.Post("""{"query":"{ __typename }"}""", contentType));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Theory]
    [InlineData(RawHttp.ResponseJson, RawHttp.ResponseJson)]
    [InlineData(RawHttp.Json, RawHttp.Json)]
    [InlineData("*/*", RawHttp.Json)]
    [InlineData("application/*", RawHttp.Json)]
    [InlineData(null, RawHttp.Json)]
    [InlineData("application/json;q=0.5, application/graphql-response+json", RawHttp.ResponseJson)]
    [InlineData("text/html, application/json;q=0.9", RawHttp.Json)]
    public async Task Accept_picks_the_response_media_type(string? accept, string expected)
    {
        var reply = await _client.AskAsync(RawHttp.Post("""{"query":"{ __typename }"}""", accept: accept));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(expected, reply.MediaType);
        Assert.Equal("utf-8", reply.Response.Content.Headers.ContentType?.CharSet);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml, text/html")]
    public async Task Accept_without_a_supported_type_is_406(string accept)
    {
        var reply = await _client.AskAsync(RawHttp.Post("""{"query":"{ __typename }"}""", accept: accept));

        Assert.Equal(HttpStatusCode.NotAcceptable, reply.Status);
        Assert.Equal("NOT_ACCEPTABLE", reply.Code);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{ __typename ")]
    [InlineData("query { noSuchField }")]
    [InlineData("{ regions }")]
    [InlineData("{ school { code } }")]
    public async Task Parse_and_validation_errors_are_400_with_graphql_response_json(string query)
    {
        var reply = await _client.QueryAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(RawHttp.ResponseJson, reply.MediaType);
        Assert.False(reply.HasData);
        Assert.NotEmpty(reply.Messages);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("query { noSuchField }")]
    [InlineData("{ regions }")]
    public async Task Parse_and_validation_errors_are_200_with_application_json(string query)
    {
        var reply = await _client.QueryAsync(query, accept: RawHttp.Json);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(RawHttp.Json, reply.MediaType);
        Assert.False(reply.HasData);
        Assert.NotEmpty(reply.Messages);
    }

    [Theory]
    [InlineData(RawHttp.ResponseJson)]
    [InlineData(RawHttp.Json)]
    public async Task Mutation_over_get_is_405_with_allow_post(string accept)
    {
        var reply = await _client.AskAsync(RawHttp.Get("""mutation { login(userName: "ministry", password: "x") { accessToken } }""", accept: accept));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        Assert.Contains("POST", reply.Response.Content.Headers.Allow);
        Assert.Equal("METHOD_NOT_ALLOWED", reply.Code);
        Assert.False(reply.HasData);
    }

    [Fact]
    public async Task Get_may_pick_the_query_of_a_document_that_also_has_a_mutation()
    {
        const string document = """
            query Q { __typename }
            mutation M { login(userName: "ministry", password: "x") { accessToken } }
            """;

        var query = await _client.AskAsync(RawHttp.Get(document, operationName: "Q"));
        var mutation = await _client.AskAsync(RawHttp.Get(document, operationName: "M"));

        Assert.Equal(HttpStatusCode.OK, query.Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.Status);
    }

    [Fact]
    public async Task Operation_name_picks_one_operation_of_several()
    {
        const string document = "query A { __typename } query B { regions { code } }";

        var a = await _client.QueryAsync(document, operationName: "A");
        var b = await _client.QueryAsync(document, operationName: "B");

        Assert.Equal(HttpStatusCode.OK, a.Status);
        Assert.Equal("Query", a.Json["data"]!["__typename"]!.GetValue<string>());
        Assert.Null(a.Json["data"]!["regions"]);
        Assert.Equal(HttpStatusCode.OK, b.Status);
        Assert.Equal(Tiny.Data.Regions.Count, b.Json["data"]!["regions"]!.AsArray().Count);
        Assert.Null(b.Json["data"]!["__typename"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("C")]
    public async Task Several_operations_without_a_matching_operation_name_are_a_request_error(string? operationName)
    {
        const string document = "query A { __typename } query B { regions { code } }";

        var strict = await _client.QueryAsync(document, operationName: operationName);
        var legacy = await _client.QueryAsync(document, operationName: operationName, accept: RawHttp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.False(strict.HasData);
        Assert.NotEmpty(strict.Messages);
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.False(legacy.HasData);
    }

    [Fact]
    public async Task Variable_coercion_failure_is_400_with_graphql_response_json()
    {
        const string query = "query($n: Int!) { schools(first: $n) { totalCount } }";

        var strict = await _client.QueryAsync(query, new { n = "many" });
        var missing = await _client.QueryAsync(query, new { });
        var legacy = await _client.QueryAsync(query, new { n = "many" }, accept: RawHttp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal(RawHttp.ResponseJson, strict.MediaType);
        Assert.False(strict.HasData);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.False(legacy.HasData);
    }

    [Fact]
    public async Task Body_larger_than_the_limit_is_413()
    {
        var body = LargeBody();
        using var request = RawHttp.Post(body);
        Assert.NotNull(request.Content!.Headers.ContentLength);

        var reply = await _client.AskAsync(request, disposeRequest: false);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", reply.Code);
    }

    [Fact]
    public async Task Chunked_body_larger_than_the_limit_is_413()
    {
        var content = new RawHttp.ChunkedContent(Encoding.UTF8.GetBytes(LargeBody()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Accept.ParseAdd(RawHttp.ResponseJson);
        Assert.Null(request.Content.Headers.ContentLength);

        var reply = await _client.AskAsync(request, disposeRequest: false);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", reply.Code);
    }

    [Fact]
    public async Task Chunked_body_within_the_limit_is_accepted()
    {
        var content = new RawHttp.ChunkedContent(Encoding.UTF8.GetBytes("""{"query":"{ __typename }"}"""));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var reply = await _client.AskAsync(request, disposeRequest: false);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Depth_beyond_the_limit_is_refused_with_a_clear_error()
    {
        // __type -> fields -> type -> ofType x N: every level is one deeper.
        var query = "{ __type(name: \"Query\") { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 20)) + "name"
                    + new string('}', 20) + " } } } }";

        var reply = await _client.QueryAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.False(reply.HasData);
        Assert.Contains(reply.Messages, m => m.Contains("depth", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Too_many_aliases_are_refused_with_a_clear_error()
    {
        var query = "{ " + string.Join(' ', Enumerable.Range(1, 31).Select(i => $"a{i}: __typename")) + " }";

        var reply = await _client.QueryAsync(query);
        var withinLimit = await _client.QueryAsync("{ " + string.Join(' ', Enumerable.Range(1, 30).Select(i => $"a{i}: __typename")) + " }");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("TOO_MANY_ALIASES", reply.Codes);
        Assert.False(reply.HasData);
        Assert.Equal(HttpStatusCode.OK, withinLimit.Status);
    }

    [Fact]
    public async Task Standard_introspection_query_succeeds()
    {
        var reply = await _client.QueryAsync(IntrospectionQuery);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Null(reply.Json["errors"]);
        var schema = reply.Json["data"]!["__schema"]!;
        Assert.Equal("Query", schema["queryType"]!["name"]!.GetValue<string>());
        Assert.Equal("Mutation", schema["mutationType"]!["name"]!.GetValue<string>());
        Assert.Contains(schema["types"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "School");
    }

    [Fact]
    public async Task Resolver_errors_carry_a_code_and_no_stack_trace()
    {
        // A resolver refusing its input: the error is data (code + message), never a stack trace (checked in RawHttp).
        var reply = await _client.QueryAsync("{ schools(after: \"garbage\") { totalCount } }");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("BAD_CURSOR", reply.Code);
        var error = reply.Json["errors"]![0]!.AsObject();
        Assert.DoesNotContain("stack", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("exception", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(error.ContainsKey("message"));
    }

    private static string LargeBody() =>
        "{\"query\":\"{ __typename }\",\"variables\":{\"pad\":\"" + new string('x', 1024 * 1024 + 16) + "\"}}";

    /// <summary>graphql-js <c>getIntrospectionQuery()</c> (16.x defaults).</summary>
    internal const string IntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            queryType { name }
            mutationType { name }
            subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """;
}

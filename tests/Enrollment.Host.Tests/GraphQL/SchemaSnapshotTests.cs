using System.Net;
using System.Text.Json.Nodes;
using Snapshooter.Xunit;

namespace Enrollment.Host.Tests.GraphQL;

/// <summary>The published schema: a snapshot so every change shows in review, and deny-by-default on root fields.</summary>
[Collection(HostCollection.Name)]
public sealed class SchemaSnapshotTests(EnrollmentFactory factory)
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Sdl_is_served_and_matches_the_snapshot()
    {
        using var response = await _client.GetAsync("/graphql/schema.graphql");
        var sdl = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("type Query", sdl, StringComparison.Ordinal);
        Assert.Contains("type Mutation", sdl, StringComparison.Ordinal);
        sdl.MatchSnapshot();
    }

    [Fact]
    public async Task Every_root_field_declares_access()
    {
        var fields = await RootFieldsAsync();
        Assert.Contains(fields, f => f.Operation == "query" && f.Name == "regions");
        Assert.Contains(fields, f => f.Operation == "mutation" && f.Name == "login");

        var undeclared = new List<string>();
        var unauthenticated = new List<string>();
        foreach (var field in fields)
        {
            // The unknown field makes the document invalid, so nothing executes (no mutation runs), while the
            // authorization rule still judges the real field in the same validation pass.
            var document = $"{field.Operation} {{ {field.Name}{field.Selection} zzzNoSuchField }}";
            var reply = await _client.QueryAsync(document);

            Assert.False(reply.HasData, document);
            if (reply.Messages.Any(m => m.Contains("declares no access rule", StringComparison.Ordinal)))
            {
                undeclared.Add($"{field.Operation}.{field.Name}");
            }

            if (reply.Codes.Contains("UNAUTHENTICATED"))
            {
                unauthenticated.Add(field.Name);
            }

            // Anonymous callers meet only UNAUTHENTICATED (role fields), never ACCESS_DENIED (undeclared fields).
            Assert.DoesNotContain("ACCESS_DENIED", reply.Codes);
        }

        Assert.Empty(undeclared);
        // The rule really judged each field despite the invalid document: the role-protected fields were refused.
        Assert.Contains("myChildren", unauthenticated);
        Assert.Contains("allocationRuns", unauthenticated);
        Assert.DoesNotContain("regions", unauthenticated);
        Assert.DoesNotContain("login", unauthenticated);
    }

    private async Task<List<RootField>> RootFieldsAsync()
    {
        const string query = """
            {
              __schema {
                queryType { fields { name type { ...Named } } }
                mutationType { fields { name type { ...Named } } }
              }
            }
            fragment Named on __Type { kind ofType { kind ofType { kind ofType { kind ofType { kind } } } } }
            """;
        var reply = await _client.QueryAsync(query);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var schema = reply.Json["data"]!["__schema"]!;
        return
        [
            .. Read(schema["queryType"], "query"),
            .. Read(schema["mutationType"], "mutation"),
        ];

        static IEnumerable<RootField> Read(JsonNode? type, string operation) =>
            type?["fields"]!.AsArray().Select(f => new RootField(operation, f!["name"]!.GetValue<string>(), NamedKind(f["type"]!) switch
            {
                "OBJECT" or "INTERFACE" or "UNION" => " { __typename }",
                _ => "",
            })) ?? [];

        static string NamedKind(JsonNode type)
        {
            while (type["ofType"] is { } inner && type["kind"]!.GetValue<string>() is "NON_NULL" or "LIST")
            {
                type = inner;
            }

            return type["kind"]!.GetValue<string>();
        }
    }

    private sealed record RootField(string Operation, string Name, string Selection);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enrollment.Host.Tests;

/// <summary>Small helpers for GraphQL over HTTP in tests.</summary>
public static class GraphQLClient
{
    public const string ResponseJson = "application/graphql-response+json";

    public static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(this HttpClient client, string query,
        object? variables = null, string? bearer = null, string accept = ResponseJson, string? operationName = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query, variables, operationName }),
        };
        request.Headers.Accept.ParseAdd(accept);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    public static async Task<string> LoginAsync(this HttpClient client, string userName, string password)
    {
        var (status, body) = await client.PostAsync(
            "mutation($u: String!, $p: String!) { login(userName: $u, password: $p) { accessToken } }",
            new { u = userName, p = password });
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body["data"]!["login"]!["accessToken"]!.GetValue<string>();
    }

    public static string? ErrorCode(this JsonNode body) => body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();

    /// <summary>The body indented, for assertion messages; with the hosts' last logged exceptions when it holds an INTERNAL_ERROR.</summary>
    public static string Pretty(this JsonNode node)
    {
        var text = node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return text.Contains("\"INTERNAL_ERROR\"", StringComparison.Ordinal)
            ? text + Environment.NewLine + "Exceptions the test hosts logged last:" + Environment.NewLine + HostIncidents.Describe()
            : text;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.BadInput;

/// <summary>A host of its own: the bad-input suites compare database dumps, so nobody else may write meanwhile.</summary>
public sealed class BadInputFactory : EnrollmentFactory
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>A bearer token of the Tiny demo account with <paramref name="role"/>; null for anonymous.</summary>
    public async Task<string?> TokenAsync(HttpClient client, string? role)
    {
        if (role is null)
        {
            return null;
        }

        if (!_tokens.TryGetValue(role, out var token))
        {
            var account = Tiny.Account(role);
            token = await client.LoginAsync(account.UserName, account.Password);
            _tokens[role] = token;
        }

        return token;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BadInputCollection : ICollectionFixture<BadInputFactory>
{
    public const string Name = "bad input";
}

/// <summary>What a malformed request got back, and whether that answer is acceptable.</summary>
public sealed record BadInputReply(HttpStatusCode Status, string Text)
{
    /// <summary>Codes that mean "the server failed", never an answer to bad input.</summary>
    private static readonly string[] ServerFailures = ["INTERNAL_ERROR", "INTERNAL_SERVER_ERROR", "UNKNOWN"];

    public IReadOnlyList<string> Codes
    {
        get
        {
            try
            {
                return JsonNode.Parse(Text)?["errors"]?.AsArray()
                    .Select(e => e?["extensions"]?["code"]?.GetValue<string>() ?? "(no code)").ToList() ?? [];
            }
            catch (System.Text.Json.JsonException)
            {
                return [];
            }
        }
    }

    public bool Accepted => (int)Status < 300 && Codes.Count == 0;

    /// <summary>Null when the reply is a clear typed refusal (or an acceptance); otherwise what is wrong with it.</summary>
    public string? Problem()
    {
        if ((int)Status >= 500)
        {
            return $"HTTP {(int)Status}";
        }

        if (Text.Contains("   at ", StringComparison.Ordinal) || Text.Contains("\\n   at", StringComparison.Ordinal)
            || Text.Contains("Exception", StringComparison.Ordinal))
        {
            return "stack trace or exception type in the body: " + Shorten(Text);
        }

        var codes = Codes;
        if (codes.Any(c => ServerFailures.Contains(c, StringComparer.Ordinal) || c == "(no code)"))
        {
            return $"untyped or server error {string.Join(",", codes)}: {Shorten(Text)}";
        }

        if ((int)Status >= 400 && codes.Count == 0)
        {
            return $"HTTP {(int)Status} without a typed error: {Shorten(Text)}";
        }

        return null;
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

public static class BadInputHttp
{
    private static readonly byte[] InvalidUtf8 = [0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80];

    /// <summary>Posts raw bytes to /graphql; the invalid-UTF-8 marker is replaced by bytes no UTF-8 decoder accepts.</summary>
    public static async Task<BadInputReply> PostGraphQLAsync(this HttpClient client, string json, string? bearer,
        string contentType = "application/json")
    {
        var bytes = ReplaceMarker(Encoding.UTF8.GetBytes(json.Replace(Malformed.LoneSurrogateMarker, "x\\ud800y", StringComparison.Ordinal)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Accept", GraphQLClient.ResponseJson);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        return new BadInputReply(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] ReplaceMarker(byte[] bytes)
    {
        var marker = Encoding.UTF8.GetBytes(Malformed.InvalidUtf8Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            return bytes;
        }

        return [.. bytes.AsSpan(0, at), .. InvalidUtf8, .. bytes.AsSpan(at + marker.Length)];
    }

    /// <summary>The role a corpus case runs as: the one the field admits that reaches the handler with the widest scope.</summary>
    public static string? RoleFor(IReadOnlyCollection<string>? roles)
    {
        if (roles is null || roles.Count == 0)
        {
            return null;
        }

        foreach (var preferred in new[] { Roles.Parent, Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.SchoolAdmin, Roles.Analyst })
        {
            if (roles.Contains(preferred))
            {
                return preferred;
            }
        }

        return roles.First();
    }
}

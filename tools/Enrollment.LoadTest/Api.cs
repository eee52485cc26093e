using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Enrollment.LoadTest;

/// <summary>The outcome of one request: the JSON body (null when none) and the error kind (null when it succeeded).</summary>
public sealed record Reply(JsonNode? Body, string? Error, int Status)
{
    public JsonNode? Data(string field) => Body?["data"]?[field];
}

/// <summary>GraphQL over HTTP and the admin pages, timing every request into <see cref="Stats"/>.</summary>
public sealed partial class Api(HttpClient http, Stats stats)
{
    public Stats Stats => stats;

    public async Task<Reply> GraphQLAsync(string operation, string query, object? variables, string? bearer, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            watch.Stop();
            stats.Record(operation, watch.Elapsed.TotalMilliseconds);
            JsonNode? body = null;
            try
            {
                body = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }

            var status = (int)response.StatusCode;
            var error = status >= 500 ? $"HTTP {status}"
                : body?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>() is { } code ? code
                : body?["errors"] is not null ? "GRAPHQL_ERROR"
                : status >= 400 ? $"HTTP {status}"
                : null;
            if (error is not null)
            {
                stats.Error(operation, error);
            }

            return new Reply(body, error, status);
        }
        catch (HttpRequestException e)
        {
            stats.Error(operation, "TRANSPORT");
            return new Reply(null, "TRANSPORT " + e.Message, 0);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            stats.Error(operation, "TRANSPORT");
            return new Reply(null, "TRANSPORT timeout", 0);
        }
    }

    /// <summary>A GET of an admin page with the signed-in cookie (a separate client holds it).</summary>
    public async Task<Reply> PageAsync(HttpClient cookieClient, string operation, string url, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await cookieClient.GetAsync(url, ct);
            await response.Content.ReadAsStringAsync(ct);
            stats.Record(operation, watch.Elapsed.TotalMilliseconds);
            var status = (int)response.StatusCode;
            var error = status == 200 ? null : $"HTTP {status}";
            if (error is not null)
            {
                stats.Error(operation, error);
            }

            return new Reply(null, error, status);
        }
        catch (HttpRequestException)
        {
            stats.Error(operation, "TRANSPORT");
            return new Reply(null, "TRANSPORT", 0);
        }
    }

    /// <summary>Signs in through the admin sign-in form (antiforgery token + cookie); true when redirected in.</summary>
    public static async Task<bool> AdminSignInAsync(HttpClient cookieClient, string userName, string password, CancellationToken ct = default)
    {
        var form = await cookieClient.GetStringAsync("/admin/account/login", ct);
        var token = Token().Match(form).Groups[1].Value;
        using var response = await cookieClient.PostAsync("/admin/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }), ct);
        return (int)response.StatusCode is 302 or 303;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

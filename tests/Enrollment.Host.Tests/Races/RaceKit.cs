using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Races;

/// <summary>Runs two GraphQL requests at the same instant and reads both answers.</summary>
public static class RaceKit
{
    /// <summary>Codes a loser of a race may get: typed, retryable or "already done". Anything else fails the race suite.</summary>
    public static readonly string[] LoserCodes =
        ["CONCURRENCY_CONFLICT", "CONCURRENT_CHANGE", "APPLICATION_EXISTS", "QUOTA_NOT_PENDING", "WRONG_STATUS", "ALLOCATION_RUN_IN_PROGRESS",
         "ALLOCATION_RUN_CONFLICT"];

    public static async Task<(JsonNode A, JsonNode B)> TogetherAsync(Func<Task<JsonNode>> a, Func<Task<JsonNode>> b)
    {
        using var start = new SemaphoreSlim(0, 2);
        async Task<JsonNode> Run(Func<Task<JsonNode>> action)
        {
            await start.WaitAsync();
            return await action();
        }

        var first = Task.Run(() => Run(a));
        var second = Task.Run(() => Run(b));
        start.Release(2);
        return (await first, await second);
    }

    public static Func<Task<JsonNode>> Ask(HttpClient client, string query, object variables, string bearer) => async () =>
    {
        var (_, body) = await client.PostAsync(query, variables, bearer);
        return body;
    };

    /// <summary>Null when the answer succeeded or lost with a typed loser code; otherwise what is wrong.</summary>
    public static string? Problem(JsonNode body)
    {
        var code = body.ErrorCode();
        if (body["errors"] is null)
        {
            return null;
        }

        return code is not null && LoserCodes.Contains(code, StringComparer.Ordinal) ? null : $"unexpected answer {body.Pretty()}";
    }

    public static bool Succeeded(JsonNode body) => body["errors"] is null;
}

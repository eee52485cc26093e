using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.Registry;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// The host is SIGKILLed in the middle of work and restarted on the same data directory (SQLite): acknowledged writes
/// survive, nothing is half-written, interrupted work completes after the restart. The kill moment is random; the seed is
/// printed so a failure can be replayed.
/// </summary>
public sealed class KillRestartTests(ITestOutputHelper output)
{
    private const string Ministry = "ministry";
    private const string MinistryPassword = "Demo-Ministry-2026!";

    private static readonly string MyApplications = $"{{ myApplications {{ {Families.Fields} }} }}";

    [Fact]
    public async Task Killed_during_a_burst_of_submissions_every_acknowledged_application_is_there_whole_and_retries_finish_the_rest()
    {
        var random = Seeded();
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon);
        var host = await env.StartAsync();
        var prepared = await PrepareAsync(host.Client, Families.Eligible.Take(20));

        var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        // At most half acknowledged before the kill: batched commits acknowledge several submits at once, so a later
        // moment could let the whole burst finish before the process dies.
        var killAfter = random.Next(2, prepared.Count / 2);
        var enough = new TaskCompletionSource();
        using var gate = new SemaphoreSlim(6);
        var burst = Task.WhenAll(prepared.Select(async p =>
        {
            await gate.WaitAsync();
            try
            {
                var (status, body) = await host.Client.PostAsync(Families.Submit, p.Input, p.Token);
                if (status == HttpStatusCode.OK && body["errors"] is null)
                {
                    acknowledged[p.Family.ChildPin] = body["data"]!["submitApplication"]!.Id();
                    if (acknowledged.Count >= killAfter)
                    {
                        enough.TrySetResult();
                    }
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                // in flight when the host died: the client does not know the outcome
            }
            finally
            {
                gate.Release();
            }
        }));
        await Task.WhenAny(enough.Task, burst);
        host.Kill();
        await burst;
        output.WriteLine($"killed after {acknowledged.Count} of {prepared.Count} acknowledged submissions");
        Assert.True(acknowledged.Count < prepared.Count, "the kill came too late to interrupt anything");

        var restarted = await env.StartAsync();
        foreach (var p in prepared)
        {
            var mine = await ApplicationsOfAsync(restarted.Client, p);
            if (acknowledged.TryGetValue(p.Family.ChildPin, out var id))
            {
                var application = Assert.Single(mine);
                Assert.Equal(id, application.Id());
                Assert.Equal("SUBMITTED", application.Status());
                Assert.NotEmpty(application["history"]!.AsArray());
                Assert.NotEmpty(application["choices"]!.AsArray());
            }
            else
            {
                // the parent retries with the same idempotency key: exactly one application, whatever the first attempt did
                var (_, retry) = await restarted.Client.PostAsync(Families.Submit, p.Input, p.Token);
                Assert.True(retry["errors"] is null, retry.ToJsonString());
                var again = await ApplicationsOfAsync(restarted.Client, p);
                Assert.Equal(retry["data"]!["submitApplication"]!.Id(), Assert.Single(again).Id());
            }
        }

        AssertIntact(env);
        Assert.Equal(0L, Scalar(env, """
            SELECT count(*) FROM registry_application a
            WHERE a.status <> 'Draft' AND (NOT EXISTS (SELECT 1 FROM registry_application_history h WHERE h.application_id = a.id)
                                         OR NOT EXISTS (SELECT 1 FROM registry_application_choice c WHERE c.application_id = a.id))
            """));
    }

    internal sealed record Prepared(Family Family, string Token, object Input);

    internal static async Task<List<Prepared>> PrepareAsync(HttpClient client, IEnumerable<Family> families)
    {
        var result = new List<Prepared>();
        foreach (var family in families)
        {
            var token = await client.SignUpAsync(family);
            var draft = await client.DraftAsync(token, family);
            var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            var program = (await client.ProgramsAsync(resident)).First();
            result.Add(new Prepared(family, token, Families.SubmitInput(family, [program], key: Guid.NewGuid().ToString("N"))));
        }

        return result;
    }

    private static async Task<List<JsonNode>> ApplicationsOfAsync(HttpClient client, Prepared p)
    {
        var (_, body) = await client.PostAsync(MyApplications, bearer: p.Token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return [.. body["data"]!["myApplications"]!.AsArray()
            .Where(a => a!["childPin"]!.GetValue<string>() == p.Family.ChildPin && a["status"]!.GetValue<string>() != "DRAFT").Select(a => a!)];
    }

    internal Random Seeded()
    {
        var seed = Environment.GetEnvironmentVariable("ENROLLMENT_KILL_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"ENROLLMENT_KILL_SEED={seed}");
        return new Random(seed);
    }

    internal static void AssertIntact(HostEnvironment env) => Assert.Equal("ok", Query(env, "PRAGMA integrity_check").Single());

    /// <param name="file">The SQLite file to read; default the shared <see cref="HostEnvironment.DatabaseFile"/>.</param>
    internal static long Scalar(HostEnvironment env, string sql, string? file = null) =>
        Convert.ToInt64(Query(env, sql, file).Single(), System.Globalization.CultureInfo.InvariantCulture);

    internal static List<object> Query(HostEnvironment env, string sql, string? file = null)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file ?? env.DatabaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object>();
        while (reader.Read())
        {
            rows.Add(reader.GetValue(0));
        }

        return rows;
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// SIGKILL during an allocation run (ADR 0400): the run committed whole (run row, its offers) or left nothing; after the
/// restart the next run completes — at once, or after the dead owner's lease (15 min on the clock) has expired.
/// </summary>
public sealed class AllocationKillTests(ITestOutputHelper output)
{
    internal const string Run = "mutation($dry: Boolean!) { runAllocation(dryRun: $dry) { run { id status applications offers durationMs } } }";

    [Fact]
    public async Task Killed_during_an_allocation_run_the_run_is_all_or_nothing_and_the_next_run_completes()
    {
        var random = new KillRestartTests(output).Seeded();
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon);
        var host = await env.StartAsync();
        foreach (var p in await KillRestartTests.PrepareAsync(host.Client, Families.Eligible.Take(12)))
        {
            var (_, body) = await host.Client.PostAsync(Families.Submit, p.Input, p.Token);
            Assert.True(body["errors"] is null, body.ToJsonString());
        }

        var ministry = await host.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var timer = Stopwatch.StartNew();
        var (_, dry) = await host.Client.PostAsync(Run, new { dry = true }, ministry);
        var took = timer.Elapsed;
        Assert.True(dry["errors"] is null, dry.ToJsonString());

        var killAt = TimeSpan.FromMilliseconds(random.Next(0, (int)Math.Max(50, took.TotalMilliseconds * 1.5)));
        output.WriteLine($"dry run took {took.TotalMilliseconds:F0} ms; kill {killAt.TotalMilliseconds:F0} ms after the run request");
        var running = host.Client.PostAsync(Run, new { dry = false }, ministry);
        await Task.Delay(killAt);
        host.Kill();
        var answered = await AnswerOrNothing(running);
        output.WriteLine($"the run's client got: {answered?.ToJsonString() ?? "no answer"}");

        var restarted = await env.StartAsync();
        KillRestartTests.AssertIntact(env);
        AssertRunsWhole(env);
        if (answered?["data"]?["runAllocation"] is { } acknowledged)
        {
            var id = acknowledged["run"]!["id"]!.GetValue<string>();
            Assert.Equal(1L, KillRestartTests.Scalar(env, $"SELECT count(*) FROM allocation_run WHERE upper(id) = upper('{id}') AND status = 'Completed'"));
        }

        ministry = await restarted.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var (_, next) = await restarted.Client.PostAsync(Run, new { dry = false }, ministry);
        if (next.ErrorCode() == "ALLOCATION_RUN_IN_PROGRESS")
        {
            // the dead host held the lock: its lease runs out on the clock, then the next run takes it
            output.WriteLine("lock held by the killed host; moving the clock past its lease");
            env.SetClock(ApplicationsFactory.StageOneNoon.AddMinutes(20));
            ministry = await restarted.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
            (_, next) = await restarted.Client.PostAsync(Run, new { dry = false }, ministry);
        }

        Assert.True(next["errors"] is null, next.ToJsonString());
        Assert.Equal("Completed", next["data"]!["runAllocation"]!["run"]!["status"]!.GetValue<string>());
        AssertRunsWhole(env);
        Assert.Equal(12L, KillRestartTests.Scalar(env, "SELECT count(DISTINCT application_id) FROM allocation_offer WHERE status IN ('Offered', 'Confirmed')")
            + KillRestartTests.Scalar(env, "SELECT count(*) FROM registry_application WHERE status = 'Waitlisted'"));
    }

    /// <summary>Every committed run has exactly the offers it counted; no other run has any; no application holds two offers.</summary>
    internal static void AssertRunsWhole(HostEnvironment env)
    {
        Assert.Equal(0L, KillRestartTests.Scalar(env, """
            SELECT count(*) FROM allocation_run r
            WHERE (r.status = 'Completed' AND r.dry_run = 0 AND r.offers <> (SELECT count(*) FROM allocation_offer o WHERE o.run_id = r.id))
               OR ((r.status <> 'Completed' OR r.dry_run = 1) AND EXISTS (SELECT 1 FROM allocation_offer o WHERE o.run_id = r.id))
            """));
        Assert.Equal(0L, KillRestartTests.Scalar(env, "SELECT count(*) FROM allocation_offer o WHERE NOT EXISTS (SELECT 1 FROM allocation_run r WHERE r.id = o.run_id)"));
        Assert.Equal(0L, KillRestartTests.Scalar(env, """
            SELECT count(*) FROM (SELECT application_id FROM allocation_offer WHERE status IN ('Offered', 'Confirmed') GROUP BY application_id HAVING count(*) > 1)
            """));
    }

    internal static async Task<JsonNode?> AnswerOrNothing(Task<(System.Net.HttpStatusCode Status, JsonNode Body)> request)
    {
        try
        {
            var (_, body) = await request;
            return body;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }
}

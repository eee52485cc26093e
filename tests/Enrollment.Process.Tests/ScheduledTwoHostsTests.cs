using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.Registry;
using Npgsql;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// Issue #9 "several hosts", the SCHEDULED run: two host processes on one PostgreSQL, both running the Hangfire server on
/// PostgreSQL storage. Applications are submitted while no job server runs; then the clock (Testing:ClockFile) is moved
/// past the end of Stage One's equal-footing window and both hosts start their servers. The stage watch (a recurring job,
/// one id for both hosts) publishes Stage One once and schedules the stage's first run; that run happens exactly once —
/// one StageOpening run row, every application offered or waitlisted once, both hosts answering the same runs. And when
/// the host executing that run is SIGKILLed in the middle of it, the job goes to the other host (Hangfire's invisibility
/// timeout, shortened here with Jobs:InvisibilityTimeout), which takes the dead owner's run lock after its lease (15 min on
/// the clock) and completes the run — still exactly once.
/// </summary>
public sealed class ScheduledTwoHostsTests(ITestOutputHelper output)
{
    private const int FamilyCount = 12;

    private static readonly Dictionary<string, string> JobSettings = new() { ["Jobs:InvisibilityTimeout"] = "00:00:15" };

    [PostgresFact]
    public async Task The_scheduled_stage_opening_run_happens_exactly_once_with_two_hosts_running_jobs()
    {
        Assert.True(Postgres.Available, Postgres.SkipReason);
        var database = Postgres.CreateDatabase();
        try
        {
            await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon, database);
            var due = await SubmitWithoutJobServersAsync(env);
            env.SetClock(due.AddMinutes(2));
            // Hold the run at its commit until both hosts' job servers are up, and a while longer: the other server
            // polls the queue all that time and must not start the same run.
            HostProcess a, b;
            await using (var blocker = await HoldOffersAsync(database))
            {
                a = await env.StartAsync(jobServer: true, JobSettings);
                b = await env.StartAsync(jobServer: true, JobSettings);
                await WaitForAsync(database, RunWaitingOnOffers, TimeSpan.FromMinutes(4), a, b);
                await Task.Delay(TimeSpan.FromSeconds(10));
                Assert.Equal(1L, Postgres.Scalar(database, RunWaitingOnOffers));
            }

            await WaitForAsync(database, "SELECT count(*) FROM allocation.run WHERE trigger = 'StageOpening' AND status = 'Completed'", TimeSpan.FromMinutes(4), a, b);
            await Task.Delay(TimeSpan.FromSeconds(5)); // a duplicate delivery, if there were one, gets the time to show

            AssertExactlyOnce(database);
            var runsA = await RunsAsync(a);
            var runsB = await RunsAsync(b);
            Assert.Equal(runsA, runsB);
            Assert.Contains("StageOpening", runsA, StringComparison.Ordinal);
            Assert.Equal(1L, Postgres.Scalar(database, """
                SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%StageOpeningAsync%' AND statename = 'Succeeded'
                """));
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    [PostgresFact]
    public async Task When_the_host_running_the_scheduled_run_is_killed_the_other_host_completes_it_once()
    {
        Assert.True(Postgres.Available, Postgres.SkipReason);
        var database = Postgres.CreateDatabase();
        try
        {
            await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon, database);
            var due = await SubmitWithoutJobServersAsync(env);
            env.SetClock(due.AddMinutes(2));

            // Hold the run in the middle: its commit cannot insert offers while the test holds a SHARE lock on the table.
            var blocker = await HoldOffersAsync(database);
            var hosts = new[] { await env.StartAsync(jobServer: true, JobSettings), await env.StartAsync(jobServer: true, JobSettings) };
            await WaitForAsync(database, RunWaitingOnOffers, TimeSpan.FromMinutes(4), hosts);
            var owner = Text(database, "SELECT owner FROM allocation.lock WHERE owner IS NOT NULL");
            var runner = hosts.Single(h => owner.Split(':')[1] == h.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var survivor = hosts.Single(h => h != runner);
            output.WriteLine($"the run is held on host pid {runner.Pid} (lock owner {owner}); killing it");
            runner.Kill();
            await blocker.DisposeAsync();

            // The dead owner's lease runs out on the clock; Hangfire hands the job to the survivor after 15 s.
            env.SetClock(due.AddMinutes(2 + 20));
            await WaitForAsync(database, "SELECT count(*) FROM allocation.run WHERE trigger = 'StageOpening' AND status = 'Completed'", TimeSpan.FromMinutes(4), survivor);
            await Task.Delay(TimeSpan.FromSeconds(5));

            Assert.True(runner.HasExited);
            AssertExactlyOnce(database);
            Assert.Equal(HttpStatusCode.OK, (await survivor.Client.GetAsync("/healthz")).StatusCode);
            Assert.Contains("StageOpening", await RunsAsync(survivor), StringComparison.Ordinal);
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    /// <summary>A run that has reached its commit and waits for the test's lock on the offers table.</summary>
    private const string RunWaitingOnOffers = """
        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%allocation%offer%'
        """;

    /// <summary>A SHARE lock on allocation.offer in an open transaction (released on dispose): a run's commit waits for it.</summary>
    private static async Task<NpgsqlConnection> HoldOffersAsync(string database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE allocation.offer IN SHARE MODE", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Stage One at noon of day 2, no job server anywhere: the families submit; returns when Stage One's first run is due.</summary>
    private async Task<DateTimeOffset> SubmitWithoutJobServersAsync(HostEnvironment env)
    {
        var seed = await env.StartAsync(jobServer: false);
        foreach (var p in await KillRestartTests.PrepareAsync(seed.Client, Families.Eligible.Take(FamilyCount)))
        {
            var (_, body) = await seed.Client.PostAsync(Families.Submit, p.Input, p.Token);
            Assert.True(body["errors"] is null, body.ToJsonString());
        }

        var (_, schedule) = await seed.Client.PostAsync("{ allocationSchedule { stageOneFirstRunAt } }");
        var due = schedule["data"]!["allocationSchedule"]!["stageOneFirstRunAt"]!.GetValue<DateTimeOffset>();
        Assert.True(due > ApplicationsFactory.StageOneNoon, $"{due:O}");
        Assert.Equal(0L, Postgres.Scalar(env.Postgres!, "SELECT count(*) FROM allocation.run"));
        seed.Kill();
        return due;
    }

    /// <summary>One completed StageOpening run with exactly its offers; every application offered once or waitlisted.</summary>
    private static void AssertExactlyOnce(string database)
    {
        Assert.Equal(1L, Postgres.Scalar(database, "SELECT count(*) FROM allocation.run WHERE trigger = 'StageOpening' AND NOT dry_run"));
        Assert.Equal(1L, Postgres.Scalar(database, "SELECT count(*) FROM allocation.run WHERE trigger = 'StageOpening' AND status = 'Completed'"));
        Assert.Equal(0L, Postgres.Scalar(database, """
            SELECT count(*) FROM allocation.run r
            WHERE (r.status = 'Completed' AND NOT r.dry_run AND r.offers <> (SELECT count(*) FROM allocation.offer o WHERE o.run_id = r.id))
               OR ((r.status <> 'Completed' OR r.dry_run) AND EXISTS (SELECT 1 FROM allocation.offer o WHERE o.run_id = r.id))
            """));
        Assert.Equal(0L, Postgres.Scalar(database, """
            SELECT count(*) FROM (SELECT application_id FROM allocation.offer WHERE status IN ('Offered', 'Confirmed') GROUP BY application_id HAVING count(*) > 1) d
            """));
        Assert.Equal(FamilyCount, Postgres.Scalar(database, "SELECT count(DISTINCT application_id) FROM allocation.offer WHERE status IN ('Offered', 'Confirmed')")
            + Postgres.Scalar(database, "SELECT count(*) FROM registry.application WHERE status = 'Waitlisted'"));
    }

    private static async Task<string> RunsAsync(HostProcess host)
    {
        var ministry = await host.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var (_, body) = await host.Client.PostAsync("{ allocationRuns { id trigger status offers waitlisted } }", bearer: ministry);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return new JsonArray([.. body["data"]!["allocationRuns"]!.AsArray().Select(r => r!.DeepClone())
            .OrderBy(r => r["id"]!.GetValue<string>(), StringComparer.Ordinal)]).ToJsonString();
    }

    private async Task WaitForAsync(string database, string countSql, TimeSpan limit, params HostProcess[] hosts)
    {
        var waited = Stopwatch.StartNew();
        while (Postgres.Scalar(database, countSql) == 0)
        {
            Assert.True(waited.Elapsed < limit, $"waited {limit} for: {countSql}\n" + string.Join("\n---\n", hosts.Select(h => h.Log)));
            await Task.Delay(200);
        }

        output.WriteLine($"after {waited.Elapsed.TotalSeconds:F1} s: {countSql.Trim()}");
    }

    private static string Text(string database, string sql)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (string)command.ExecuteScalar()!;
    }
}

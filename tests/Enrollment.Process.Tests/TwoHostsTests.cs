using System.Net;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// Issue #9 "several hosts": two host processes on different ports against one PostgreSQL database. Requests are served
/// side by side, allocation runs never overlap (the lock row of ADR 0400) and never duplicate offers, and when one host
/// is killed during a run the other finishes the next run.
/// </summary>
public sealed class TwoHostsTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Two_hosts_on_one_PostgreSQL_serve_side_by_side_never_overlap_runs_and_survive_the_death_of_one()
    {
        Assert.True(Postgres.Available, Postgres.SkipReason);
        var random = new KillRestartTests(output).Seeded();
        var database = Postgres.CreateDatabase();
        try
        {
            await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon, database);
            var a = await env.StartAsync(jobServer: true);
            var b = await env.StartAsync(jobServer: true);

            // side by side: each family prepared on one host, submitted on the other, read back on the first
            var families = Families.Eligible.Take(12).ToList();
            var prepared = await KillRestartTests.PrepareAsync(a.Client, families);
            var submits = await Task.WhenAll(prepared.Select((p, i) => (i % 2 == 0 ? a : b).Client.PostAsync(Families.Submit, p.Input, p.Token)));
            Assert.All(submits, s => Assert.True(s.Status == HttpStatusCode.OK && s.Body["errors"] is null, s.Body.ToJsonString()));
            var (_, openA) = await a.Client.PostAsync("{ openDataRegions { regionCode schools } }");
            var (_, openB) = await b.Client.PostAsync("{ openDataRegions { regionCode schools } }");
            Assert.Null(openA["errors"]);
            Assert.Equal(openA.ToJsonString(), openB.ToJsonString());
            foreach (var (p, i) in prepared.Select((p, i) => (p, i)))
            {
                var (_, mine) = await (i % 2 == 0 ? b : a).Client.PostAsync("{ myApplications { id status } }", bearer: p.Token);
                Assert.Contains(mine["data"]!["myApplications"]!.AsArray(), x => x!["status"]!.GetValue<string>() == "SUBMITTED");
            }

            // the same run triggered on both hosts at once: they never overlap (one refuses, or they run one after the other)
            var ministryA = await a.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
            var ministryB = await b.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
            var both = await Task.WhenAll(
                a.Client.PostAsync(AllocationKillTests.Run, new { dry = false }, ministryA),
                b.Client.PostAsync(AllocationKillTests.Run, new { dry = false }, ministryB));
            foreach (var (_, body) in both)
            {
                output.WriteLine(body.ToJsonString());
                Assert.True(body["errors"] is null || body.ErrorCode() == "ALLOCATION_RUN_IN_PROGRESS", body.ToJsonString());
            }

            Assert.Contains(both, r => r.Body["errors"] is null);
            AssertRunsWhole(database);
            Assert.Equal(0L, Postgres.Scalar(database, """
                SELECT count(*) FROM allocation.run r1 JOIN allocation.run r2 ON r1.id < r2.id
                WHERE NOT r1.dry_run AND NOT r2.dry_run AND r1.status = 'Completed' AND r2.status = 'Completed'
                  AND r1.started_at < r2.finished_at AND r2.started_at < r1.finished_at
                """));

            // one host dies during a run; the other finishes the next run (after the dead owner's lease, if it held the lock)
            var running = a.Client.PostAsync(AllocationKillTests.Run, new { dry = false }, ministryA);
            await Task.Delay(random.Next(0, 400));
            a.Kill();
            output.WriteLine($"the killed host's run answered: {(await AllocationKillTests.AnswerOrNothing(running))?.ToJsonString() ?? "nothing"}");
            var (_, next) = await b.Client.PostAsync(AllocationKillTests.Run, new { dry = false }, ministryB);
            if (next.ErrorCode() == "ALLOCATION_RUN_IN_PROGRESS")
            {
                env.SetClock(ApplicationsFactory.StageOneNoon.AddMinutes(20));
                ministryB = await b.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
                (_, next) = await b.Client.PostAsync(AllocationKillTests.Run, new { dry = false }, ministryB);
            }

            Assert.True(next["errors"] is null, next.ToJsonString());
            Assert.Equal("Completed", next["data"]!["runAllocation"]!["run"]!["status"]!.GetValue<string>());
            AssertRunsWhole(database);
            var health = await b.Client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    private static void AssertRunsWhole(string database)
    {
        Assert.Equal(0L, Postgres.Scalar(database, """
            SELECT count(*) FROM allocation.run r
            WHERE (r.status = 'Completed' AND NOT r.dry_run AND r.offers <> (SELECT count(*) FROM allocation.offer o WHERE o.run_id = r.id))
               OR ((r.status <> 'Completed' OR r.dry_run) AND EXISTS (SELECT 1 FROM allocation.offer o WHERE o.run_id = r.id))
            """));
        Assert.Equal(0L, Postgres.Scalar(database, """
            SELECT count(*) FROM (SELECT application_id FROM allocation.offer WHERE status IN ('Offered', 'Confirmed') GROUP BY application_id HAVING count(*) > 1) d
            """));
    }
}

using System.Net;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.Registry;
using Npgsql;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// Reporting's read-model rebuild on several hosts (one PostgreSQL database): a rebuild replaces the read tables with the
/// snapshot it read first, so no host may apply a status change between that read and the rebuild's commit, or the change
/// is wiped until the next rebuild. Every host's changes take the read model's advisory lock shared, a rebuild takes it
/// exclusively before it reads. "Another host" is played here by a plain PostgreSQL session holding the same lock.
/// </summary>
public sealed class ReadModelRebuildTwoHostsTests(ITestOutputHelper output)
{
    /// <summary>The read model's advisory lock key (ReadModelWriter.ReadModelFacts; it has no campaign part).</summary>
    private const long ReadModelFacts = 0x7E0AFAC7L;

    private const string Daily = "{ openDataDaily { submitted } }";

    [PostgresFact]
    public Task A_submit_on_one_host_waits_while_another_host_rebuilds_the_read_model_and_is_counted_after_it() =>
        OnOneHostAsync(Families.Eligible.Take(2), async (database, host, prepared) =>
        {
            var first = await host.Client.PostAsync(Families.Submit, prepared[0].Input, prepared[0].Token);
            Assert.True(first.Status == HttpStatusCode.OK && first.Body["errors"] is null, first.Body.ToJsonString());
            Assert.Equal(1, await SubmittedAsync(host));

            await using (var rebuild = await HoldAsync(database, "SELECT pg_advisory_lock({0})"))
            {
                var submit = host.Client.PostAsync(Families.Submit, prepared[1].Input, prepared[1].Token);
                await WaitingForTheLockAsync(database, submit);
                Assert.False(submit.IsCompleted, "the submit was answered while another host's rebuild held the read model");
                Assert.Equal(1, await SubmittedAsync(host));
                await rebuild.ReleaseAsync("SELECT pg_advisory_unlock({0})");
                var second = await submit;
                Assert.True(second.Status == HttpStatusCode.OK && second.Body["errors"] is null, second.Body.ToJsonString());
            }

            Assert.Equal(2, await SubmittedAsync(host));
        });

    [PostgresFact]
    public Task A_rebuild_waits_for_the_changes_other_hosts_are_applying_and_keeps_them() =>
        OnOneHostAsync(Families.Eligible.Skip(2).Take(3), async (database, host, prepared) =>
        {
            foreach (var p in prepared)
            {
                var (status, body) = await host.Client.PostAsync(Families.Submit, p.Input, p.Token);
                Assert.True(status == HttpStatusCode.OK && body["errors"] is null, body.ToJsonString());
            }

            var ministry = await host.Client.LoginAsync("ministry", "Demo-Ministry-2026!");
            await using (var applying = await HoldAsync(database, "SELECT pg_advisory_lock_shared({0})"))
            {
                var rebuild = host.Client.PostAsync("mutation { rebuildReportingReadModels { applicationFacts } }", bearer: ministry);
                await WaitingForTheLockAsync(database, rebuild);
                Assert.False(rebuild.IsCompleted, "the rebuild ran while another host was applying changes");
                await applying.ReleaseAsync("SELECT pg_advisory_unlock_shared({0})");
                var (status, body) = await rebuild;
                Assert.True(status == HttpStatusCode.OK && body["errors"] is null, body.ToJsonString());
                Assert.Equal(3, body["data"]!["rebuildReportingReadModels"]!["applicationFacts"]!.GetValue<int>());
            }

            Assert.Equal(3, await SubmittedAsync(host));
        });

    /// <summary>One host on a fresh PostgreSQL database, the families signed up with drafts ready to submit.</summary>
    private async Task OnOneHostAsync(IEnumerable<Family> families, Func<string, HostProcess, List<KillRestartTests.Prepared>, Task> test)
    {
        Assert.True(Postgres.Available, Postgres.SkipReason);
        var database = Postgres.CreateDatabase();
        try
        {
            await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon, database);
            var host = await env.StartAsync();
            await test(database, host, await KillRestartTests.PrepareAsync(host.Client, families));
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    private static async Task<int> SubmittedAsync(HostProcess host)
    {
        var (_, body) = await host.Client.PostAsync(Daily);
        Assert.Null(body["errors"]);
        return body["data"]!["openDataDaily"]!.AsArray().Sum(d => d!["submitted"]!.GetValue<int>());
    }

    /// <summary>Until a session of the database waits for an advisory lock (or <paramref name="request"/> ends, which fails the test).</summary>
    private static async Task WaitingForTheLockAsync(string database, Task request)
    {
        for (var i = 0; i < 600; i++)
        {
            if (Postgres.Scalar(database, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") > 0)
            {
                return;
            }

            Assert.False(request.IsCompleted, "the request was answered without waiting for the read model's advisory lock");
            await Task.Delay(100);
        }

        Assert.Fail("no session waited for the read model's advisory lock within a minute");
    }

    private static async Task<Holder> HoldAsync(string database, string sql)
    {
        var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await Holder.RunAsync(connection, sql);
        return new Holder(connection);
    }

    private sealed class Holder(NpgsqlConnection connection) : IAsyncDisposable
    {
        public static async Task RunAsync(NpgsqlConnection connection, string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, ReadModelFacts);
            await command.ExecuteScalarAsync();
        }

        public Task ReleaseAsync(string sql) => RunAsync(connection, sql);

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}

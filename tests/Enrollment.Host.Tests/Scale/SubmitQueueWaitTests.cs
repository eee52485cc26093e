using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Races;
using Enrollment.Host.Tests.Registry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Scale;

/// <summary>The submit queue with one submit per batch and a one-second bound on the wait for the writer (ADR 0913).</summary>
public sealed class BoundedSubmitWaitFactory : ApplicationsFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Registry:SubmitQueue:MaxBatch", "1");
        builder.UseSetting("Registry:SubmitQueue:MaxWait", "00:00:01");
    }
}

/// <summary>
/// While the database cannot take the writer's batch (another writer holds it), submits that the writer has not begun
/// within <c>Registry:SubmitQueue:MaxWait</c> are withdrawn from the queue and refused with TEMPORARILY_UNAVAILABLE —
/// nothing of them is stored, the writer skips them, and the same request succeeds once the database can write again.
/// </summary>
public sealed class SubmitQueueWaitTests(BoundedSubmitWaitFactory factory, ITestOutputHelper output) : IClassFixture<BoundedSubmitWaitFactory>
{
    [Fact]
    public async Task A_submit_the_writer_has_not_begun_within_the_bound_is_withdrawn_unsaved_and_refused_as_temporarily_unavailable()
    {
        var client = factory.CreateClient();
        var families = Families.Eligible.Take(5).ToList();
        var (tokens, programs) = await client.SignUpAllAsync(families);
        var ministry = await client.MinistryAsync();
        var before = await SubmittedAsync(client, ministry);

        JsonNode[] answers;
        await using (var writeLock = await WriteLock.TakeAsync(factory))
        {
            // The writer takes one submit and waits for the database; the others wait in the queue beyond the bound and are
            // answered while the lock is still held. Then the database is let go, and the one the writer began finishes.
            var sending = RaceSeason.AllTogetherAsync(families.Select(f => (Func<Task<JsonNode>>)(async () =>
                (await client.PostAsync(Families.Submit, Families.SubmitInput(f, [programs[f]], key: "bounded-" + f.ParentPin), tokens[f])).Body)));
            await WaitForRefusalsAsync(client, families.Count - 1, sending);
            await writeLock.DisposeAsync();
            answers = await sending;
        }

        foreach (var answer in answers)
        {
            output.WriteLine(answer.ToJsonString());
        }

        var refused = answers.Count(a => a.ErrorCode() == "TEMPORARILY_UNAVAILABLE");
        var stored = answers.Count(a => a["data"]?["submitApplication"]?["id"] is not null);
        Assert.Equal(families.Count, refused + stored);
        Assert.True(refused >= families.Count - 1, "every submit the writer had not begun is refused");
        Assert.All(answers.Where(a => a.ErrorCode() == "TEMPORARILY_UNAVAILABLE"),
            a => Assert.NotNull(a["errors"]![0]!["extensions"]!["retryAfterSeconds"]));
        var health = await OpeningDaySmokeTests.QueueHealthAsync(client);
        Assert.True(Withdrawn(health) >= families.Count - 1, health);
        Assert.Equal(before + stored, await SubmittedAsync(client, ministry));

        // The database writes again: each refused submit, sent again with its key, is stored once; the writer is not stuck.
        foreach (var family in families)
        {
            var (_, again) = await client.PostAsync(Families.Submit, Families.SubmitInput(family, [programs[family]], key: "bounded-" + family.ParentPin), tokens[family]);
            Assert.True(again["errors"] is null, again.Pretty());
        }

        Assert.Equal(before + families.Count, await SubmittedAsync(client, ministry));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    [InlineData("00:11:00")]
    public void A_host_with_a_wait_bound_of_zero_or_beyond_ten_minutes_refuses_to_start_and_names_the_setting(string maxWait)
    {
        using var bad = new MaxWaitFactory(maxWait);
        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
        Assert.Contains("Registry:SubmitQueue:MaxWait", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class MaxWaitFactory(string maxWait) : EnrollmentFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Registry:SubmitQueue:MaxWait", maxWait);
        }
    }

    /// <summary>
    /// Waits until the queue has refused <paramref name="count"/> submits, every request was answered, or two minutes
    /// passed (without the bound they would wait for the lock: the assertions then fail instead of the test hanging).
    /// </summary>
    private static async Task WaitForRefusalsAsync(HttpClient client, int count, Task sending)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (!sending.IsCompleted && DateTime.UtcNow < giveUp && Withdrawn(await OpeningDaySmokeTests.QueueHealthAsync(client)) < count)
        {
            await Task.Delay(100);
        }
    }

    private static long Withdrawn(string health) =>
        long.Parse(Regex.Match(health, @"withdrawn unsaved (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static Task<int> SubmittedAsync(HttpClient client, string ministry) => client.ApplicationCountAsync(ministry, "SUBMITTED");
}

/// <summary>
/// Another writer holding the database until disposed: SQLite <c>BEGIN IMMEDIATE</c> on the shared file (its own, non-pooled
/// connection), PostgreSQL an exclusive lock on the applications.
/// </summary>
public sealed class WriteLock : IAsyncDisposable
{
    private readonly System.Data.Common.DbConnection _connection;

    private WriteLock(System.Data.Common.DbConnection connection) => _connection = connection;

    /// <summary>Holds the test host's database: its SQLite file, or its PostgreSQL applications table.</summary>
    public static Task<WriteLock> TakeAsync(EnrollmentFactory factory) => factory.PostgresConnectionString is { } postgres
        ? TakeAsync(new Npgsql.NpgsqlConnection(postgres), "BEGIN; LOCK TABLE registry.application IN EXCLUSIVE MODE")
        : SqliteAsync(Path.Combine(factory.DataDirectory, "enrollment.db"));

    /// <summary>Holds the SQLite file <paramref name="databaseFile"/>'s write lock.</summary>
    public static Task<WriteLock> SqliteAsync(string databaseFile) =>
        TakeAsync(new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString()), "BEGIN IMMEDIATE");

    private static async Task<WriteLock> TakeAsync(System.Data.Common.DbConnection connection, string begin)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = begin;
        await command.ExecuteNonQueryAsync();
        return new WriteLock(connection);
    }

    private bool _released;

    /// <summary>Rolls the other writer back (once; a second call does nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        await using (var command = _connection.CreateCommand())
        {
            command.CommandText = "ROLLBACK";
            await command.ExecuteNonQueryAsync();
        }

        await _connection.DisposeAsync();
    }
}

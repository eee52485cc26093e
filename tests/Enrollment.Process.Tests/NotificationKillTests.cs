using Enrollment.Host.Tests;
using Enrollment.Host.Tests.Registry;
using Hangfire;
using Hangfire.Storage.SQLite;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>
/// SIGKILL during a notification delivery batch (file transport, the embedded default): after the restart every message
/// is delivered at least once, and a message written again after the crash replaces its own file — the message id
/// (file name, <c>Message-ID</c>, the SMS gateway's <c>id</c>) suppresses duplicates.
/// </summary>
public sealed class NotificationKillTests(ITestOutputHelper output)
{
    private const string DeliveryJob = "notifications:deliver";

    [Fact]
    public async Task Killed_during_a_delivery_batch_every_message_is_delivered_once_per_message_id_after_the_restart()
    {
        var random = new KillRestartTests(output).Seeded();
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon);
        var host = await env.StartAsync(jobServer: true);
        foreach (var p in await KillRestartTests.PrepareAsync(host.Client, Families.Eligible.Take(16)))
        {
            var (_, body) = await host.Client.PostAsync(Families.Submit, p.Input, p.Token);
            Assert.True(body["errors"] is null, body.ToJsonString());
        }

        var outbox = Path.Combine(env.DataDirectory, "outbox");
        var before = Files(outbox).Count;
        Trigger(env);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Files(outbox).Count <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        await Task.Delay(random.Next(0, 30));
        host.Kill();
        var sentAtKill = KillRestartTests.Scalar(env, "SELECT count(*) FROM notifications_messages WHERE status = 'Sent'", env.NotificationsFile);
        var messagesAtKill = KillRestartTests.Scalar(env, "SELECT count(*) FROM notifications_messages", env.NotificationsFile);
        output.WriteLine($"killed with {Files(outbox).Count} files written, {sentAtKill} of {messagesAtKill} messages recorded as sent");

        await env.StartAsync(jobServer: true);
        Trigger(env);
        deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && KillRestartTests.Scalar(env, """
            SELECT (SELECT count(*) FROM notifications_events WHERE status = 'Pending') + (SELECT count(*) FROM notifications_messages WHERE status <> 'Sent')
            """, env.NotificationsFile) > 0)
        {
            await Task.Delay(250);
        }

        var ids = KillRestartTests.Query(env, "SELECT id FROM notifications_messages", env.NotificationsFile).Select(id => Guid.Parse((string)id).ToString("N")).ToHashSet();
        Assert.True(ids.Count >= 16, $"only {ids.Count} messages");
        Assert.Equal(0L, KillRestartTests.Scalar(env, "SELECT count(*) FROM notifications_messages WHERE status <> 'Sent'", env.NotificationsFile));
        Assert.Equal(0L, KillRestartTests.Scalar(env, "SELECT count(*) FROM notifications_events WHERE status = 'Pending'", env.NotificationsFile));
        Assert.Equal(0L, KillRestartTests.Scalar(env, "SELECT count(*) FROM (SELECT 1 FROM notifications_messages GROUP BY event_id, channel HAVING count(*) > 1)", env.NotificationsFile));
        var files = Files(outbox);
        Assert.Equal(ids.OrderBy(i => i), files.Select(f => f.Split('.')[0]).OrderBy(i => i)); // one file per message, nothing else (no *.tmp)
        KillRestartTests.AssertIntact(env);
        Assert.Equal("ok", KillRestartTests.Query(env, "PRAGMA integrity_check", env.NotificationsFile).Single());
    }

    private static List<string> Files(string outbox) => Directory.Exists(outbox) ? [.. Directory.GetFiles(outbox).Select(f => Path.GetFileName(f))] : [];

    /// <summary>Runs the minutely delivery job now (what the dashboard's "Trigger now" does), through the host's job storage.</summary>
    private static void Trigger(HostEnvironment env)
    {
        var storage = new SQLiteStorage(Path.Combine(env.DataDirectory, "hangfire.db"), new SQLiteStorageOptions());
        new RecurringJobManager(storage).Trigger(DeliveryJob);
    }
}

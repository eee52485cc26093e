using Enrollment.Backup;
using Microsoft.Data.Sqlite;

namespace Enrollment.Backup.Tests;

public sealed class SqliteBackupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "enrollment-backup-tests", Guid.NewGuid().ToString("N"));

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private SqliteConnection OpenWriter()
    {
        Directory.CreateDirectory(Data);
        var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "enrollment.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; " +
                              "CREATE TABLE IF NOT EXISTS acknowledged (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);";
        command.ExecuteNonQuery();
        return connection;
    }

    [Fact]
    public async Task Backup_taken_during_writes_holds_every_write_acknowledged_before_it_and_restores_intact()
    {
        using var writer = OpenWriter();
        var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var writes = Task.Run(() =>
        {
            for (long i = 1; !stop.IsCancellationRequested && i < 1_000_000; i++)
            {
                using var insert = writer.CreateCommand();
                insert.CommandText = "INSERT INTO acknowledged (id, payload) VALUES ($id, $payload)";
                insert.Parameters.AddWithValue("$id", i);
                insert.Parameters.AddWithValue("$payload", new string('x', 200));
                insert.ExecuteNonQuery(); // autocommit: when this returns, the write is acknowledged
                acknowledged.Enqueue(i);
            }
        });

        while (acknowledged.Count < 2_000)
        {
            await Task.Delay(10);
        }

        var acknowledgedBeforeBackup = acknowledged.ToArray();
        var backupDir = Path.Combine(_root, "backup");
        SqliteBackup.Backup(Data, backupDir);
        await stop.CancelAsync();
        await writes;

        Assert.Equal("ok", SqliteBackup.IntegrityCheck(Path.Combine(backupDir, "enrollment.db")));
        var restoredDir = Path.Combine(_root, "restored");
        SqliteBackup.Restore(backupDir, restoredDir);

        using var restored = new SqliteConnection($"Data Source={Path.Combine(restoredDir, "enrollment.db")};Pooling=False");
        restored.Open();
        using var read = restored.CreateCommand();
        read.CommandText = "SELECT id FROM acknowledged";
        var present = new HashSet<long>();
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                present.Add(reader.GetInt64(0));
            }
        }

        Assert.All(acknowledgedBeforeBackup, id => Assert.Contains(id, present));
        Assert.Equal(present.Count, present.Max()); // a prefix of the writes: nothing half-written, no holes
        Assert.Equal("ok", SqliteBackup.IntegrityCheck(Path.Combine(restoredDir, "enrollment.db")));
    }

    [Fact]
    public void Proof_files_and_keys_travel_with_the_backup_and_come_back_on_restore()
    {
        using (var writer = OpenWriter())
        {
            using var insert = writer.CreateCommand();
            insert.CommandText = "INSERT INTO acknowledged (id, payload) VALUES (1, 'proof row')";
            insert.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var proof = Path.Combine(Directory.CreateDirectory(Path.Combine(Data, "proofs")).FullName, "3f2a9c0d4e5b6a7c8d9e0f1a2b3c4d5e");
        File.WriteAllBytes(proof, [.. "%PDF-1.7 proof"u8]);
        Directory.CreateDirectory(Path.Combine(Data, "keys"));
        File.WriteAllText(Path.Combine(Data, "keys", "registry-child-key.bin"), "secret");
        var backupDir = Path.Combine(_root, "backup");

        SqliteBackup.Backup(Data, backupDir);
        Directory.Delete(Data, recursive: true);
        SqliteBackup.Restore(backupDir, Data);

        Assert.Equal("%PDF-1.7 proof"u8.ToArray(), File.ReadAllBytes(proof));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(Data, "keys", "registry-child-key.bin")));
    }

    [Fact]
    public void Restore_refuses_a_damaged_backup_and_leaves_the_data_untouched()
    {
        using (var writer = OpenWriter())
        {
            using var insert = writer.CreateCommand();
            insert.CommandText = "INSERT INTO acknowledged (id, payload) VALUES (1, 'kept')";
            insert.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var backupDir = Directory.CreateDirectory(Path.Combine(_root, "broken")).FullName;
        File.WriteAllBytes(Path.Combine(backupDir, "enrollment.db"), [.. "SQLite format 3\0"u8, .. new byte[5000]]);
        var before = File.ReadAllBytes(Path.Combine(Data, "enrollment.db"));

        Assert.ThrowsAny<Exception>(() => SqliteBackup.Restore(backupDir, Data));

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(Data, "enrollment.db")));
    }
}

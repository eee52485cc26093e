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
    public void The_modules_own_files_are_backed_up_and_restored_with_the_shared_file()
    {
        WriteFile("enrollment.db", "registry row");
        WriteFile("notifications.db", "outbox row");
        WriteFile("reporting.db", "read-model row");
        var backupDir = Path.Combine(_root, "backup");

        var report = SqliteBackup.Backup(Data, backupDir);
        Directory.Delete(Data, recursive: true);
        SqliteBackup.Restore(backupDir, Data);

        Assert.Equal(["enrollment.db", "notifications.db", "reporting.db"], report.Databases);
        Assert.Equal("outbox row", ReadFile("notifications.db"));
        Assert.Equal("read-model row", ReadFile("reporting.db"));
        Assert.Equal("registry row", ReadFile("enrollment.db"));
    }

    [Fact]
    public void Restoring_a_backup_without_a_modules_own_file_removes_that_file_so_the_module_is_read_from_the_restored_shared_file()
    {
        WriteFile("enrollment.db", "backed up with the outbox inside");
        var backupDir = Path.Combine(_root, "backup");
        SqliteBackup.Backup(Data, backupDir);
        WriteFile("notifications.db", "written later, in a file of its own");
        SqliteConnection.ClearAllPools();

        SqliteBackup.Restore(backupDir, Data);

        Assert.False(File.Exists(Path.Combine(Data, "notifications.db")));
        Assert.Equal("backed up with the outbox inside", ReadFile("enrollment.db"));
    }

    private void WriteFile(string name, string payload)
    {
        Directory.CreateDirectory(Data);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, name)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE rows (payload TEXT NOT NULL); INSERT INTO rows VALUES ($payload);";
        command.Parameters.AddWithValue("$payload", payload);
        command.ExecuteNonQuery();
    }

    private string ReadFile(string name)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, name)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM rows";
        return (string)command.ExecuteScalar()!;
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

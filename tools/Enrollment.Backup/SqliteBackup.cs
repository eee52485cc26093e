using Microsoft.Data.Sqlite;

namespace Enrollment.Backup;

/// <summary>
/// Consistent online backups of the embedded SQLite databases with SQLite's backup API: the copy is a snapshot of
/// one committed state, taken while the host keeps writing (WAL readers never block the writer). Restore copies a
/// verified backup back while the host is stopped.
/// </summary>
internal static class SqliteBackup
{
    /// <summary>
    /// The database files of a data directory that are backed up: the shared file, the modules with a file of their own
    /// (ADR 0907: Notifications' outbox, Reporting's read models) and the job storage. Each file is a snapshot of its own
    /// committed state; the modules' own files hold derived data written after the shared file's commit (Reporting is
    /// rebuilt from Registry, the outbox delivers at least once), so snapshots taken a moment apart stay usable.
    /// </summary>
    public static readonly string[] Databases = ["enrollment.db", "notifications.db", "reporting.db", "hangfire.db"];

    public static BackupReport Backup(string dataDirectory, string targetDirectory)
    {
        Directory.CreateDirectory(targetDirectory);
        var copied = new List<string>();
        foreach (var name in Databases)
        {
            var source = Path.Combine(dataDirectory, name);
            if (!File.Exists(source))
            {
                continue;
            }

            var target = Path.Combine(targetDirectory, name);
            BackupFile(source, target);
            var check = IntegrityCheck(target);
            if (check != "ok")
            {
                throw new InvalidDataException($"The backup of {name} failed its integrity check: {check}");
            }

            copied.Add(name);
        }

        CopyKeys(dataDirectory, targetDirectory);
        return new BackupReport(copied);
    }

    public static void BackupFile(string sourcePath, string targetPath)
    {
        var temporary = targetPath + ".partial";
        File.Delete(temporary);
        using (var source = Open(sourcePath, SqliteOpenMode.ReadOnly))
        using (var destination = Open(temporary, SqliteOpenMode.ReadWriteCreate))
        {
            source.BackupDatabase(destination);
            using var command = destination.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=DELETE;";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        File.Move(temporary, targetPath, overwrite: true);
    }

    /// <summary>Verifies every database of a backup, then replaces the data directory's files (host stopped).</summary>
    public static BackupReport Restore(string backupDirectory, string dataDirectory)
    {
        var restored = new List<string>();
        foreach (var name in Databases)
        {
            var source = Path.Combine(backupDirectory, name);
            if (!File.Exists(source))
            {
                continue;
            }

            var check = IntegrityCheck(source);
            if (check != "ok")
            {
                throw new InvalidDataException($"{name} in the backup is damaged: {check}. Nothing was restored.");
            }

            restored.Add(name);
        }

        Directory.CreateDirectory(dataDirectory);
        foreach (var name in Databases)
        {
            // A database the backup does not have is removed, not kept from the present: a backup made before a module had
            // a file of its own holds that module's tables in the shared file, and the host finds them there only when the
            // module's own file is absent (ADR 0907).
            var target = Path.Combine(dataDirectory, name);
            File.Delete(target + "-wal");
            File.Delete(target + "-shm");
            if (restored.Contains(name))
            {
                File.Copy(Path.Combine(backupDirectory, name), target, overwrite: true);
            }
            else
            {
                File.Delete(target);
            }
        }

        CopyKeys(backupDirectory, dataDirectory);
        return new BackupReport(restored);
    }

    /// <summary>
    /// The bearer-token signing key, the data-protection keys and the proof files (priority and legal-representative
    /// documents, ADR 0302) travel with the databases. Proof files are written before their row and never change (random
    /// names), so copying them after the database snapshot gives every proof row of the snapshot its file.
    /// </summary>
    private static void CopyKeys(string fromDirectory, string toDirectory)
    {
        var signingKey = Path.Combine(fromDirectory, "signing.key");
        if (File.Exists(signingKey))
        {
            File.Copy(signingKey, Path.Combine(toDirectory, "signing.key"), overwrite: true);
        }

        CopyFolder(fromDirectory, toDirectory, "keys", overwrite: true);
        CopyFolder(fromDirectory, toDirectory, "proofs", overwrite: false);
    }

    private static void CopyFolder(string fromDirectory, string toDirectory, string name, bool overwrite)
    {
        var source = Path.Combine(fromDirectory, name);
        if (!Directory.Exists(source))
        {
            return;
        }

        var target = Directory.CreateDirectory(Path.Combine(toDirectory, name)).FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            var copy = Path.Combine(target, Path.GetFileName(file));
            if (overwrite || !File.Exists(copy) || new FileInfo(copy).Length != new FileInfo(file).Length)
            {
                File.Copy(file, copy, overwrite: true);
            }
        }
    }

    public static string IntegrityCheck(string path)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = string.Join("; ", ReadAll(command));
        SqliteConnection.ClearPool(connection);
        return result;
    }

    private static IEnumerable<string> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetString(0);
        }
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}

internal sealed record BackupReport(IReadOnlyList<string> Databases);

using Enrollment.Backup;

// Usage:
//   dotnet run --project tools/Enrollment.Backup -- backup  <dataDir> <backupDir>   (online; the host may keep running)
//   dotnet run --project tools/Enrollment.Backup -- restore <backupDir> <dataDir>   (stop the host first)
//   dotnet run --project tools/Enrollment.Backup -- verify  <backupDir>
if (args.Length < 2)
{
    await Console.Error.WriteLineAsync("usage: backup <dataDir> <backupDir> | restore <backupDir> <dataDir> | verify <backupDir>");
    return 2;
}

try
{
    switch (args[0])
    {
        case "backup" when args.Length == 3:
            var backup = SqliteBackup.Backup(args[1], args[2]);
            Console.WriteLine($"backed up {string.Join(", ", backup.Databases)} to {args[2]} (integrity ok)");
            return 0;
        case "restore" when args.Length == 3:
            var restore = SqliteBackup.Restore(args[1], args[2]);
            Console.WriteLine($"restored {string.Join(", ", restore.Databases)} into {args[2]}");
            return 0;
        case "verify" when args.Length == 2:
            var bad = 0;
            foreach (var name in SqliteBackup.Databases.Where(n => File.Exists(Path.Combine(args[1], n))))
            {
                var result = SqliteBackup.IntegrityCheck(Path.Combine(args[1], name));
                Console.WriteLine($"{name}: {result}");
                bad += result == "ok" ? 0 : 1;
            }

            return bad == 0 ? 0 : 1;
        default:
            await Console.Error.WriteLineAsync("usage: backup <dataDir> <backupDir> | restore <backupDir> <dataDir> | verify <backupDir>");
            return 2;
    }
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

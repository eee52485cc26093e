using Enrollment.BuildingBlocks.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Enrollment.BuildingBlocks.Tests;

/// <summary>
/// A pooled SQLite connection never goes back to the pool inside a transaction (ADR 0909): such a connection kept the
/// file's write lock and every later write on the file waited and failed.
/// </summary>
public sealed class SqliteTransactionGuardTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("guard-").FullName;

    private string File => Path.Combine(_directory, "people.db");

    /// <summary>A context as the modules have them: a pooled connection on a file, the guard and the pragmas.</summary>
    private PeopleContext NewContext() => new(new DbContextOptionsBuilder<PeopleContext>()
        .UseSqlite($"Data Source={File}")
        .AddInterceptors(SqliteTransactionGuard.Instance, SqlitePragmas.Instance)
        .Options);

    private static Person Person(string pin) => new() { Pin = pin, Name = "Айбек", Sex = 'M', BirthDate = new DateOnly(2019, 5, 1), RegisteredAt = DateTimeOffset.UnixEpoch };

    /// <summary>Whether another connection can take the file's write lock at once (no busy wait).</summary>
    private bool FileIsWritable()
    {
        using var other = new SqliteConnection($"Data Source={File};Pooling=False");
        other.Open();
        using var command = other.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=0;";
        command.ExecuteNonQuery();
        try
        {
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            command.CommandTimeout = 1;
            command.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_BUSY)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_transaction_whose_rollback_failed_is_rolled_back_before_the_connection_goes_back_to_the_pool()
    {
        await using (var setup = NewContext())
        {
            await setup.Database.EnsureCreatedAsync();
            setup.People.AddRange(Enumerable.Range(0, 20).Select(i => Person($"2000000000{i:D4}")));
            await setup.SaveChangesAsync();
        }

        var before = SqliteTransactionGuard.Ended;
        await using (var db = NewContext())
        {
            var transaction = await db.Database.BeginTransactionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            db.People.Add(Person("30000000000001"));
            await db.SaveChangesAsync();

            // The rollback fails (here: SQLite was interrupted while a statement was still running). Microsoft.Data.Sqlite
            // then forgets the transaction anyway — the native connection is still in it, holding the write lock.
            using (var command = connection.CreateCommand())
            {
                command.Transaction = (SqliteTransaction)transaction.GetDbTransaction();
                command.CommandText = "SELECT pin FROM test_people";
                using var reader = command.ExecuteReader();
                reader.Read();
                raw.sqlite3_interrupt(connection.Handle);
                Assert.ThrowsAny<SqliteException>(() => transaction.Dispose());
            }

            Assert.Equal(0, raw.sqlite3_get_autocommit(connection.Handle));
        }

        Assert.True(FileIsWritable(), "the pooled connection kept the write lock");
        Assert.True(SqliteTransactionGuard.Ended > before);

        // Nothing of the transaction was committed, and the pooled connection writes again for the next context.
        await using var next = NewContext();
        Assert.False(await next.People.AnyAsync(p => p.Pin == "30000000000001"));
        next.People.Add(Person("30000000000002"));
        await next.SaveChangesAsync();
        Assert.Equal(21, await next.People.CountAsync());
    }

    [Fact]
    public async Task A_connection_closed_in_a_transaction_begun_outside_the_provider_is_rolled_back()
    {
        await using (var setup = NewContext())
        {
            await setup.Database.EnsureCreatedAsync();
        }

        await using (var db = NewContext())
        {
            await db.Database.OpenConnectionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE; INSERT INTO test_people (pin, name, sex, birth_date, registered_at) VALUES ('1', 'x', 'M', '2019-01-01', 0)"));
            await db.Database.CloseConnectionAsync();
        }

        Assert.True(FileIsWritable());
        await using var check = NewContext();
        Assert.Equal(0, await check.People.CountAsync()); // rolled back, not committed
    }

    [Fact]
    public async Task A_committed_transaction_is_left_alone()
    {
        await using (var setup = NewContext())
        {
            await setup.Database.EnsureCreatedAsync();
        }

        await using (var db = NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.People.Add(Person("20000000000003"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.True(FileIsWritable());
        await using var check = NewContext();
        Assert.Equal(1, await check.People.CountAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

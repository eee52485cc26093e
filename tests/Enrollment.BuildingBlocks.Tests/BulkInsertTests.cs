using Enrollment.BuildingBlocks.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.BuildingBlocks.Tests;

internal sealed class Person
{
    public string Pin { get; set; } = "";
    public string Name { get; set; } = "";
    public char Sex { get; set; }
    public DateOnly BirthDate { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public double? Latitude { get; set; }
}

internal sealed class DayCount
{
    public Guid Campaign { get; set; }
    public DateOnly Day { get; set; }
    public string Region { get; set; } = "";
    public int Count { get; set; }
}

internal sealed class PeopleContext(DbContextOptions<PeopleContext> options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();

    public DbSet<DayCount> DayCounts => Set<DayCount>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Person>().HasKey(p => p.Pin);
        modelBuilder.Entity<Person>().Property(p => p.Sex).HasConversion<string>();
        modelBuilder.Entity<DayCount>().HasKey(d => new { d.Campaign, d.Day, d.Region });
        modelBuilder.ApplyModuleNaming(this, "test");
    }
}

public sealed class BulkInsertTests
{
    /// <summary>A context on its own in-memory database, created; disposing it closes the database.</summary>
    private static async Task<PeopleContext> PeopleAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var db = new PeopleContext(new DbContextOptionsBuilder<PeopleContext>().UseSqlite(connection, contextOwnsConnection: true).Options);
        await db.Database.EnsureCreatedAsync();
        return db;
    }

    [Fact]
    public async Task Bulk_inserted_rows_read_back_exactly_through_ef()
    {
        await using var db = await PeopleAsync();
        var start = new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
        var people = Enumerable.Range(0, 2_500).Select(i => new Person
        {
            Pin = $"2{i:D13}",
            Name = i % 2 == 0 ? "Айбек" : "Айгерим 'O''Brien'; --",
            Sex = i % 2 == 0 ? 'M' : 'F',
            BirthDate = new DateOnly(2019, 1, 1).AddDays(i % 700),
            RegisteredAt = start.AddMinutes(i),
            Latitude = i % 3 == 0 ? null : 42.87 + i / 1e5,
        }).ToList();

        var inserted = await BulkInsert.InsertAsync(db, people, CancellationToken.None);

        Assert.Equal(2_500, inserted);
        var back = await db.People.AsNoTracking().OrderBy(p => p.Pin).ToListAsync();
        Assert.Equal(people.Select(p => (p.Pin, p.Name, p.Sex, p.BirthDate, p.RegisteredAt, p.Latitude)),
            back.Select(p => (p.Pin, p.Name, p.Sex, p.BirthDate, p.RegisteredAt, p.Latitude)));
        Assert.Equal(1_250, await db.People.CountAsync(p => p.RegisteredAt >= start.AddMinutes(1_250)));
    }

    [Fact]
    public async Task A_failing_row_inserts_nothing()
    {
        await using var db = await PeopleAsync();
        var duplicate = new[] { new Person { Pin = "1", Name = "a" }, new Person { Pin = "2", Name = "b" }, new Person { Pin = "1", Name = "c" } };

        await Assert.ThrowsAsync<SqliteException>(() => BulkInsert.InsertAsync(db, duplicate, CancellationToken.None));

        Assert.Equal(0, await db.People.CountAsync());
    }

    [Fact]
    public async Task Insert_or_skip_skips_rows_whose_key_is_stored_or_repeated_and_inserts_the_others()
    {
        await using var db = await PeopleAsync();
        await BulkInsert.InsertAsync(db, [new Person { Pin = "1", Name = "stored" }], CancellationToken.None);
        var rows = new[] { new Person { Pin = "2", Name = "b" }, new Person { Pin = "1", Name = "replay" }, new Person { Pin = "3", Name = "c" }, new Person { Pin = "2", Name = "twice" } };

        var inserted = await BulkInsert.InsertOrSkipAsync(db, rows, CancellationToken.None);

        Assert.Equal(2, inserted);
        Assert.Equal([("1", "stored"), ("2", "b"), ("3", "c")],
            (await db.People.AsNoTracking().OrderBy(p => p.Pin).ToListAsync()).Select(p => (p.Pin, p.Name)));
    }

    [Fact]
    public async Task Insert_or_add_creates_new_keys_and_adds_to_stored_ones_leaving_other_rows_alone()
    {
        await using var db = await PeopleAsync();
        var campaign = Guid.NewGuid();
        var day = new DateOnly(2026, 4, 1);
        await BulkInsert.InsertOrAddAsync(db, [new DayCount { Campaign = campaign, Day = day, Region = "41711", Count = 3 },
            new DayCount { Campaign = campaign, Day = day, Region = "41702", Count = 1 }], nameof(DayCount.Count), CancellationToken.None);

        var written = await BulkInsert.InsertOrAddAsync(db, [new DayCount { Campaign = campaign, Day = day, Region = "41711", Count = 2 },
            new DayCount { Campaign = campaign, Day = day.AddDays(1), Region = "41711", Count = 5 }], nameof(DayCount.Count), CancellationToken.None);

        Assert.Equal(2, written);
        var stored = await db.DayCounts.AsNoTracking().OrderBy(d => d.Day).ThenBy(d => d.Region).Select(d => new { d.Campaign, d.Day, d.Region, d.Count }).ToListAsync();
        Assert.Equal(
            [new { Campaign = campaign, Day = day, Region = "41702", Count = 1 }, new { Campaign = campaign, Day = day, Region = "41711", Count = 5 },
             new { Campaign = campaign, Day = day.AddDays(1), Region = "41711", Count = 5 }],
            stored);
        await Assert.ThrowsAsync<InvalidOperationException>(() => BulkInsert.InsertOrAddAsync(db, new List<DayCount>(), "Missing", CancellationToken.None));
    }
}

using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Tests;

/// <summary>The application aggregate's rules and the database constraints behind them, on real SQLite with the migrations.</summary>
public sealed class ApplicationAggregateTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly Guid Campaign = Guid.NewGuid();
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public ApplicationAggregateTests()
    {
        _connection.Open();
        using var db = Db();
        db.Database.Migrate();
    }

    private RegistryDbContext Db() =>
        new RegistrySqliteDbContext(new DbContextOptionsBuilder<RegistrySqliteDbContext>().UseSqlite(_connection).Options);

    private static Application Submitted(string childPin, string resident = "S1")
    {
        var a = Application.NewDraft(Campaign, childPin, "10101198000001", "Mother", Now);
        a.ChildFirstName = "Aida";
        a.ChildLastName = "Asanova";
        a.ApplicantName = "Asanova Gulnara";
        a.ResidentSchoolCodes = resident;
        a.ReplaceChoices([new ApplicationChoice { SchoolCode = "S1", DistrictCode = "D1", Language = "ky" }, new ApplicationChoice { SchoolCode = "S2", DistrictCode = "D1", Language = "ru" }]);
        a.MoveTo(ApplicationStatus.Submitted, "parent", Now, "SUBMITTED", initial: true);
        return a;
    }

    [Fact]
    public async Task Second_active_application_for_a_child_is_refused_by_the_database()
    {
        await using (var db = Db())
        {
            db.Applications.Add(Submitted("12003201900001"));
            await db.SaveChangesAsync();
        }

        await using (var db = Db())
        {
            db.Applications.Add(Submitted("12003201900001"));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task An_ended_application_frees_the_child_for_a_new_one()
    {
        var first = Submitted("12003201900002");
        first.MoveTo(ApplicationStatus.Cancelled, "parent", Now.AddHours(1), "CANCELLED_BY_PARENT");
        Assert.Null(first.ActiveKey);
        await using var db = Db();
        db.Applications.Add(first);
        db.Applications.Add(Submitted("12003201900002"));
        await db.SaveChangesAsync();
        Assert.Equal(2, await db.Applications.CountAsync(a => a.ChildPin == "12003201900002"));
    }

    [Fact]
    public void History_records_actor_time_from_to_and_reason_in_order()
    {
        var a = Submitted("12003201900003");
        a.MoveTo(ApplicationStatus.NeedsCorrection, "school", Now.AddDays(1), "NEEDS_CORRECTION: phone");
        Assert.Equal([null, ApplicationStatus.Submitted], a.History.Select(h => h.From).Take(2));
        var last = a.History[^1];
        Assert.Equal((ApplicationStatus?)ApplicationStatus.Submitted, last.From);
        Assert.Equal(ApplicationStatus.NeedsCorrection, last.To);
        Assert.Equal("school", last.Actor);
        Assert.Equal(Now.AddDays(1), last.At);
        Assert.Equal(2, a.NewHistory.Count);
    }

    [Fact]
    public void Priority_class_is_0_for_a_verified_claim_1_for_residents_2_for_others()
    {
        var a = Submitted("12003201900004", resident: "S1");
        Assert.Equal(1, a.PriorityClassAt("S1"));
        Assert.Equal(2, a.PriorityClassAt("S2"));
        a.PriorityCategory = "Kairylman";
        a.PriorityStatus = PriorityClaimStatus.Claimed;
        Assert.Equal(2, a.PriorityClassAt("S2"));
        a.PriorityStatus = PriorityClaimStatus.Verified;
        Assert.Equal(0, a.PriorityClassAt("S2"));
        a.PriorityStatus = PriorityClaimStatus.Rejected;
        Assert.Equal(2, a.PriorityClassAt("S2"));
        Assert.Equal(1, a.PriorityClassAt("S1"));
    }

    [Fact]
    public async Task Replacing_choices_keeps_ranks_and_drops_the_rest()
    {
        var a = Submitted("12003201900005");
        await using (var db = Db())
        {
            db.Applications.Add(a);
            await db.SaveChangesAsync();
        }

        await using (var db = Db())
        {
            var loaded = await db.Applications.Include(x => x.Choices).SingleAsync(x => x.Id == a.Id);
            loaded.ReplaceChoices([new ApplicationChoice { SchoolCode = "S3", DistrictCode = "D2", Language = "ru" }]);
            await db.SaveChangesAsync();
        }

        await using (var db = Db())
        {
            var choices = await db.ApplicationChoices.Where(c => c.ApplicationId == a.Id).ToListAsync();
            var only = Assert.Single(choices);
            Assert.Equal((1, "S3", "ru"), (only.Rank, only.SchoolCode, only.Language));
        }
    }

    public void Dispose() => _connection.Dispose();
}

using Enrollment.Quotas.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Enrollment.Quotas.Tests;

/// <summary>
/// The per-host copy of the campaign's programs that a parent's choice check reads (ADR 0204). Alone, not beside other
/// classes: any quota saved in the process drops every copy (as on a host), which would hide the copy's lifetime.
/// </summary>
[Collection(Name)]
public sealed class ProgramsCopyTests : IDisposable
{
    public const string Name = "programs-copy";

    private static readonly DateTimeOffset InWindow = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private readonly Harness _h = new();

    public ProgramsCopyTests() => _h.AddDefaultCampaign(2026);

    public void Dispose() => _h.Dispose();

    private async Task<Guid> ApproveAsync(string school, string language, int classes, int seats)
    {
        _h.Clock.Set(InWindow);
        var quota = await _h.Save(Harness.SchoolAdmin1, school, language, classes, seats);
        await _h.Submit(Harness.SchoolAdmin1, school);
        await _h.Approve(Harness.Officer1, false, quota.Id);
        return quota.Id;
    }

    private static ProgramsCopy CopyWithLifetime(string seconds) => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Quotas:ProgramsCacheSeconds"] = seconds }).Build());

    [Fact]
    public async Task The_copy_answers_as_the_database_does_and_a_quota_approved_through_this_host_is_seen_by_the_next_read()
    {
        _h.ProgramsCopy = CopyWithLifetime("3600");
        Assert.Empty(await _h.ProgramsFromCopy("S1")); // read (and kept) before anything is approved

        await ApproveAsync("S1", "ky", 3, 90);
        await ApproveAsync("S1", "ru", 1, 30);

        Assert.Equal([("S1", "ky", 90), ("S1", "ru", 30)], (await _h.ProgramsFromCopy("S1", "S1")).Select(p => (p.SchoolCode, p.Language, p.ApprovedSeats)));
        Assert.Equal(await _h.Programs("S1"), await _h.ProgramsFromCopy("S1"));
        Assert.Empty(await _h.ProgramsFromCopy("S9")); // a school without programs
    }

    [Fact]
    public async Task Another_hosts_change_shows_after_the_lifetime_while_every_other_reader_sees_the_database_at_once()
    {
        await ApproveAsync("S1", "ky", 3, 90);
        _h.ProgramsCopy = CopyWithLifetime("3600");
        Assert.Equal(90, (await _h.ProgramsFromCopy("S1")).Single().ApprovedSeats);

        // Another host approves more seats (not through this process's contexts).
        await using (var db = _h.Db())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE quotas_quotas SET approved_seats = 120");
        }

        Assert.Equal(90, (await _h.ProgramsFromCopy("S1")).Single().ApprovedSeats); // within the lifetime
        Assert.Equal(120, (await _h.Programs("S1")).Single().ApprovedSeats); // allocation, reporting, the admin: the database

        _h.ProgramsCopy = CopyWithLifetime("0"); // lifetime 0: every read goes to the database
        Assert.Equal(120, (await _h.ProgramsFromCopy("S1")).Single().ApprovedSeats);
    }
}

[CollectionDefinition(ProgramsCopyTests.Name, DisableParallelization = true)]
public sealed class ProgramsCopyCollection;

using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Enrollment.Quotas.Tests;

/// <summary>The per-host copy of the campaign calendar (ADR 0203): never a stale stage, never a stale local edit.</summary>
public sealed class CampaignCalendarTests : IDisposable
{
    private readonly Harness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Submissions_open_at_the_exact_instant_even_when_the_calendar_was_read_a_moment_before()
    {
        var campaign = _h.AddDefaultCampaign();
        _h.Clock.Set(campaign.StageOneOpensAt.AddTicks(-1));
        Assert.False((await _h.AllowedNow())!.SubmissionAllowed);

        _h.Clock.Set(campaign.StageOneOpensAt);
        Assert.True((await _h.AllowedNow())!.SubmissionAllowed);
        var stage = await _h.As(Harness.Ministry, c => new GetCurrentStageHandler(c.Db, c.Calendar, c.Clock).Handle(new GetCurrentStage(), default));
        Assert.Equal(Stage.StageOne, stage!.Stage);
    }

    [Fact]
    public async Task A_calendar_edit_saved_by_this_host_is_seen_by_the_very_next_read()
    {
        var campaign = _h.AddDefaultCampaign();
        _h.Clock.Set(campaign.StageOneOpensAt.AddHours(1));
        Assert.True((await _h.AllowedNow())!.SubmissionAllowed);

        await using (var db = _h.Db())
        {
            var row = await db.Campaigns.SingleAsync();
            row.StageOneOpensAt = row.StageOneOpensAt.AddHours(2); // postponed by two hours
            await db.SaveChangesAsync();
        }

        Assert.False((await _h.AllowedNow())!.SubmissionAllowed);
    }

    [Fact]
    public async Task With_a_lifetime_of_zero_every_read_goes_to_the_database()
    {
        var campaign = _h.AddDefaultCampaign();
        var calendar = new CampaignCalendar(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Quotas:CalendarCacheSeconds"] = "0" }).Build());
        await using var db = _h.Db();
        Assert.Equal(campaign.StageOneOpensAt, (await calendar.GetAsync(db, default)).Current(_h.Clock.UtcNow)!.StageOneOpensAt);

        // Another host's edit (not through this process's contexts).
        var later = campaign.StageOneOpensAt.AddDays(1);
        await db.Database.ExecuteSqlAsync($"UPDATE quotas_campaigns SET stage_one_opens_at = {later.UtcTicks}");
        Assert.Equal(later, (await calendar.GetAsync(db, default)).Current(_h.Clock.UtcNow)!.StageOneOpensAt);
    }
}

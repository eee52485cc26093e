using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;

namespace Enrollment.Quotas.Tests;

public sealed class StageWatchTests : IDisposable
{
    private readonly Harness _h = new();

    [Fact]
    public async Task Walking_the_whole_calendar_publishes_each_stage_change_once_at_its_Bishkek_instant()
    {
        _h.AddDefaultCampaign(2026);
        var observedAt = new Dictionary<Stage, DateTimeOffset>();
        var end = new DateTimeOffset(2026, 10, 3, 0, 0, 0, TimeSpan.Zero);
        for (var t = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero); t < end; t = t.AddHours(1))
        {
            _h.Clock.Set(t);
            if (await _h.CheckStage() is { } changed)
            {
                observedAt.Add(changed.Current, t);
            }
        }

        Assert.Equal(
            [Stage.NotStarted, Stage.QuotaEntry, Stage.BetweenQuotaEntryAndStageOne, Stage.StageOne, Stage.StageTwo, Stage.LateEnrollment, Stage.Closed],
            _h.Published.Select(p => p.Current));
        Assert.Equal([null, Stage.NotStarted, Stage.QuotaEntry, Stage.BetweenQuotaEntryAndStageOne, Stage.StageOne, Stage.StageTwo, Stage.LateEnrollment],
            _h.Published.Select(p => p.Previous));

        // Stage One and Stage Two open at 10:00 Asia/Bishkek = 04:00 UTC, noticed on the first tick at that instant.
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), observedAt[Stage.StageOne]);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 4, 0, 0, TimeSpan.Zero), observedAt[Stage.StageTwo]);
        var stageOne = _h.Published.Single(p => p.Current == Stage.StageOne);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), stageOne.ChangedAt);
        Assert.Equal(10, Bishkek.ToLocal(stageOne.ChangedAt).Hour);
        Assert.Equal(new DateTimeOffset(2026, 2, 27, 3, 0, 0, TimeSpan.Zero), _h.Published.Single(p => p.Current == Stage.QuotaEntry).ChangedAt);
    }

    [Fact]
    public async Task Stage_One_is_published_at_04_00_UTC_not_a_minute_earlier_and_only_once()
    {
        _h.AddDefaultCampaign(2026);
        _h.Clock.Set(new DateTimeOffset(2026, 4, 1, 3, 59, 0, TimeSpan.Zero));
        Assert.Equal(Stage.BetweenQuotaEntryAndStageOne, (await _h.CheckStage())!.Current);

        _h.Clock.Set(new DateTimeOffset(2026, 4, 1, 3, 59, 59, TimeSpan.Zero));
        Assert.Null(await _h.CheckStage());

        _h.Clock.Set(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));
        var changed = await _h.CheckStage();
        Assert.Equal(Stage.StageOne, changed!.Current);
        Assert.Equal(Stage.BetweenQuotaEntryAndStageOne, changed.Previous);

        Assert.Null(await _h.CheckStage()); // the job runs again in the same minute: nothing new
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await _h.CheckStage());
        Assert.Equal(2, _h.Published.Count);
    }

    [Fact]
    public async Task Without_a_campaign_the_watch_publishes_nothing()
    {
        Assert.Null(await _h.CheckStage());
        Assert.Empty(_h.Published);
    }

    public void Dispose() => _h.Dispose();
}

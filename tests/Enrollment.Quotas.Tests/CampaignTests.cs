using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Features;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Tests;

public sealed class CampaignTests : IDisposable
{
    private readonly Harness _h = new();

    private static CampaignSettingsInput Settings(int year = 2027) => new(
        $"{year}/{(year + 1) % 100:00}", year,
        new CampaignCalendarDto(
            Bishkek.ToUtc(new DateTime(year, 2, 27, 9, 0, 0)), Bishkek.ToUtc(new DateTime(year, 3, 16, 0, 0, 0)),
            Bishkek.ToUtc(new DateTime(year, 4, 1, 10, 0, 0)), Bishkek.ToUtc(new DateTime(year, 6, 1, 10, 0, 0)),
            Bishkek.ToUtc(new DateTime(year, 8, 16, 0, 0, 0)), Bishkek.ToUtc(new DateTime(year, 10, 1, 0, 0, 0))),
        1, "SubmissionTime", null, 72, 5, 3, 3, 14, 36, new DateOnly(year - 7, 1, 1), new DateOnly(year - 6, 12, 31), 8);

    private Task<CampaignDto> Create(CampaignSettingsInput s, Enrollment.BuildingBlocks.Security.ICurrentUser? user = null) =>
        _h.As(user ?? Harness.Ministry, c => new CreateCampaignHandler(c.Db, c.User, c.Clock).Handle(new CreateCampaign(s), default));

    private Task<CampaignDto> Update(Guid id, CampaignSettingsInput s, string? reason) =>
        _h.As(Harness.Ministry, c => new UpdateCampaignHandler(c.Db, c.User, c.Clock).Handle(new UpdateCampaign(id, s, reason), default));

    private Task<IReadOnlyList<CampaignChangeDto>> History(Guid id) =>
        _h.As(Harness.Ministry, c => new GetCampaignHistoryHandler(c.Db).Handle(new GetCampaignHistory(id), default));

    [Fact]
    public async Task Ministry_creates_a_campaign_with_the_calendar_in_UTC()
    {
        var created = await Create(Settings());
        Assert.Equal("2027/28", created.Name);
        Assert.Equal(new DateTimeOffset(2027, 4, 1, 4, 0, 0, TimeSpan.Zero), created.Calendar.StageOneOpensAt);
        Assert.Single(await History(created.Id));
    }

    [Fact]
    public async Task Calendar_out_of_order_is_refused_and_nothing_is_saved()
    {
        var s = Settings();
        var bad = s with { Calendar = s.Calendar with { StageTwoOpensAt = s.Calendar.StageOneOpensAt.AddDays(-1) } };
        Assert.Equal("CALENDAR_OUT_OF_ORDER", await Harness.Refused(() => Create(bad)));
        await using var db = _h.Db();
        Assert.Equal(0, await db.Campaigns.CountAsync());
    }

    [Fact]
    public async Task Eligibility_range_ending_before_it_starts_is_refused()
    {
        var s = Settings() with { EligibleBirthFrom = new DateOnly(2021, 1, 1), EligibleBirthTo = new DateOnly(2020, 1, 1) };
        Assert.Equal("ELIGIBILITY_OUT_OF_ORDER", await Harness.Refused(() => Create(s)));
    }

    [Theory]
    [InlineData(0, 36)]
    [InlineData(1, -1)]
    [InlineData(9, 36)]
    [InlineData(1, 1000)]
    public async Task Absurd_settings_are_refused_naming_the_field(int maxChoices, int classSize)
    {
        var e = await Assert.ThrowsAsync<ValidationFailed>(() => Create(Settings() with { MaxChoices = maxChoices, ClassSizeLimit = classSize }));
        Assert.Contains(e.Errors, x => x.Field is "maxChoices" or "classSizeLimit");
    }

    [Fact]
    public async Task A_second_campaign_for_the_same_year_is_refused()
    {
        await Create(Settings());
        Assert.Equal("CAMPAIGN_EXISTS", await Harness.Refused(() => Create(Settings())));
    }

    [Fact]
    public async Task Only_the_ministry_creates_campaigns()
    {
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => Create(Settings(), Harness.Officer1)));
    }

    [Fact]
    public async Task Settings_change_freely_before_Stage_One_and_every_change_is_audited()
    {
        var created = await Create(Settings());
        _h.Clock.Set(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var updated = await Update(created.Id, Settings() with { ClassSizeLimit = 30 }, null);
        Assert.Equal(30, updated.ClassSizeLimit);
        var last = (await History(created.Id))[^1];
        Assert.Equal("classSizeLimit: 36 → 30", last.Changes);
        Assert.Equal("ministry", last.ChangedBy);
        Assert.False(last.Override);
    }

    [Fact]
    public async Task Settings_are_locked_once_Stage_One_opens_unless_an_override_with_a_reason_is_given()
    {
        var created = await Create(Settings());
        _h.Clock.Set(new DateTimeOffset(2027, 4, 1, 4, 0, 0, TimeSpan.Zero));
        Assert.Equal("CAMPAIGN_LOCKED", await Harness.Refused(() => Update(created.Id, Settings() with { OfferConfirmDays = 7 }, null)));
        Assert.Equal("CAMPAIGN_LOCKED", await Harness.Refused(() => Update(created.Id, Settings() with { OfferConfirmDays = 7 }, "  ")));

        var updated = await Update(created.Id, Settings() with { OfferConfirmDays = 7 }, "Order 12/3: holidays extended");
        Assert.Equal(7, updated.OfferConfirmDays);
        var last = (await History(created.Id))[^1];
        Assert.True(last.Override);
        Assert.Equal("Order 12/3: holidays extended", last.Reason);
        Assert.Equal("offerConfirmDays: 5 → 7", last.Changes);
    }

    [Fact]
    public async Task Settings_one_minute_before_Stage_One_are_not_locked()
    {
        var created = await Create(Settings());
        _h.Clock.Set(new DateTimeOffset(2027, 4, 1, 3, 59, 0, TimeSpan.Zero));
        Assert.Equal(4, (await Update(created.Id, Settings() with { CancellationLimit = 4 }, null)).CancellationLimit);
    }

    public void Dispose() => _h.Dispose();
}

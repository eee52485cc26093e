using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Features;

namespace Enrollment.Quotas.Tests;

/// <summary>
/// Every kind of bad input the issue names — negative or absurd numbers, a language the school does not offer, entries outside
/// the window, another district's school, a calendar out of order — is refused with its typed code and leaves every table as it was.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private static readonly DateTimeOffset InWindow = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private readonly Harness _h = new();
    private readonly Domain.Campaign _campaign;

    public BadInputTests() => _campaign = _h.AddDefaultCampaign(2026);

    private async Task AssertRefusedAndNothingSaved(string code, Func<Task> action)
    {
        var before = await _h.Counts();
        var approvalsBefore = _h.Approvals.Count;
        Assert.Equal(code, await Harness.Refused(action));
        Assert.Equal(before, await _h.Counts());
        Assert.Equal(approvalsBefore, _h.Approvals.Count);
    }

    [Theory]
    [InlineData(-1, 25, "VALIDATION_FAILED")]
    [InlineData(1, -25, "VALIDATION_FAILED")]
    [InlineData(31, 900, "VALIDATION_FAILED")]
    [InlineData(int.MaxValue, int.MaxValue, "VALIDATION_FAILED")]
    [InlineData(int.MinValue, 0, "VALIDATION_FAILED")]
    [InlineData(0, 25, "SEATS_WITHOUT_CLASSES")]
    [InlineData(2, 0, "CLASSES_WITHOUT_SEATS")]
    public async Task Negative_or_absurd_quota_numbers_are_refused_and_nothing_is_saved(int classes, int seats, string code)
    {
        _h.Clock.Set(InWindow);
        await AssertRefusedAndNothingSaved(code, () => _h.Save(Harness.SchoolAdmin1, "S1", "ky", classes, seats));
    }

    [Fact]
    public async Task An_absurd_edit_of_an_existing_draft_keeps_the_draft_as_it_was()
    {
        _h.Clock.Set(InWindow);
        var draft = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 2, 50);
        await AssertRefusedAndNothingSaved("VALIDATION_FAILED", () => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 2, 99_999));
        var quotas = await _h.As(Harness.SchoolAdmin1, c => new GetQuotasHandler(c.Db, c.Current, c.User).Handle(new GetQuotas("S1", null, null), default));
        Assert.Equal((draft.Id, 2, 50), (quotas.Single().Id, quotas.Single().Classes, quotas.Single().Seats));
    }

    [Theory]
    [InlineData("uz")]
    [InlineData("tg")]
    [InlineData("en")]
    [InlineData("")]
    public async Task A_language_the_school_does_not_offer_is_refused_and_nothing_is_saved(string language)
    {
        _h.Clock.Set(InWindow);
        await AssertRefusedAndNothingSaved("LANGUAGE_NOT_OFFERED", () => _h.Save(Harness.SchoolAdmin1, "S1", language, 1, 25));
    }

    [Fact]
    public async Task Entries_before_the_window_after_the_campaign_and_submissions_after_the_window_are_refused()
    {
        _h.Clock.Set(_campaign.QuotaEntryOpensAt.AddMinutes(-1));
        await AssertRefusedAndNothingSaved("QUOTA_WINDOW_CLOSED", () => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 25));

        _h.Clock.Set(_campaign.QuotaEntryOpensAt);
        await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 25);

        _h.Clock.Set(_campaign.QuotaEntryClosesAt); // the window has closed: the draft can no longer be submitted
        await AssertRefusedAndNothingSaved("QUOTA_WINDOW_CLOSED", () => _h.Submit(Harness.SchoolAdmin1, "S1"));

        _h.Clock.Set(_campaign.LateEnrollmentEndsAt); // the campaign is closed: not even a change request
        await AssertRefusedAndNothingSaved("QUOTA_WINDOW_CLOSED", () => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 2, 50, "Late"));
    }

    [Fact]
    public async Task Another_districts_school_is_refused_for_entry_submission_approval_return_and_history()
    {
        _h.Clock.Set(InWindow);
        var q = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 25);
        await AssertRefusedAndNothingSaved("ACCESS_DENIED", () => _h.Save(Harness.Officer2, "S1", "ky", 2, 50));
        await AssertRefusedAndNothingSaved("ACCESS_DENIED", () => _h.Save(Harness.SchoolAdmin2, "S1", "ru", 1, 25));
        await AssertRefusedAndNothingSaved("ACCESS_DENIED", () => _h.Submit(Harness.Officer2, "S1"));
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        await AssertRefusedAndNothingSaved("ACCESS_DENIED", () => _h.Approve(Harness.Officer2, true, q.Id));
        await AssertRefusedAndNothingSaved("ACCESS_DENIED", () => _h.Return(Harness.Officer2, q.Id, "Not yours"));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.History(Harness.SchoolAdmin2, q.Id)));
    }

    [Fact]
    public async Task A_bulk_approval_with_one_quota_of_another_district_approves_none()
    {
        _h.Clock.Set(InWindow);
        var own = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 25);
        var other = await _h.Save(Harness.SchoolAdmin2, "S2", "ky", 1, 25);
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        await _h.Submit(Harness.SchoolAdmin2, "S2");
        await AssertRefusedAndNothingSaved("ACCESS_DENIED", () => _h.Approve(Harness.Officer1, false, own.Id, other.Id));
        Assert.Empty(await _h.Programs());
    }

    [Fact]
    public async Task An_empty_bulk_approval_is_refused()
    {
        await AssertRefusedAndNothingSaved("VALIDATION_FAILED", () => _h.Approve(Harness.Officer1, false));
    }

    [Fact]
    public async Task Extra_seats_with_absurd_numbers_or_an_unoffered_language_are_refused_and_nothing_is_saved()
    {
        var after = _campaign.QuotaEntryClosesAt.AddDays(1);
        _h.Clock.Set(after);
        await _h.Announce(SwitchKind.ExtraQuotaWindow, after.AddHours(1), after.AddDays(2), "S1");
        _h.Clock.Set(after.AddHours(2));
        await AssertRefusedAndNothingSaved("VALIDATION_FAILED", () => _h.AddExtra("S1", "ky", 1, -25));
        await AssertRefusedAndNothingSaved("VALIDATION_FAILED", () => _h.AddExtra("S1", "ky", 1, 5000));
        await AssertRefusedAndNothingSaved("NO_EXTRA_SEATS", () => _h.AddExtra("S1", "ky", 0, 0));
        await AssertRefusedAndNothingSaved("LANGUAGE_NOT_OFFERED", () => _h.AddExtra("S1", "uz", 1, 25));
        await AssertRefusedAndNothingSaved("SCHOOL_NOT_IN_EXTRA_QUOTA_WINDOW", () => _h.AddExtra("S2", "ky", 1, 25));
    }

    [Fact]
    public async Task Switches_with_a_bad_period_no_schools_or_an_unknown_school_are_refused_and_nothing_is_saved()
    {
        var now = _campaign.StageOneOpensAt.AddDays(1);
        _h.Clock.Set(now);
        await AssertRefusedAndNothingSaved("SWITCH_PERIOD_INVALID", () => _h.Announce(SwitchKind.CancellationDisabled, now.AddDays(2), now.AddDays(1)));
        await AssertRefusedAndNothingSaved("SWITCH_PERIOD_INVALID", () => _h.Announce(SwitchKind.CancellationDisabled, now.AddDays(-1), now.AddDays(1)));
        await AssertRefusedAndNothingSaved("SCHOOLS_REQUIRED", () => _h.Announce(SwitchKind.ExtraQuotaWindow, now.AddDays(1), now.AddDays(2)));
        await AssertRefusedAndNothingSaved("NOT_FOUND", () => _h.Announce(SwitchKind.ExtraQuotaWindow, now.AddDays(1), now.AddDays(2), "S1", "S404"));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.As(Harness.Officer1, c =>
            new AnnounceSwitchHandler(c.Db, c.Current, c.Schools, c.User, c.Clock)
                .Handle(new AnnounceSwitch(SwitchKind.CancellationDisabled, now.AddDays(1), now.AddDays(2), [], null), default))));
    }

    [Theory]
    [InlineData(1)] // quota entry closes before it opens
    [InlineData(2)] // Stage One before quota entry closes
    [InlineData(3)] // Stage Two before Stage One
    [InlineData(4)] // main close before Stage Two
    [InlineData(5)] // late enrollment ends before main close
    public async Task A_campaign_calendar_out_of_order_is_refused_on_update_and_the_campaign_stays_as_it_was(int swapped)
    {
        _h.Clock.Set(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var dto = _campaign.ToDto();
        DateTimeOffset[] instants =
        [
            dto.Calendar.QuotaEntryOpensAt, dto.Calendar.QuotaEntryClosesAt, dto.Calendar.StageOneOpensAt, dto.Calendar.StageTwoOpensAt,
            dto.Calendar.MainClosesAt, dto.Calendar.LateEnrollmentEndsAt,
        ];
        (instants[swapped], instants[swapped - 1]) = (instants[swapped - 1], instants[swapped]);
        var settings = new CampaignSettingsInput(dto.Name, dto.StartYear,
            new CampaignCalendarDto(instants[0], instants[1], instants[2], instants[3], instants[4], instants[5]),
            dto.MaxChoices, dto.TieBreak, dto.LotterySeed, dto.EqualFootingHours, dto.OfferConfirmDays, dto.CancellationLimit, dto.CorrectionDays,
            dto.AppealDays, dto.ClassSizeLimit, dto.EligibleBirthFrom, dto.EligibleBirthTo, dto.AgeLimitYears);

        await AssertRefusedAndNothingSaved("CALENDAR_OUT_OF_ORDER", () => _h.As(Harness.Ministry, c =>
            new UpdateCampaignHandler(c.Db, c.User, c.Clock).Handle(new UpdateCampaign(_campaign.Id, settings, null), default)));
        var stored = await _h.As(Harness.Ministry, c => new GetCurrentCampaignHandler(c.Db, c.Calendar, c.Clock).Handle(new GetCurrentCampaign(), default));
        Assert.Equal(dto.Calendar, stored!.Calendar);
        Assert.Equal(Bishkek.ToUtc(new DateTime(2026, 4, 1, 10, 0, 0)), stored.Calendar.StageOneOpensAt);
    }

    public void Dispose() => _h.Dispose();
}

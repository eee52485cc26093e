using Enrollment.BuildingBlocks.Errors;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Features;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Tests;

public sealed class QuotaWorkflowTests : IDisposable
{
    private static readonly DateTimeOffset BeforeWindow = new(2026, 2, 27, 2, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset InWindow = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AfterWindow = new(2026, 3, 20, 6, 0, 0, TimeSpan.Zero);
    private readonly Harness _h = new();

    public QuotaWorkflowTests() => _h.AddDefaultCampaign(2026);

    [Fact]
    public async Task Quotas_are_entered_returned_reentered_approved_locked_then_changed_by_request_and_extra_window()
    {
        _h.Clock.Set(BeforeWindow);
        Assert.Equal("QUOTA_WINDOW_CLOSED", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 2, 60)));

        _h.Clock.Set(InWindow);
        var ky = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 2, 60);
        var ru = await _h.Save(Harness.SchoolAdmin1, "S1", "ru", 1, 30);
        Assert.Equal(QuotaStatus.Draft, ky.Status);
        Assert.Empty(await _h.Programs()); // nothing approved yet

        var submitted = await _h.Submit(Harness.SchoolAdmin1, "S1");
        Assert.All(submitted, q => Assert.Equal(QuotaStatus.Submitted, q.Status));
        Assert.Equal("QUOTA_SUBMITTED", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 3, 90)));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.Return(Harness.Officer2, ky.Id, "not yours")));
        Assert.Equal("COMMENT_REQUIRED", await Harness.Refused(() => _h.Return(Harness.Officer1, ky.Id, " ")));

        var returned = await _h.Return(Harness.Officer1, ky.Id, "Three classes were planned");
        Assert.Equal(QuotaStatus.Returned, returned.Status);
        Assert.Equal("Three classes were planned", returned.Comment);

        ky = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 3, 90);
        Assert.Equal(QuotaStatus.Draft, ky.Status);
        Assert.Single(await _h.Submit(Harness.SchoolAdmin1, "S1"));
        Assert.Equal("NOTHING_TO_SUBMIT", await Harness.Refused(() => _h.Submit(Harness.SchoolAdmin1, "S1")));

        var approved = await _h.Approve(Harness.Officer1, false, ky.Id, ru.Id);
        Assert.All(approved, q => Assert.Equal(QuotaStatus.Approved, q.Status));
        Assert.Equal("QUOTA_LOCKED", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 4, 120)));
        Assert.Equal("QUOTA_NOT_PENDING", await Harness.Refused(() => _h.Approve(Harness.Officer1, false, ky.Id)));
        Assert.Equal([("ky", 90), ("ru", 30)], (await _h.Programs("S1")).Select(p => (p.Language, p.ApprovedSeats)));

        // After the window: a change is a request with a reason; the approved seats stay until the district approves.
        _h.Clock.Set(AfterWindow);
        Assert.Equal("QUOTA_WINDOW_CLOSED", await Harness.Refused(() => _h.Submit(Harness.SchoolAdmin1, "S1")));
        Assert.Equal("REASON_REQUIRED", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 4, 100)));
        var request = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 4, 100, "New building opened");
        Assert.Equal(QuotaStatus.ChangeRequested, request.Status);
        Assert.Equal(90, (await _h.Programs("S1")).Single(p => p.Language == "ky").ApprovedSeats);
        await _h.Approve(Harness.Officer1, false, ky.Id);
        Assert.Equal(100, (await _h.Programs("S1")).Single(p => p.Language == "ky").ApprovedSeats);

        // A refused request keeps the approved numbers.
        await _h.Save(Harness.SchoolAdmin1, "S1", "ru", 2, 60, "More applicants expected");
        var refused = await _h.Return(Harness.Officer1, ru.Id, "No teacher for a second class");
        Assert.Equal((QuotaStatus.Approved, 1, 30), (refused.Status, refused.Classes, refused.Seats));
        Assert.Equal(30, (await _h.Programs("S1")).Single(p => p.Language == "ru").ApprovedSeats);

        // Extra-quota window: announced ahead for named schools, only while open.
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", await Harness.Refused(() => _h.AddExtra("S1", "ky", 1, 25)));
        Assert.Equal("SWITCH_PERIOD_INVALID", await Harness.Refused(() =>
            _h.Announce(SwitchKind.ExtraQuotaWindow, AfterWindow.AddHours(-1), AfterWindow.AddDays(2), "S1")));
        await _h.Announce(SwitchKind.ExtraQuotaWindow, AfterWindow.AddHours(1), AfterWindow.AddDays(2), "S1");
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", await Harness.Refused(() => _h.AddExtra("S1", "ky", 1, 25)));
        _h.Clock.Set(AfterWindow.AddHours(1));
        Assert.True((await _h.AllowedNow())!.ExtraQuotaWindowOpen);
        var extra = await _h.AddExtra("S1", "ky", 1, 25);
        Assert.Equal((5, 125), (extra.ApprovedClasses, extra.ApprovedSeats));
        Assert.Equal("SCHOOL_NOT_IN_EXTRA_QUOTA_WINDOW", await Harness.Refused(() => _h.AddExtra("S2", "ky", 1, 25)));
        _h.Clock.Set(AfterWindow.AddDays(2));
        Assert.False((await _h.AllowedNow())!.ExtraQuotaWindowOpen);
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", await Harness.Refused(() => _h.AddExtra("S1", "ky", 1, 25)));

        // Every change is kept: who, when, old → new, why.
        var history = await _h.History(Harness.Officer1, ky.Id);
        Assert.Equal(["Edit", "Submit", "Return", "Edit", "Submit", "Approve", "RequestChange", "Approve", "AddExtraSeats"],
            history.Select(c => c.Action));
        var change = history.Single(c => c.Action == "RequestChange");
        Assert.Equal(("school1", 3, 90, 4, 100, "New building opened"), (change.ChangedBy, change.OldClasses, change.OldSeats, change.NewClasses, change.NewSeats, change.Reason));
        Assert.Equal(AfterWindow, change.At);
        Assert.Equal(("ministry", 100, 125), (history[^1].ChangedBy, history[^1].OldSeats, history[^1].NewSeats));
    }

    [Theory]
    [InlineData(-1, 30)]
    [InlineData(1, -5)]
    [InlineData(1, 100_000)]
    [InlineData(500, 30)]
    public async Task Negative_or_absurd_numbers_are_refused_naming_the_field(int classes, int seats)
    {
        _h.Clock.Set(InWindow);
        var e = await Assert.ThrowsAsync<ValidationFailed>(() => _h.Save(Harness.SchoolAdmin1, "S1", "ky", classes, seats));
        Assert.Contains(e.Errors, x => x.Code == "OUT_OF_RANGE");
        await using var db = _h.Db();
        Assert.Equal(0, await db.Quotas.CountAsync());
    }

    [Fact]
    public async Task Seats_without_classes_are_refused()
    {
        _h.Clock.Set(InWindow);
        Assert.Equal("SEATS_WITHOUT_CLASSES", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin1, "S1", "ky", 0, 30)));
    }

    [Fact]
    public async Task A_language_the_school_does_not_offer_is_refused()
    {
        _h.Clock.Set(InWindow);
        Assert.Equal("LANGUAGE_NOT_OFFERED", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin1, "S1", "uz", 1, 25)));
    }

    [Fact]
    public async Task A_school_that_does_not_take_part_gets_no_quota()
    {
        _h.Clock.Set(InWindow);
        Assert.Equal("SCHOOL_NOT_PARTICIPATING", await Harness.Refused(() => _h.Save(Harness.Ministry, "S3", "ru", 1, 25)));
    }

    [Fact]
    public async Task Another_school_or_another_districts_school_is_refused()
    {
        _h.Clock.Set(InWindow);
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.Save(Harness.SchoolAdmin2, "S1", "ky", 1, 25)));
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.Save(Harness.Officer2, "S1", "ky", 1, 25)));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.Save(Harness.Ministry, "S999", "ky", 1, 25)));
    }

    [Fact]
    public async Task Class_size_warning_must_be_acknowledged_and_a_refused_bulk_approval_saves_nothing()
    {
        _h.Clock.Set(InWindow);
        var fine = await _h.Save(Harness.SchoolAdmin1, "S1", "ru", 1, 30);
        var crowded = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 40);
        Assert.True(crowded.ClassSizeWarning);
        Assert.False(fine.ClassSizeWarning);
        await _h.Submit(Harness.SchoolAdmin1, "S1");

        Assert.Equal("CLASS_SIZE_WARNING_NOT_ACKNOWLEDGED", await Harness.Refused(() => _h.Approve(Harness.Officer1, false, fine.Id, crowded.Id)));
        Assert.Empty(await _h.Programs());

        var approved = await _h.Approve(Harness.Officer1, true, fine.Id, crowded.Id);
        Assert.Equal(2, approved.Count);
        Assert.Equal("Class-size warning acknowledged", (await _h.History(Harness.Officer1, crowded.Id))[^1].Reason);
    }

    [Fact]
    public async Task Another_districts_officer_cannot_approve_and_nothing_is_approved()
    {
        _h.Clock.Set(InWindow);
        var q = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 25);
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        Assert.Equal("ACCESS_DENIED", await Harness.Refused(() => _h.Approve(Harness.Officer2, false, q.Id)));
        Assert.Equal("NOT_FOUND", await Harness.Refused(() => _h.Approve(Harness.Officer1, false, q.Id, Guid.NewGuid())));
        Assert.Empty(await _h.Programs());
    }

    [Fact]
    public async Task Quota_lists_are_scoped_to_the_callers_school_or_district()
    {
        _h.Clock.Set(InWindow);
        await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 1, 25);
        await _h.Save(Harness.SchoolAdmin2, "S2", "ky", 1, 25);
        Task<IReadOnlyList<QuotaDto>> List(Enrollment.BuildingBlocks.Security.ICurrentUser u) =>
            _h.As(u, c => new GetQuotasHandler(c.Db, c.Current, c.User).Handle(new GetQuotas(null, null, null), default));
        Assert.Equal(["S1"], (await List(Harness.SchoolAdmin1)).Select(q => q.SchoolCode));
        Assert.Equal(["S2"], (await List(Harness.Officer2)).Select(q => q.SchoolCode));
        Assert.Equal(2, (await List(Harness.Ministry)).Count);
    }

    [Fact]
    public async Task Roll_up_sums_approved_and_pending_seats_by_district_and_language()
    {
        _h.Clock.Set(InWindow);
        var a = await _h.Save(Harness.SchoolAdmin1, "S1", "ky", 2, 50);
        await _h.Save(Harness.SchoolAdmin1, "S1", "ru", 1, 25);
        await _h.Save(Harness.SchoolAdmin2, "S2", "ky", 1, 20);
        await _h.Submit(Harness.SchoolAdmin1, "S1");
        await _h.Approve(Harness.Officer1, false, a.Id);
        var rows = await _h.Rollup(Harness.Ministry, RollupLevel.District);
        Assert.Equal([("D1", "ky", 50, 0), ("D1", "ru", 0, 25), ("D2", "ky", 0, 20)], rows.Select(r => (r.Key, r.Language!, r.ApprovedSeats, r.PendingSeats)));
        var byLanguage = await _h.Rollup(Harness.Officer1, RollupLevel.Language);
        Assert.Equal([("ky", 50), ("ru", 0)], byLanguage.Select(r => (r.Key, r.ApprovedSeats)));
    }

    [Fact]
    public async Task Cancellation_switch_turns_cancellation_off_only_for_its_announced_period()
    {
        var stageOne = new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
        _h.Clock.Set(stageOne.AddDays(-1));
        var allowed = await _h.AllowedNow();
        Assert.False(allowed!.CancellationAllowed);
        Assert.True(allowed.DraftsAllowed);
        Assert.False(allowed.SubmissionAllowed);

        _h.Clock.Set(stageOne.AddDays(1));
        Assert.True((await _h.AllowedNow())!.CancellationAllowed);
        await _h.Announce(SwitchKind.CancellationDisabled, stageOne.AddDays(2), stageOne.AddDays(4));
        allowed = await _h.AllowedNow();
        Assert.True(allowed!.CancellationAllowed);
        Assert.Equal(SwitchKind.CancellationDisabled, Assert.Single(allowed.Switches).Kind);

        _h.Clock.Set(stageOne.AddDays(3));
        Assert.False((await _h.AllowedNow())!.CancellationAllowed);
        _h.Clock.Set(stageOne.AddDays(4));
        allowed = await _h.AllowedNow();
        Assert.True(allowed!.CancellationAllowed);
        Assert.Empty(allowed.Switches);
    }

    [Fact]
    public async Task Seeded_quotas_are_approved_programs_splitting_the_schools_seats_over_its_languages()
    {
        var n = await _h.As(Harness.Ministry, c => new SeedQuotasHandler(c.Db, c.Clock).Handle(new SeedQuotas(2026,
            [new SeedQuotaSchool("S1", "D1", "R1", ["ky", "ru"], 125), new SeedQuotaSchool("S2", "D2", "R1", ["ky"], 0)]), default));
        Assert.Equal(2, n);
        var programs = await _h.Programs("S1");
        Assert.Equal(125, programs.Sum(p => p.ApprovedSeats));
        Assert.Equal([("ky", 3, 75), ("ru", 2, 50)], programs.Select(p => (p.Language, p.Classes, p.ApprovedSeats)));
        Assert.Equal("QUOTAS_EXIST", await Harness.Refused(() => _h.As(Harness.Ministry, c =>
            new SeedQuotasHandler(c.Db, c.Clock).Handle(new SeedQuotas(2026, [new SeedQuotaSchool("S2", "D2", "R1", ["ky"], 25)]), default))));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 61)]
    [InlineData(3, 400)]
    [InlineData(1, 1200)]
    public void Seed_split_keeps_every_seat_within_the_class_size_limit(int languages, int seats)
    {
        var split = SeedQuotasHandler.Split([.. new[] { "ky", "ru", "uz" }.Take(languages)], seats);
        Assert.Equal(seats, split.Sum(p => p.Seats));
        Assert.All(split, p => Assert.True(p.Classes >= 1 && p.Seats >= p.Classes && p.Seats <= p.Classes * 36, p.ToString()));
    }

    public void Dispose() => _h.Dispose();
}

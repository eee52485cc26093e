using Enrollment.Allocation.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Reporting.Tests.Season;

namespace Enrollment.Reporting.Tests;

public sealed class ReadModelTests : IDisposable
{
    private readonly Harness _h = new();
    private readonly Season _s;

    public ReadModelTests() => _s = new Season(_h);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Replaying_every_event_twice_changes_nothing()
    {
        var events = new List<ApplicationStatusChanged>
        {
            _s.Submit("StageOne", choices: [P("S1", "ky")]),
            _s.Submit("StageOne", priority: "military", verified: true, choices: [P("S2", "ky"), P("S1", "ru")]),
        };
        events.Add(_s.Move(events[0].Application.ApplicationId, ApplicationStatus.Waitlisted));
        foreach (var e in events) await _h.Deliver(e);
        var once = await _h.Snapshot();
        long version;
        await using (var db = _h.Db()) version = (await db.Versions.SingleAsync()).Version;

        foreach (var e in events) await _h.Deliver(e);

        Assert.Equal(once, await _h.Snapshot(), new TablesComparer());
        await using var after = _h.Db();
        Assert.Equal(version, (await after.Versions.SingleAsync()).Version);
    }

    [Fact]
    public async Task Concurrent_submits_of_one_day_and_region_are_all_counted_in_the_daily_series()
    {
        using var h = new Harness(onDisk: true);
        var s = new Season(h);
        var events = Enumerable.Range(0, 200).Select(_ => s.Submit("StageOne", choices: [P("S1", "ky")])).ToList();
        var start = new TaskCompletionSource();
        var deliveries = events.Select(e => Task.Run(async () =>
        {
            await start.Task;
            await h.Deliver(e);
        })).ToList();

        start.SetResult();
        await Task.WhenAll(deliveries);

        await using var db = h.Db();
        Assert.Equal(200, await db.ApplicationFacts.CountAsync());
        Assert.Equal(200, (await db.DailyApplications.ToListAsync()).Sum(d => d.Submitted));
    }

    [Fact]
    public async Task A_submit_adds_to_its_day_cell_without_reading_the_days_other_facts()
    {
        // The opening morning: every batch of submits lands in the same (day, region) cells. Counting the cell's facts
        // again on each batch made each write cost as much as the day's applications so far (≈ 10 ms at 64,000).
        foreach (var _ in Enumerable.Range(0, 30)) await _h.Deliver(_s.Submit("StageOne", choices: [P("S1", "ky")]));
        var sent = new Sent();
        _h.Interceptors.Add(sent);

        await _h.Deliver(new ApplicationStatusesChanged([_s.Submit("StageOne", choices: [P("S1", "ky")]), _s.Submit("StageOne", choices: [P("S3", "uz")])]));

        Assert.DoesNotContain(sent.Commands, c => c.Contains("COUNT(", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(sent.Commands, c => c.Contains("FROM \"reporting_application_fact\"", StringComparison.Ordinal) && !c.Contains("\"application_id\" IN", StringComparison.Ordinal));
        var daily = await _h.Run((_, r, _) => r.DailyAsync(null, default));
        Assert.Equal([new DailyApplicationsDto(new DateOnly(2026, 4, 1), "R1", 31), new DailyApplicationsDto(new DateOnly(2026, 4, 1), "R2", 1)], daily);
    }

    [Fact]
    public async Task A_resubmission_moves_to_its_new_day_cell_and_the_emptied_cell_is_removed_as_the_rebuild_has_none()
    {
        var a = _s.Submit("StageOne", choices: [P("S3", "uz")]);
        await _h.Deliver(a);
        await _h.Deliver(_s.Submit("StageOne", choices: [P("S1", "ky")]));
        _h.Clock.Set(new DateTimeOffset(2026, 4, 2, 5, 0, 0, TimeSpan.Zero));
        await _h.Deliver(_s.Move(a.Application.ApplicationId, ApplicationStatus.NeedsCorrection));
        await _h.Deliver(_s.Move(a.Application.ApplicationId, ApplicationStatus.Submitted, resubmit: true));
        var incremental = await _h.Snapshot();

        await _h.Rebuild();

        Assert.Equal([$"{Harness.CampaignId}|2026-04-01|R1|1", $"{Harness.CampaignId}|2026-04-02|R2|1"], incremental.Days);
        Assert.Equal(incremental.Days, (await _h.Snapshot()).Days);
    }

    private sealed class Sent : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public List<string> Commands { get; } = [];

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (Commands) Commands.Add(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<object>> ScalarExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            lock (Commands) Commands.Add(command.CommandText);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            lock (Commands) Commands.Add(command.CommandText);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    [Fact]
    public async Task An_older_event_arriving_late_never_overwrites_a_newer_fact()
    {
        var submitted = _s.Submit("StageOne", choices: [P("S1", "ky")]);
        var id = submitted.Application.ApplicationId;
        var waitlisted = _s.Move(id, ApplicationStatus.Waitlisted);
        var offered = _s.Move(id, ApplicationStatus.Offered);

        await _h.Deliver(offered);
        await _h.Deliver(submitted);
        await _h.Deliver(waitlisted);

        await using var db = _h.Db();
        var fact = await db.ApplicationFacts.SingleAsync();
        Assert.Equal(ApplicationStatus.Offered, fact.Status);
        Assert.Equal(offered.HistoryId, fact.HistoryId);
    }

    [Fact]
    public async Task Two_transitions_at_the_same_instant_are_ordered_by_their_history_id()
    {
        var submitted = _s.Submit("StageOne", choices: [P("S1", "ky")]);
        var later = submitted with { HistoryId = Guid.CreateVersion7(submitted.At.AddMilliseconds(1)), To = ApplicationStatus.Waitlisted,
            Application = submitted.Application with { Status = ApplicationStatus.Waitlisted } };
        later = later with { At = submitted.At };

        await _h.Deliver(later);
        await _h.Deliver(submitted);

        await using var db = _h.Db();
        Assert.Equal(ApplicationStatus.Waitlisted, (await db.ApplicationFacts.SingleAsync()).Status);
    }

    [Fact]
    public async Task Facts_carry_no_personal_data_and_the_district_comes_from_the_first_choice_school()
    {
        await _h.Deliver(_s.Submit("StageTwo", sex: 'M', birthYear: 2020, choices: [P("S3", "uz"), P("S1", "ky")]));
        await using var db = _h.Db();
        var fact = await db.ApplicationFacts.SingleAsync();
        Assert.Equal(("S3", "uz", "D3", "R2", "S3/uz/1;S1/ky/1", 2), (fact.SchoolCode, fact.Language, fact.DistrictCode, fact.RegionCode, fact.Choices, fact.ChoiceCount));
        Assert.Equal(("M", 2020, "child-0001"), (fact.Sex, fact.BirthYear, fact.ChildKey));
        var columns = db.Model.FindEntityType(typeof(Data.ApplicationFactRow))!.GetProperties().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain(columns, c => c.Contains("pin") || c.Contains("name") || c.Contains("phone") || c.Contains("email") || c.Contains("address") || c.Contains("birthdate"));
    }

    [Fact]
    public async Task Daily_series_counts_submissions_per_Bishkek_day_and_moves_a_resubmission_to_its_new_day()
    {
        // 2026-04-01 04:00 UTC is 10:00 in Bishkek; 19:00 UTC is already 2 April there.
        var a = _s.Submit("StageOne", choices: [P("S1", "ky")]);
        await _h.Deliver(a);
        await _h.Deliver(_s.Submit("StageOne", choices: [P("S3", "uz")]));
        _h.Clock.Set(new DateTimeOffset(2026, 4, 1, 19, 0, 0, TimeSpan.Zero));
        await _h.Deliver(_s.Move(a.Application.ApplicationId, ApplicationStatus.NeedsCorrection));
        await _h.Deliver(_s.Move(a.Application.ApplicationId, ApplicationStatus.Submitted, resubmit: true));

        var daily = await _h.Run((_, r, _) => r.DailyAsync(null, default));
        Assert.Equal(
            [new DailyApplicationsDto(new DateOnly(2026, 4, 1), "R2", 1), new DailyApplicationsDto(new DateOnly(2026, 4, 2), "R1", 1)],
            daily);
    }

    [Fact]
    public async Task Rebuild_gives_exactly_the_tables_the_events_built()
    {
        await DriveSeason();
        var incremental = await _h.Snapshot();
        Assert.NotEmpty(incremental.Facts);
        Assert.NotEmpty(incremental.Days);

        var result = await _h.Rebuild();

        Assert.Equal((Harness.CampaignId, incremental.Facts.Count, incremental.Programs.Count), (result.CampaignId!.Value, result.ApplicationFacts, result.ProgramFacts));
        Assert.Equal(incremental, await _h.Snapshot(), new TablesComparer());
    }

    [Fact]
    public async Task Rebuild_after_lost_events_puts_the_numbers_right()
    {
        await DriveSeason();
        var expected = await _h.Snapshot();
        await using (var db = _h.Db())
        {
            await db.ApplicationFacts.Take(2).ExecuteDeleteAsync();
            await db.ProgramFacts.ExecuteUpdateAsync(s => s.SetProperty(p => p.FreeSeats, 999));
        }

        await _h.Rebuild();
        Assert.Equal(expected, await _h.Snapshot(), new TablesComparer());
    }

    [Fact]
    public async Task Program_seats_follow_offers_and_enrollments()
    {
        await DriveSeason();
        var programs = await _h.Run((_, r, _) => r.ProgramListAsync(new GetOpenDataPrograms(), default));
        var s1ky = programs.Single(p => p.SchoolCode == "S1" && p.Language == "ky");
        Assert.Equal((50, 1, 1, 48), (s1ky.ApprovedSeats, s1ky.Offers, s1ky.Enrolled, s1ky.FreeSeats));
        Assert.Equal("школа S1", s1ky.SchoolNameRu);
    }

    /// <summary>
    /// A small season: submissions in both stages, a run that offers seats, a confirmation, an enrollment, a
    /// cancellation and a withdrawal; each event delivered as Registry/Allocation would publish it.
    /// </summary>
    internal async Task DriveSeason()
    {
        var a = _s.Submit("StageOne", choices: [P("S1", "ky")]);
        var b = _s.Submit("StageOne", priority: "military", verified: false, choices: [P("S1", "ky"), P("S2", "ky")]);
        var c = _s.Submit("StageOne", sex: 'M', choices: [P("S2", "ky")]);
        var d = _s.Submit("StageOne", choices: [P("S3", "uz")]);
        foreach (var e in new[] { a, b, c, d }) await _h.Deliver(e);
        await _h.Deliver(_s.Move(b.Application.ApplicationId, ApplicationStatus.Submitted, verified: true));

        // Allocation run: a and b get S1/ky, c gets S2/ky; d waits.
        _h.Sources.HeldOffers[("S1", "ky", 1)] = 2;
        _h.Sources.HeldOffers[("S2", "ky", 1)] = 1;
        foreach (var (app, school) in new[] { (a, "S1"), (b, "S1"), (c, "S2") })
        {
            await _h.Deliver(_s.Move(app.Application.ApplicationId, ApplicationStatus.Offered));
        }

        await _h.Deliver(_s.Move(d.Application.ApplicationId, ApplicationStatus.Waitlisted));
        var run = Guid.NewGuid();
        await _h.Deliver(new OffersChanged(run, Harness.CampaignId,
            [new OfferChangeDto(a.Application.ApplicationId, OfferChangeKind.Made, Guid.NewGuid(), "S1", "ky", 1, _s.Now.AddDays(5))], _s.Now));
        await _h.Deliver(new AllocationRunCompleted(run, Harness.CampaignId, "test", 4, 3, 0, 1, _s.Now));

        // a confirms and is enrolled; c cancels; b confirms.
        await _h.Deliver(_s.Move(a.Application.ApplicationId, ApplicationStatus.Confirmed));
        _h.Sources.HeldOffers[("S1", "ky", 1)] = 1;
        await _h.Deliver(_s.Move(a.Application.ApplicationId, ApplicationStatus.Enrolled, enrolled: P("S1", "ky")));
        _h.Sources.HeldOffers[("S2", "ky", 1)] = 0;
        await _h.Deliver(_s.Move(c.Application.ApplicationId, ApplicationStatus.Cancelled));
        await _h.Deliver(_s.Move(b.Application.ApplicationId, ApplicationStatus.Confirmed));

        // Stage Two, next day.
        _h.Clock.Advance(TimeSpan.FromDays(1));
        var e2 = _s.Submit("StageTwo", choices: [P("S2", "ky")]);
        await _h.Deliver(e2);
    }

    [Fact]
    public async Task Run_that_changed_no_offer_leaves_program_seats_refreshable()
    {
        // Programs are known (a stage opened); a nightly run changes no offer, then the run-completed refresh comes in the same scope.
        await _h.Run((w, _, _) => w.RefreshProgramsAsync(Harness.CampaignId, null, default));
        _h.Sources.HeldOffers[("S1", "ky", 1)] = 3;
        var run = Guid.NewGuid();
        await _h.Run(async (w, _, _) =>
        {
            await new Features.ReadModel.WhenOffersChanged(w, Microsoft.Extensions.Logging.Abstractions.NullLogger<Features.ReadModel.WhenOffersChanged>.Instance)
                .Handle(new OffersChanged(run, Harness.CampaignId, [], _s.Now), default);
            await new Features.ReadModel.WhenAllocationRunCompleted(w, Microsoft.Extensions.Logging.Abstractions.NullLogger<Features.ReadModel.WhenAllocationRunCompleted>.Instance)
                .Handle(new AllocationRunCompleted(run, Harness.CampaignId, "Nightly", 0, 0, 0, 0, _s.Now), default);
        });

        await using var db = _h.Db();
        var s1 = await db.ProgramFacts.AsNoTracking().SingleAsync(p => p.SchoolCode == "S1" && p.Language == "ky");
        Assert.Equal((3, 47), (s1.Offers, s1.FreeSeats));
        Assert.Equal(_h.Sources.Programs.Count, await db.ProgramFacts.CountAsync());
    }
}

using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Features.ReadModel;
using Enrollment.Schools.Contracts;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Reporting.Tests.Season;

namespace Enrollment.Reporting.Tests;

/// <summary>
/// <see cref="ApplicationStatusesChanged"/> (one per committed batch of Registry's submit queue) gives exactly what its
/// changes give one by one, and what a rebuild gives (ADR 0601).
/// </summary>
public sealed class BatchReadModelTests : IDisposable
{
    private readonly Harness _h = new();
    private readonly Season _s;

    public BatchReadModelTests() => _s = new Season(_h);

    public void Dispose() => _h.Dispose();

    /// <summary>
    /// A morning of changes across schools, regions and two Bishkek days: submissions, a correction and resubmission on the
    /// next day, offers (seats move), a waitlist, a withdrawal. Several changes of one application, in order.
    /// </summary>
    private static List<ApplicationStatusChanged> Morning(Harness h, Season s)
    {
        var a = s.Submit("StageOne", choices: [P("S1", "ky")]);
        var b = s.Submit("StageOne", priority: "military", verified: true, choices: [P("S2", "ky"), P("S1", "ru")]);
        var c = s.Submit("StageOne", sex: 'M', choices: [P("S3", "uz")]);
        var d = s.Submit("StageOne", choices: [P("S1", "ru")]);
        var events = new List<ApplicationStatusChanged> { a, b, c, d };
        h.Sources.HeldOffers[("S1", "ky", 1)] = 1;
        events.Add(s.Move(a.Application.ApplicationId, ApplicationStatus.Offered));
        events.Add(s.Move(c.Application.ApplicationId, ApplicationStatus.NeedsCorrection));
        events.Add(s.Move(d.Application.ApplicationId, ApplicationStatus.Waitlisted));
        events.Add(s.Move(b.Application.ApplicationId, ApplicationStatus.Withdrawn));
        h.Clock.Set(new DateTimeOffset(2026, 4, 1, 19, 0, 0, TimeSpan.Zero)); // 2 April in Bishkek
        events.Add(s.Move(c.Application.ApplicationId, ApplicationStatus.Submitted, resubmit: true));
        events.Add(s.Submit("StageOne", choices: [P("S2", "ky")]));
        return events;
    }

    [Fact]
    public async Task A_batch_gives_exactly_the_tables_a_rebuild_gives()
    {
        var events = Morning(_h, _s);

        await _h.Deliver(new ApplicationStatusesChanged(events));
        var incremental = await _h.Snapshot();
        await _h.Rebuild();

        Assert.Equal(5, incremental.Facts.Count);
        Assert.Equal(incremental, await _h.Snapshot(), new TablesComparer());
    }

    [Fact]
    public async Task A_change_delivered_while_a_rebuild_holds_its_snapshot_is_applied_after_the_rebuild_and_not_wiped_by_it()
    {
        using var h = new Harness(onDisk: true);
        var s = new Season(h);
        await h.Deliver(s.Submit("StageOne", choices: [P("S1", "ky")]));
        var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Sources.AfterFactsRead = async () =>
        {
            read.TrySetResult();
            await release.Task;
        };

        var rebuild = Task.Run(h.Rebuild); // reads a snapshot with one submit, then waits
        await read.Task;
        h.Sources.AfterFactsRead = null;
        var late = Task.Run(() => h.Deliver(s.Submit("StageOne", choices: [P("S2", "ky")]))); // a submit published meanwhile
        await Task.WhenAny(late, Task.Delay(TimeSpan.FromSeconds(2))); // it must not get in before the rebuild commits
        release.SetResult();
        await Task.WhenAll(rebuild, late);

        var tables = await h.Snapshot();
        Assert.Equal(2, tables.Facts.Count);
        Assert.Equal(["2026-04-01|R1|2"], tables.Days.Select(d => d[(d.IndexOf('|') + 1)..]));
    }

    [Fact]
    public async Task A_batch_gives_the_same_tables_as_its_changes_delivered_one_by_one()
    {
        var events = Morning(_h, _s);
        using var single = new Harness();
        foreach (var (k, v) in _h.Sources.Facts) single.Sources.Facts[k] = v;
        foreach (var (k, v) in _h.Sources.HeldOffers) single.Sources.HeldOffers[k] = v;

        foreach (var e in events) await single.Deliver(e);
        await _h.Deliver(new ApplicationStatusesChanged(events[..5]));
        await _h.Deliver(new ApplicationStatusesChanged(events[5..]));

        var expected = await single.Snapshot();
        Assert.Equal(["2026-04-01|R1|3", "2026-04-02|R1|1", "2026-04-02|R2|1"], expected.Days.Select(d => d[(d.IndexOf('|') + 1)..]));
        Assert.Equal(expected, await _h.Snapshot(), new TablesComparer());
    }

    [Fact]
    public async Task A_replayed_batch_changes_nothing_not_even_the_version()
    {
        var batch = new ApplicationStatusesChanged(Morning(_h, _s));
        await _h.Deliver(batch);
        var once = await _h.Snapshot();
        var version = await VersionAsync();

        await _h.Deliver(batch);
        await _h.Deliver(batch.Changes[3]);

        Assert.Equal(once, await _h.Snapshot(), new TablesComparer());
        Assert.Equal(version, await VersionAsync());
    }

    [Fact]
    public async Task Older_changes_in_a_batch_are_ignored_and_the_newest_change_of_an_application_wins_whatever_its_place()
    {
        var submitted = _s.Submit("StageOne", choices: [P("S1", "ky")]);
        var id = submitted.Application.ApplicationId;
        var waitlisted = _s.Move(id, ApplicationStatus.Waitlisted);
        var offered = _s.Move(id, ApplicationStatus.Offered);
        var other = _s.Submit("StageOne", choices: [P("S3", "uz")]);
        var otherLater = _s.Move(other.Application.ApplicationId, ApplicationStatus.Waitlisted);
        await _h.Deliver(waitlisted);

        // Stored: Waitlisted. In the batch: an older change (submitted), the newer one (offered), a replay (waitlisted),
        // and another application's two changes out of order.
        await _h.Deliver(new ApplicationStatusesChanged([submitted, otherLater, offered, waitlisted, other]));

        await using var db = _h.Db();
        var facts = await db.ApplicationFacts.AsNoTracking().ToDictionaryAsync(f => f.ApplicationId);
        Assert.Equal((ApplicationStatus.Offered, offered.HistoryId), (facts[id].Status, facts[id].HistoryId));
        Assert.Equal((ApplicationStatus.Waitlisted, otherLater.HistoryId), (facts[other.Application.ApplicationId].Status, facts[other.Application.ApplicationId].HistoryId));
        Assert.Equal(2, (await db.DailyApplications.AsNoTracking().ToListAsync()).Sum(d => d.Submitted));
    }

    [Fact]
    public async Task Concurrent_batches_and_single_events_are_all_counted_and_equal_a_rebuild()
    {
        using var h = new Harness(onDisk: true);
        var s = new Season(h);
        string[] schools = ["S1", "S2", "S3"];
        var events = Enumerable.Range(0, 200).Select(i => s.Submit("StageOne", choices: [P(schools[i % 3], i % 3 == 2 ? "uz" : "ky")])).ToList();
        var deliveries = new List<Func<Task>>();
        deliveries.AddRange(events.Take(100).Chunk(7).Select(chunk => (Func<Task>)(() => h.Deliver(new ApplicationStatusesChanged(chunk)))));
        deliveries.AddRange(events.Skip(100).Select(e => (Func<Task>)(() => h.Deliver(e))));
        // Some of the batched ones arrive again, alone (a redelivery racing its batch).
        deliveries.AddRange(events.Take(100).Where((_, i) => i % 10 == 0).Select(e => (Func<Task>)(() => h.Deliver(e))));
        var start = new TaskCompletionSource();
        var running = deliveries.Select(d => Task.Run(async () =>
        {
            await start.Task;
            await d();
        })).ToList();

        start.SetResult();
        await Task.WhenAll(running);

        await using (var db = h.Db())
        {
            Assert.Equal(200, await db.ApplicationFacts.CountAsync());
            Assert.Equal(200, (await db.DailyApplications.ToListAsync()).Sum(d => d.Submitted));
        }

        var incremental = await h.Snapshot();
        await h.Rebuild();
        Assert.Equal(incremental, await h.Snapshot(), new TablesComparer());
    }

    [Fact]
    public async Task A_changed_school_reaches_the_next_facts_as_soon_as_the_school_list_changed()
    {
        await _h.Deliver(_s.Submit("StageOne", choices: [P("S1", "ky")]));
        var moved = FakeSources.S1 with { DistrictCode = "D3", RegionCode = "R2" };
        _h.Sources.Schools[_h.Sources.Schools.IndexOf(FakeSources.S1)] = moved;

        await new WhenSchoolListChangedForgetSchools(_h.Cache).Handle(new SchoolListChanged(3), default);
        var next = _s.Submit("StageOne", choices: [P("S1", "ky")]);
        await _h.Deliver(next);

        await using var db = _h.Db();
        var fact = await db.ApplicationFacts.AsNoTracking().SingleAsync(f => f.ApplicationId == next.Application.ApplicationId);
        Assert.Equal(("D3", "R2"), (fact.DistrictCode, fact.RegionCode));
    }

    [Fact]
    public async Task Programs_a_refresh_removed_are_read_again_when_the_next_submit_names_their_school()
    {
        await _h.Deliver(_s.Submit("StageOne", choices: [P("S2", "ky")]));
        var s2 = _h.Sources.Programs.Single(p => p.SchoolCode == "S2");
        _h.Sources.Programs.Remove(s2);
        await _h.Run((w, _, _) => w.RefreshProgramsAsync(Harness.CampaignId, ["S2"], default));
        await using (var db = _h.Db()) Assert.False(await db.ProgramFacts.AnyAsync(p => p.SchoolCode == "S2"));

        _h.Sources.Programs.Add(s2);
        await _h.Deliver(_s.Submit("StageOne", choices: [P("S2", "ky")]));

        await using var after = _h.Db();
        Assert.True(await after.ProgramFacts.AnyAsync(p => p.SchoolCode == "S2"));
    }

    private async Task<long> VersionAsync()
    {
        await using var db = _h.Db();
        return (await db.Versions.SingleAsync()).Version;
    }
}

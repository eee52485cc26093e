using Enrollment.Allocate;
using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Engine;
using Enrollment.Allocation.Features;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Tests.Runs;

/// <summary>Allocation runs on a real SQLite database: snapshot → engine → one transaction → events.</summary>
public sealed class RunTests : IDisposable
{
    private readonly RunHarness _h = new();
    private static readonly DateTimeOffset Day1 = RunHarness.StageOneOpens.AddHours(1);
    private static readonly DateTimeOffset Late = RunHarness.StageOneOpens.AddDays(3.5);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Run_offers_seats_by_priority_class_and_waitlists_the_rest()
    {
        _h.Program("S1", "ky", 2);
        var others = _h.Apply(Late, ("S1:ky", 2));
        var privileged = _h.Apply(Late.AddHours(5), ("S1:ky", 0));
        var resident = _h.Apply(Late.AddHours(6), ("S1:ky", 1));

        var outcome = await _h.Run();

        Assert.Equal((RunStatuses.Completed, 3, 2, 0, 1), (outcome.Status, outcome.Applications, outcome.Offers, outcome.MovedUp, outcome.Waitlisted));
        Assert.Equal(OfferStatus.Offered, (await _h.OfferOf(privileged))!.Status);
        Assert.Equal(OfferStatus.Offered, (await _h.OfferOf(resident))!.Status);
        Assert.Null(await _h.OfferOf(others));
        var changed = Assert.Single(_h.Published.OfType<OffersChanged>());
        Assert.Equal(outcome.RunId, changed.BatchId);
        Assert.Equal(
            new[] { (privileged, OfferChangeKind.Made), (resident, OfferChangeKind.Made), (others, OfferChangeKind.Waitlisted) }.OrderBy(c => c.Item1),
            changed.Changes.Select(c => (c.ApplicationId, c.Kind)).OrderBy(c => c.ApplicationId));
        var completed = Assert.Single(_h.Published.OfType<AllocationRunCompleted>());
        Assert.Equal((outcome.RunId, _h.Campaign.Id, 3, 2, 0, 1), (completed.RunId, completed.CampaignId, completed.Applications, completed.Offers, completed.MovedUp, completed.Waitlisted));
        await _h.AssertNotOverbooked();
    }

    [Fact]
    public async Task Offers_are_confirmable_until_the_end_of_the_Bishkek_day_OfferConfirmDays_later()
    {
        _h.Program("S1", "ky", 1);
        var a = _h.Apply(Late, ("S1:ky", 2));
        _h.Clock.Set(new DateTimeOffset(2026, 4, 5, 20, 30, 0, TimeSpan.Zero)); // 6 April 02:30 in Bishkek

        await _h.Run();

        // 6 April + 5 days = 11 April, 23:59:59 Asia/Bishkek = 17:59:59 UTC.
        Assert.Equal(new DateTimeOffset(2026, 4, 11, 17, 59, 59, TimeSpan.Zero), (await _h.OfferOf(a))!.ConfirmBy);
    }

    [Fact]
    public void Submissions_within_the_equal_footing_window_count_as_submitted_at_the_stage_opening()
    {
        var opening = RunHarness.StageOneOpens;
        var first = new AllocationApplicationDto(Guid.NewGuid(), ApplicationStatus.Submitted, opening.AddSeconds(1), [], null);
        var last = first with { ApplicationId = Guid.NewGuid(), SubmittedAt = opening.AddHours(71.9) };
        var after = first with { ApplicationId = Guid.NewGuid(), SubmittedAt = opening.AddHours(72) };
        var seed = RunInputs.SeedOf(_h.Campaign);

        long Key(AllocationApplicationDto a) => RunInputs.Tiebreak(_h.Campaign, seed, a);

        Assert.Equal(opening.ToUnixTimeSeconds(), Key(first) >> 30);
        Assert.Equal(opening.ToUnixTimeSeconds(), Key(last) >> 30);
        Assert.True(Key(after) > Math.Max(Key(first), Key(last)));
        Assert.Equal(RunHarness.StageTwoOpens.AddHours(-1), RunInputs.EffectiveSubmission(_h.Campaign, RunHarness.StageTwoOpens.AddHours(-1)));
        Assert.Equal(RunHarness.StageTwoOpens, RunInputs.EffectiveSubmission(_h.Campaign, RunHarness.StageTwoOpens.AddHours(30)));
    }

    [Fact]
    public async Task Lottery_tiebreak_is_recomputable_from_the_published_seed_and_required()
    {
        using var lottery = new RunHarness("Lottery", "published-seed-2026");
        lottery.Program("S1", "ky", 1);
        var a = lottery.Apply(Late, ("S1:ky", 2));
        var b = lottery.Apply(Day1, ("S1:ky", 2));

        var run = await lottery.Run();

        var winner = LotteryTiebreak.For("published-seed-2026", a.ToString()) < LotteryTiebreak.For("published-seed-2026", b.ToString()) ? a : b;
        Assert.NotNull(await lottery.OfferOf(winner));
        Assert.Equal("published-seed-2026", (await lottery.RunDetail(run.RunId))!.Run.Seed);

        using var unseeded = new RunHarness("Lottery", null);
        Assert.Equal("LOTTERY_SEED_MISSING", await RunHarness.Refused(() => unseeded.Run()));
    }

    [Fact]
    public async Task Holder_never_loses_the_seat_moves_up_when_a_seat_frees_and_the_old_seat_is_reused_in_the_same_run()
    {
        _h.Program("S1", "ky", 1);
        _h.Program("S2", "ky", 1);
        var privileged = _h.Apply(Late, ("S1:ky", 0));
        var mover = _h.Apply(Day1, ("S1:ky", 1), ("S2:ky", 2));
        await _h.Run();
        _h.FollowOffers();
        Assert.Equal("S2", (await _h.OfferOf(mover))!.SchoolCode);

        var waiting = _h.Apply(Late, ("S2:ky", 2));
        var privilegedLate = _h.Apply(Late, ("S2:ky", 0));
        await _h.Confirm(mover);
        var second = await _h.Run();
        _h.FollowOffers();
        Assert.Equal("S2", (await _h.OfferOf(mover))!.SchoolCode); // a class-0 child for S2 does not take the held seat
        Assert.Null(await _h.OfferOf(privilegedLate));
        Assert.Equal(0, second.MovedUp);

        _h.SetStatus(privileged, ApplicationStatus.Cancelled);
        await _h.StatusChanged(privileged, ApplicationStatus.Cancelled);
        _h.Published.Clear();
        var third = await _h.Run();

        Assert.Equal(1, third.MovedUp);
        var moved = (await _h.OfferOf(mover))!;
        Assert.Equal(("S1", OfferStatus.Offered), (moved.SchoolCode, moved.Status));
        Assert.Equal("S2", (await _h.OfferOf(privilegedLate))!.SchoolCode);
        Assert.Null(await _h.OfferOf(waiting));
        await using (var db = _h.Db())
        {
            var old = await db.Offers.AsNoTracking().SingleAsync(o => o.ApplicationId == mover && o.SchoolCode == "S2");
            Assert.Equal((OfferStatus.Released, "MovedUp"), (old.Status, old.ClosedReason));
        }

        var changes = _h.Published.OfType<OffersChanged>().Single().Changes;
        Assert.Contains(changes, c => c.ApplicationId == mover && c.Kind == OfferChangeKind.MovedUp && c.SchoolCode == "S1");
        Assert.Contains(changes, c => c.ApplicationId == privilegedLate && c.Kind == OfferChangeKind.Made);
        await _h.AssertNotOverbooked();
    }

    [Fact]
    public async Task Second_run_on_unchanged_inputs_changes_nothing()
    {
        _h.Program("S1", "ky", 2);
        _h.Program("S2", "ru", 1);
        for (var i = 0; i < 6; i++)
        {
            _h.Apply(Late.AddMinutes(i), ("S1:ky", i % 3), ("S2:ru", 2));
        }

        await _h.Run();
        _h.FollowOffers();
        var before = (await _h.State()).Split("\n--\n")[0];
        _h.Published.Clear();

        var again = await _h.Run();

        Assert.Equal((0, 0), (again.Offers, again.MovedUp));
        Assert.Equal(before, (await _h.State()).Split("\n--\n")[0]);
        Assert.Empty(_h.Published.OfType<OffersChanged>().Single().Changes);
    }

    [Fact]
    public async Task Dry_run_makes_no_offers_and_gives_the_same_input_and_result_bytes_as_the_real_run()
    {
        _h.Program("S1", "ky", 1);
        var a = _h.Apply(Late, ("S1:ky", 2));
        _h.Apply(Late.AddHours(1), ("S1:ky", 2));

        var dry = await _h.Run(dryRun: true);

        Assert.Equal((RunStatuses.DryRun, 1, 1), (dry.Status, dry.Offers, dry.Waitlisted));
        Assert.Null(await _h.OfferOf(a));
        Assert.Empty(_h.Published);

        var real = await _h.Run();

        Assert.Equal((dry.InputHash, dry.ResultHash), (real.InputHash, real.ResultHash));
        Assert.Equal((await _h.Export(dry.RunId, RunExportKind.Result)).Content, (await _h.Export(real.RunId, RunExportKind.Result)).Content);
        Assert.Equal((await _h.Export(dry.RunId, RunExportKind.Instance)).Content, (await _h.Export(real.RunId, RunExportKind.Instance)).Content);
        Assert.NotNull(await _h.OfferOf(a));
    }

    [Theory]
    [InlineData(nameof(RunStep.SnapshotTaken))]
    [InlineData(nameof(RunStep.EngineDone))]
    [InlineData(nameof(RunStep.RunRecorded))]
    [InlineData(nameof(RunStep.OffersReleased))]
    [InlineData(nameof(RunStep.OffersMade))]
    [InlineData(nameof(RunStep.ExplanationsWritten))]
    [InlineData(nameof(RunStep.Checked))]
    public async Task A_crash_between_steps_leaves_the_previous_state_and_the_next_run_completes(string stepName)
    {
        var step = Enum.Parse<RunStep>(stepName);
        _h.Program("S1", "ky", 1);
        _h.Program("S2", "ky", 1);
        var holder = _h.Apply(Late, ("S1:ky", 0));
        var mover = _h.Apply(Day1, ("S1:ky", 1), ("S2:ky", 2));
        await _h.Run();
        _h.FollowOffers();
        _h.SetStatus(holder, ApplicationStatus.Cancelled);
        await _h.StatusChanged(holder, ApplicationStatus.Cancelled);
        _h.Apply(Late, ("S2:ky", 2));
        var before = await _h.State();
        _h.Published.Clear();

        _h.Faults = new RunHarness.FaultAt(step, () => throw new InvalidOperationException("host killed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _h.Run());

        Assert.Equal(before, await _h.State());
        Assert.Empty(_h.Published);
        await using (var db = _h.Db())
        {
            var failed = await db.Runs.AsNoTracking().OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.FinishedAt).FirstAsync(r => r.Status == RunStatuses.Failed);
            Assert.Contains("host killed", failed.Error);
            Assert.Null(await db.Locks.AsNoTracking().Where(l => l.Owner != null).Select(l => l.Owner).FirstOrDefaultAsync());
        }

        _h.Faults = new NoAllocationFaults();
        var next = await _h.Run();
        Assert.Equal((RunStatuses.Completed, 1), (next.Status, next.MovedUp));
        Assert.Equal("S1", (await _h.OfferOf(mover))!.SchoolCode);
        await _h.AssertNotOverbooked();
    }

    [Fact]
    public async Task Two_concurrent_runs_never_both_commit_the_second_is_refused_while_the_first_holds_the_lock()
    {
        _h.Program("S1", "ky", 3);
        for (var i = 0; i < 5; i++)
        {
            _h.Apply(Late.AddMinutes(i), ("S1:ky", 2));
        }

        using var inside = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        _h.Faults = new RunHarness.FaultAt(RunStep.EngineDone, () =>
        {
            inside.Set();
            proceed.Wait(TimeSpan.FromSeconds(30));
        });
        var first = Task.Run(() => _h.Run());
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)));

        Assert.Equal(AllocationRunLock.InProgressCode, await RunHarness.Refused(() => _h.Run()));
        proceed.Set();
        var committed = await first;

        Assert.Equal(3, committed.Offers);
        await using var db = _h.Db();
        Assert.Equal(1, await db.Runs.CountAsync(r => r.Status == RunStatuses.Completed));
        Assert.Equal(3, await db.Offers.CountAsync());
        await _h.AssertNotOverbooked();
    }

    [Fact]
    public async Task A_waiting_run_starts_after_the_first_commits_and_sees_its_offers()
    {
        _h.Program("S1", "ky", 3);
        for (var i = 0; i < 5; i++)
        {
            _h.Apply(Late.AddMinutes(i), ("S1:ky", 2));
        }

        using var inside = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var calls = 0;
        _h.Faults = new RunHarness.FaultAt(RunStep.EngineDone, () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                inside.Set();
                proceed.Wait(TimeSpan.FromSeconds(30));
            }
        });
        var first = Task.Run(() => _h.Run());
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)));
        var second = Task.Run(() => _h.Run(wait: TimeSpan.FromSeconds(30)));
        await Task.Delay(500);
        Assert.False(second.IsCompleted);
        proceed.Set();

        var results = await Task.WhenAll(first, second);

        Assert.Equal((3, 0), (results[0].Offers, results[1].Offers));
        await using var db = _h.Db();
        Assert.Equal(3, await db.Offers.CountAsync());
        await _h.AssertNotOverbooked();
    }

    [Fact]
    public async Task The_lock_of_a_crashed_host_is_taken_over_when_its_lease_ends()
    {
        _h.Program("S1", "ky", 1);
        _h.Apply(Late, ("S1:ky", 2));
        await using (var db = _h.Db())
        {
            var until = _h.Clock.UtcNow + AllocationRunLock.Lease;
            await db.Locks.ExecuteUpdateAsync(u => u.SetProperty(l => l.Owner, "crashed-host").SetProperty(l => l.LeaseUntil, until));
        }

        Assert.Equal(AllocationRunLock.InProgressCode, await RunHarness.Refused(() => _h.Run()));

        _h.Clock.Advance(AllocationRunLock.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await _h.Run()).Offers);
    }

    [Fact]
    public async Task An_application_cancelled_while_the_run_computes_gets_no_offer_the_run_retries()
    {
        _h.Program("S1", "ky", 1);
        var early = _h.Apply(Day1, ("S1:ky", 2));
        var next = _h.Apply(Late, ("S1:ky", 2));
        var calls = 0;
        _h.Faults = new RunHarness.FaultAt(RunStep.EngineDone, () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Registry cancels the application and publishes ApplicationStatusChanged while the engine ran.
                _h.SetStatus(early, ApplicationStatus.Cancelled);
                _h.StatusChanged(early, ApplicationStatus.Cancelled).GetAwaiter().GetResult();
            }
        });

        var run = await _h.Run();

        Assert.Equal(2, calls);
        Assert.Null(await _h.OfferOf(early));
        Assert.Equal(run.RunId, (await _h.OfferOf(next))!.RunId);
    }

    [Fact]
    public async Task The_overbooking_check_rolls_the_run_back()
    {
        _h.Program("S1", "ky", 1);
        var a = _h.Apply(Late, ("S1:ky", 2));
        _h.Faults = new RunHarness.FaultAt(RunStep.SnapshotTaken, () =>
        {
            // A seat taken behind the run's back (no lock, no epoch): the check must see it in the transaction.
            using var db = _h.Db();
            db.Offers.Add(new Offer
            {
                Id = Guid.NewGuid(), CampaignId = _h.Campaign.Id, ApplicationId = Guid.NewGuid(), RunId = Guid.NewGuid(), ProgramId = "S1:ky:1",
                SchoolCode = "S1", Language = "ky", Grade = 1, Status = OfferStatus.Offered, MadeAt = _h.Clock.UtcNow, ConfirmBy = _h.Clock.UtcNow,
            });
            db.SaveChanges();
        });

        Assert.Equal("OVERBOOKING_DETECTED", await RunHarness.Refused(() => _h.Run()));
        Assert.Null(await _h.OfferOf(a));
        await using var db = _h.Db();
        Assert.Equal((1, 0, 0), (await db.Offers.CountAsync(), await db.Explanations.CountAsync(), await db.Runs.CountAsync(r => r.Status == RunStatuses.Completed)));
    }

    [Fact]
    public async Task Confirmations_racing_a_run_never_overbook()
    {
        _h.Program("S1", "ky", 5);
        _h.Program("S2", "ky", 5);
        var ids = Enumerable.Range(0, 20).Select(i => _h.Apply(Late.AddMinutes(i), ("S1:ky", i % 3), ("S2:ky", 2))).ToList();
        await _h.Run();
        _h.FollowOffers();
        foreach (var id in ids.Take(4))
        {
            _h.SetStatus(id, ApplicationStatus.Cancelled);
            await _h.StatusChanged(id, ApplicationStatus.Cancelled);
        }

        var offered = (await _h.Offers([.. ids])).Where(o => o.Status == OfferStatus.Offered).Select(o => o.ApplicationId).ToList();
        var confirmations = offered.Select(id => Task.Run(async () =>
        {
            try
            {
                await _h.Confirm(id);
            }
            catch (Enrollment.BuildingBlocks.Errors.RuleViolation)
            {
                // a confirmation may find the offer released by a move up
            }
        }));
        await Task.WhenAll([.. confirmations, Task.Run(() => _h.Run(wait: TimeSpan.FromSeconds(30)))]);

        await _h.AssertNotOverbooked();
        await using var db = _h.Db();
        Assert.True(await db.Offers.CountAsync(o => o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed) <= 10);
    }

    [Fact]
    public async Task Per_program_table_records_capacity_offers_and_cutoff()
    {
        _h.Program("S1", "ky", 2);
        _h.Program("S2", "ru", 3);
        _h.Apply(Late, ("S1:ky", 1));
        _h.Apply(Late.AddHours(1), ("S1:ky", 2));
        _h.Apply(Late.AddHours(2), ("S1:ky", 2));
        var enrolled = _h.Apply(Day1, ("S2:ru", 2));
        _h.SetStatus(enrolled, ApplicationStatus.Enrolled, "S2:ru");

        var run = await _h.Run();
        var detail = (await _h.RunDetail(run.RunId))!;

        var s1 = detail.Programs.Single(p => p.SchoolCode == "S1");
        Assert.Equal((2, 0, 2, 2, 2, 2), (s1.Approved, s1.Enrolled, s1.Capacity, s1.Admitted, s1.HeldAfter, s1.CutoffClass!.Value));
        var s2 = detail.Programs.Single(p => p.SchoolCode == "S2");
        Assert.Equal((3, 1, 2, 0, (int?)null), (s2.Approved, s2.Enrolled, s2.Capacity, s2.Admitted, s2.CutoffClass));
        Assert.True(detail.HasSnapshot);
        Assert.Equal((RunTriggers.Manual, "ministry", "StageOne", 72, 5), (detail.Run.Trigger, detail.Run.TriggeredBy, detail.Run.Stage, detail.Run.EqualFootingHours, detail.Run.OfferConfirmDays));
    }

    [Fact]
    public async Task Exported_instance_rerun_through_the_CLI_gives_identical_assignments()
    {
        _h.Program("S1", "ky", 2);
        _h.Program("S2", "ru", 2);
        _h.Program("S3", "ky", 1);
        for (var i = 0; i < 12; i++)
        {
            _h.Apply(Late.AddMinutes(7 * i), ("S1:ky", i % 3), ("S2:ru", (i + 1) % 3), ("S3:ky", 2));
        }

        await _h.Run();
        _h.FollowOffers();
        _h.Apply(Late.AddDays(1), ("S1:ky", 0));
        var run = await _h.Run();

        var directory = Directory.CreateTempSubdirectory("alloc-export-").FullName;
        try
        {
            var instance = await _h.Export(run.RunId, RunExportKind.Instance);
            var stored = await _h.Export(run.RunId, RunExportKind.Result);
            await File.WriteAllBytesAsync(Path.Combine(directory, "instance.json"), instance.Content);
            Assert.Equal(run.InputHash, RunAllocationHandler.Sha256(instance.Content));

            var code = AllocateCommand.Run([Path.Combine(directory, "instance.json"), Path.Combine(directory, "result.json")], TextWriter.Null, TextWriter.Null);

            Assert.Equal(AllocateCommand.Success, code);
            Assert.Equal(stored.Content, await File.ReadAllBytesAsync(Path.Combine(directory, "result.json")));
            var assignments = AllocationJson.ReadInstance(instance.Content).Holds;
            Assert.NotNull(assignments); // the second run carried holds
            var explain = await _h.Export(run.RunId, RunExportKind.Explanations);
            Assert.Equal(AllocationJson.ExplanationsToUtf8(DeferredAcceptance.Run(AllocationJson.ReadInstance(instance.Content))), explain.Content);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

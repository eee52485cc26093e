using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Engine;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Enrollment.Allocation.Features;

/// <summary>
/// Runs the allocation for the current campaign. <paramref name="Wait"/>: how long to wait for a run in progress
/// (zero: refuse at once with ALLOCATION_RUN_IN_PROGRESS). A dry run computes and records the run (counts, per-program
/// table, exportable snapshot) but makes, moves and releases no offers.
/// </summary>
internal sealed record RunAllocation(string Trigger, bool DryRun, TimeSpan Wait = default) : ICommand<RunOutcome>;

internal sealed record RunOutcome(Guid RunId, string Status, int Applications, int Offers, int MovedUp, int Waitlisted, int Kept,
    string InputHash, string ResultHash, long DurationMs);

/// <summary>Points between the steps of a run where a test may inject a failure (a crash mid-run).</summary>
internal enum RunStep
{
    SnapshotTaken,
    EngineDone,
    RunRecorded,
    OffersReleased,
    OffersMade,
    ExplanationsWritten,
    Checked,
}

/// <summary>Fault-injection hook; the default does nothing.</summary>
internal interface IAllocationFaults
{
    void At(RunStep step);
}

internal sealed class NoAllocationFaults : IAllocationFaults
{
    public void At(RunStep step)
    {
    }
}

/// <summary>A run would leave a program with more enrolled + held seats than approved: the transaction is rolled back.</summary>
internal sealed class OverbookingDetected(string message) : RuleViolation("OVERBOOKING_DETECTED", message);

/// <summary>One choice of an explanation as stored and shown.</summary>
internal sealed record ExplanationChoice(
    int Rank, string Program, string Outcome, int PriorityClass, int? AdmittedRank, int? CutoffClass, long? CutoffTiebreak,
    int? WaitlistPosition, bool FromHold);

/// <summary>
/// Snapshot (Quotas programs, Registry applications, own held offers) → engine → one transaction: run, per-program
/// table, snapshot, released and new offers, explanations, overbooking check → commit → publish
/// <see cref="OffersChanged"/> and <see cref="AllocationRunCompleted"/>. See docs/adr/0400.
/// </summary>
internal sealed partial class RunAllocationHandler(
    AllocationDbContext db, IAllocationSources sources, IClock clock, ICurrentUser user, IPublisher publisher,
    IAllocationFaults faults, ILogger<RunAllocationHandler> logger) : ICommandHandler<RunAllocation, RunOutcome>
{
    private const int Attempts = 3;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async ValueTask<RunOutcome> Handle(RunAllocation command, CancellationToken ct)
    {
        var campaign = await sources.CurrentCampaignAsync(ct) ?? throw new RuleViolation("NO_CAMPAIGN", "There is no campaign to allocate.");
        var stage = (await sources.CurrentStageAsync(ct))?.Stage.ToString() ?? "-";
        var who = user.UserName ?? "system";
        if (command.DryRun)
        {
            return (await RecordingFailuresAsync(campaign.Id, stage, who, command, () => ComputeAsync(campaign, stage, who, command, null, ct), ct)).Outcome;
        }

        var runLock = new AllocationRunLock(db, clock);
        var owner = AllocationRunLock.NewOwner();
        await runLock.AcquireAsync(owner, command.Wait, ct);
        Committed committed;
        try
        {
            committed = await RecordingFailuresAsync(campaign.Id, stage, who, command, async () =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    var epoch = await runLock.EpochAsync(ct);
                    try
                    {
                        return await ComputeAsync(campaign, stage, who, command, new Fence(runLock, owner, epoch), ct);
                    }
                    catch (AllocationRunConflict) when (attempt < Attempts)
                    {
                        db.ChangeTracker.Clear();
                        LogRetry(logger, attempt);
                    }
                }
            }, ct);
        }
        finally
        {
            await runLock.ReleaseAsync(owner);
        }

        await PublishAsync(campaign.Id, committed, ct);
        return committed.Outcome;
    }

    private sealed record Fence(AllocationRunLock Lock, string Owner, long Epoch);

    private sealed record Committed(RunOutcome Outcome, IReadOnlyList<OfferChangeDto> Changes, DateTimeOffset At, string Trigger);

    private async Task<Committed> RecordingFailuresAsync(Guid campaignId, string stage, string who, RunAllocation command,
        Func<Task<Committed>> run, CancellationToken ct)
    {
        var started = clock.UtcNow;
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            db.Runs.Add(new AllocationRun
            {
                Id = Guid.NewGuid(), CampaignId = campaignId, Stage = stage, StartedAt = started, FinishedAt = clock.UtcNow,
                Status = RunStatuses.Failed, TriggeredBy = who, Trigger = command.Trigger, DryRun = command.DryRun,
                Error = Truncate($"{(e is RuleViolation rv ? rv.Code : e.GetType().Name)}: {e.Message}", 1000),
            });
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task<Committed> ComputeAsync(Quotas.Contracts.CampaignDto campaign, string stage, string who, RunAllocation command,
        Fence? fence, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var startedAt = clock.UtcNow;

        // 1. Snapshot.
        var programs = await sources.ProgramsAsync(campaign.Id, null, ct);
        var applications = await sources.ApplicationsAsync(campaign.Id, ct);
        var held = await db.Offers.AsNoTracking()
            .Where(o => o.CampaignId == campaign.Id && (o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed))
            .ToListAsync(ct);
        var prepared = RunInputs.Build(campaign, programs, applications, held);
        var instanceBytes = AllocationJson.InstanceToUtf8(prepared.Instance);
        faults.At(RunStep.SnapshotTaken);

        // 2. Engine (pure).
        var result = DeferredAcceptance.Run(prepared.Instance);
        var resultBytes = AllocationJson.ResultToUtf8(result);
        faults.At(RunStep.EngineDone);

        // 3. Decisions.
        var runId = Guid.NewGuid();
        var confirmBy = ConfirmBy(startedAt, campaign.OfferConfirmDays);
        var newOffers = new List<Offer>();
        var released = new List<Offer>();
        var changes = new List<OfferChangeDto>();
        var explanations = new List<Explanation>();
        var admitted = new Dictionary<string, int>(StringComparer.Ordinal);
        int movedUp = 0, waitlisted = 0, kept = 0;
        foreach (var student in result.Explanations)
        {
            var applicationId = Guid.Parse(student.StudentId);
            prepared.MovableHolds.TryGetValue(applicationId, out var hold);
            var assigned = student.AssignedProgramId;
            if (assigned is not null)
            {
                admitted[assigned] = admitted.GetValueOrDefault(assigned) + 1;
            }

            if (assigned is null)
            {
                waitlisted++;
                if (prepared.Statuses.GetValueOrDefault(applicationId) != ApplicationStatus.Waitlisted)
                {
                    changes.Add(new OfferChangeDto(applicationId, OfferChangeKind.Waitlisted, null, null, null, null, null));
                }
            }
            else if (hold is not null && hold.ProgramId == assigned)
            {
                kept++;
            }
            else
            {
                var program = prepared.Programs[assigned];
                var offer = new Offer
                {
                    Id = Guid.NewGuid(), CampaignId = campaign.Id, ApplicationId = applicationId, RunId = runId, ProgramId = assigned,
                    SchoolCode = program.SchoolCode, Language = program.Language, Grade = program.Grade, Status = OfferStatus.Offered,
                    MadeAt = startedAt, ConfirmBy = confirmBy,
                };
                newOffers.Add(offer);
                if (hold is not null)
                {
                    movedUp++;
                    released.Add(hold);
                }

                changes.Add(new OfferChangeDto(applicationId, hold is null ? OfferChangeKind.Made : OfferChangeKind.MovedUp, offer.Id,
                    offer.SchoolCode, offer.Language, offer.Grade, offer.ConfirmBy));
            }

            explanations.Add(new Explanation
            {
                ApplicationId = applicationId, RunId = runId, CampaignId = campaign.Id, At = startedAt,
                AssignedProgram = assigned, HeldProgram = student.HeldProgramId,
                ChoicesJson = JsonSerializer.Serialize(student.Choices.Select(ToStored).ToList(), Json),
            });
        }

        kept += prepared.Programs.Values.Sum(p => p.HeldFixed);
        var summaries = result.ProgramSummaries.ToDictionary(s => s.ProgramId, StringComparer.Ordinal);
        var runPrograms = prepared.Programs.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p =>
        {
            var summary = summaries[p.Id];
            return new RunProgram
            {
                RunId = runId, ProgramId = p.Id, SchoolCode = p.SchoolCode, Language = p.Language, Grade = p.Grade,
                Approved = p.Approved, Enrolled = p.Enrolled, HeldFixed = p.HeldFixed, Capacity = p.Capacity,
                Admitted = summary.Admitted, HeldAfter = p.HeldFixed + summary.Admitted,
                CutoffClass = summary.Cutoff?.PriorityClass, CutoffTiebreak = summary.Cutoff?.Tiebreak,
            };
        }).ToList();

        var run = new AllocationRun
        {
            Id = runId, CampaignId = campaign.Id, Stage = stage, StartedAt = startedAt, TriggeredBy = who, Trigger = command.Trigger,
            DryRun = command.DryRun, Status = command.DryRun ? RunStatuses.DryRun : RunStatuses.Completed,
            InputHash = Sha256(instanceBytes), ResultHash = Sha256(resultBytes), Seed = prepared.Seed, TieBreak = campaign.TieBreak,
            EqualFootingHours = campaign.EqualFootingHours, OfferConfirmDays = campaign.OfferConfirmDays,
            Applications = prepared.Instance.Students.Count, Offers = newOffers.Count, MovedUp = movedUp, Waitlisted = waitlisted, Kept = kept,
        };

        // 4. One transaction.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (fence is not null)
            {
                await fence.Lock.FenceAsync(fence.Owner, fence.Epoch, ct);
            }

            run.FinishedAt = clock.UtcNow;
            run.DurationMs = watch.ElapsedMilliseconds;
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
            await BulkInsert.InsertAsync(db, runPrograms, ct);
            await BulkInsert.InsertAsync(db, [new RunSnapshot { RunId = runId, InstanceGzip = Gzip(instanceBytes), ResultGzip = Gzip(resultBytes) }], ct);
            faults.At(RunStep.RunRecorded);

            if (!command.DryRun)
            {
                foreach (var old in released)
                {
                    var closed = await db.Offers
                        .Where(o => o.Id == old.Id && (o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed))
                        .ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OfferStatus.Released)
                            .SetProperty(o => o.ClosedAt, startedAt).SetProperty(o => o.ClosedReason, "MovedUp"), ct);
                    if (closed != 1)
                    {
                        throw new AllocationRunConflict($"Offer {old.Id} closed during the run.");
                    }
                }

                faults.At(RunStep.OffersReleased);
                await BulkInsert.InsertAsync(db, newOffers, ct);
                faults.At(RunStep.OffersMade);
                await BulkInsert.InsertAsync(db, explanations, ct);
                await db.Explanations
                    .Where(e => e.RunId != runId && db.Explanations.Any(n => n.RunId == runId && n.ApplicationId == e.ApplicationId))
                    .ExecuteDeleteAsync(ct);
                faults.At(RunStep.ExplanationsWritten);
                await CheckNotOverbookedAsync(campaign.Id, prepared, ct);
                faults.At(RunStep.Checked);
            }

            await transaction.CommitAsync(ct);
        }

        var outcome = new RunOutcome(runId, run.Status, run.Applications, run.Offers, movedUp, waitlisted, kept, run.InputHash, run.ResultHash,
            run.DurationMs);
        return new Committed(outcome, changes, run.FinishedAt.Value, command.Trigger);
    }

    /// <summary>
    /// In the run's transaction, from the stored offers: enrolled + held ≤ approved for every program, unless the program
    /// was already over before the run (approved seats cut below existing holds) — then the run must not have added to it.
    /// </summary>
    private async Task CheckNotOverbookedAsync(Guid campaignId, PreparedRun prepared, CancellationToken ct)
    {
        var heldNow = await db.Offers.AsNoTracking()
            .Where(o => o.CampaignId == campaignId && (o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed))
            .GroupBy(o => o.ProgramId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, ct);
        foreach (var (programId, count) in heldNow)
        {
            var p = prepared.Programs.GetValueOrDefault(programId);
            var approved = p?.Approved ?? 0;
            var occupied = (p?.Enrolled ?? 0) + count;
            if (occupied > Math.Max(approved, p?.OccupiedBefore ?? 0))
            {
                throw new OverbookingDetected($"Program {programId}: {occupied} enrolled + held > {approved} approved seats.");
            }
        }
    }

    private async Task PublishAsync(Guid campaignId, Committed committed, CancellationToken ct)
    {
        var o = committed.Outcome;
        try
        {
            await publisher.Publish(new OffersChanged(o.RunId, campaignId, committed.Changes, committed.At), ct);
            await publisher.Publish(new AllocationRunCompleted(o.RunId, campaignId, committed.Trigger, o.Applications, o.Offers, o.MovedUp,
                o.Waitlisted, committed.At), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, o.RunId);
        }
    }

    /// <summary>End of the local (Asia/Bishkek) day <paramref name="days"/> days after <paramref name="now"/>: 23:59:59.</summary>
    public static DateTimeOffset ConfirmBy(DateTimeOffset now, int days)
    {
        var localDay = Bishkek.ToLocal(now).Date.AddDays(Math.Max(1, days));
        return Bishkek.ToUtc(localDay.AddDays(1).AddSeconds(-1));
    }

    private static ExplanationChoice ToStored(ChoiceExplanation c) => new(
        c.Rank, c.ProgramId, c.Outcome.ToString(), c.PriorityClass, c.AdmittedRank, c.Cutoff?.PriorityClass, c.Cutoff?.Tiebreak,
        c.WaitlistPosition, c.FromHold);

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    internal static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    internal static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation run conflicted with a concurrent change (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Allocation run {RunId} committed but publishing its events failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid runId);
}

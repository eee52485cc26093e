using System.Text.Json;
using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Engine;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Features;

internal sealed record AllocationRunSummary(Guid Id, string Stage, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status,
    string TriggeredBy, string Trigger, bool DryRun, int Applications, int Offers, int MovedUp, int Waitlisted, int Kept, long DurationMs,
    string? InputHash, string? ResultHash, string TieBreak, string? Seed, int EqualFootingHours, int OfferConfirmDays, string? Error);

internal sealed record RunProgramRow(string ProgramId, string SchoolCode, string Language, int Grade, int Approved, int Enrolled, int HeldFixed,
    int Capacity, int Admitted, int HeldAfter, int? CutoffClass, long? CutoffTiebreak);

internal sealed record AllocationRunDetail(AllocationRunSummary Run, IReadOnlyList<RunProgramRow> Programs, bool HasSnapshot);

/// <summary>Run history, newest first (module-internal).</summary>
internal sealed record GetAllocationRuns(int Take) : IQuery<IReadOnlyList<AllocationRunSummary>>;

internal sealed record GetAllocationRun(Guid RunId) : IQuery<AllocationRunDetail?>;

internal static class RunProjection
{
    public static readonly System.Linq.Expressions.Expression<Func<AllocationRun, AllocationRunSummary>> Summary = r => new AllocationRunSummary(
        r.Id, r.Stage, r.StartedAt, r.FinishedAt, r.Status, r.TriggeredBy, r.Trigger, r.DryRun, r.Applications, r.Offers, r.MovedUp,
        r.Waitlisted, r.Kept, r.DurationMs, r.InputHash, r.ResultHash, r.TieBreak, r.Seed, r.EqualFootingHours, r.OfferConfirmDays, r.Error);
}

internal sealed class GetAllocationRunsHandler(AllocationDbContext db) : IQueryHandler<GetAllocationRuns, IReadOnlyList<AllocationRunSummary>>
{
    public async ValueTask<IReadOnlyList<AllocationRunSummary>> Handle(GetAllocationRuns query, CancellationToken ct) =>
        await db.Runs.AsNoTracking().OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(Math.Clamp(query.Take, 1, 200))
            .Select(RunProjection.Summary).ToListAsync(ct);
}

internal sealed class GetAllocationRunHandler(AllocationDbContext db) : IQueryHandler<GetAllocationRun, AllocationRunDetail?>
{
    public async ValueTask<AllocationRunDetail?> Handle(GetAllocationRun query, CancellationToken ct)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == query.RunId).Select(RunProjection.Summary).FirstOrDefaultAsync(ct);
        if (run is null)
        {
            return null;
        }

        var programs = await db.RunPrograms.AsNoTracking().Where(p => p.RunId == query.RunId).OrderBy(p => p.ProgramId)
            .Select(p => new RunProgramRow(p.ProgramId, p.SchoolCode, p.Language, p.Grade, p.Approved, p.Enrolled, p.HeldFixed, p.Capacity,
                p.Admitted, p.HeldAfter, p.CutoffClass, p.CutoffTiebreak))
            .ToListAsync(ct);
        var hasSnapshot = await db.RunSnapshots.AnyAsync(s => s.RunId == query.RunId, ct);
        return new AllocationRunDetail(run, programs, hasSnapshot);
    }
}

internal enum RunExportKind
{
    /// <summary>The input instance, exactly as the run fed it to the engine (the CLI's INSTANCE.json).</summary>
    Instance,

    /// <summary>The result, exactly as the run stored it (the CLI's RESULT.json).</summary>
    Result,

    /// <summary>Explanations, recomputed from the stored instance (the CLI's --explain output; deterministic).</summary>
    Explanations,
}

internal sealed record RunExport(string FileName, byte[] Content);

/// <summary>A run's snapshot as the CLI's JSON, byte for byte (ministry).</summary>
internal sealed record GetRunExport(Guid RunId, RunExportKind Kind) : IQuery<RunExport>;

/// <summary>The exports; the explanations export is recorded as a staff read of every application it explains.</summary>
internal sealed class GetRunExportHandler(AllocationDbContext db, PersonalDataReads reads) : IQueryHandler<GetRunExport, RunExport>
{
    public async ValueTask<RunExport> Handle(GetRunExport query, CancellationToken ct)
    {
        var snapshot = await db.RunSnapshots.AsNoTracking().FirstOrDefaultAsync(s => s.RunId == query.RunId, ct)
                       ?? throw new NotFound("AllocationRun", query.RunId.ToString());
        var name = $"allocation-{query.RunId:N}";
        var instance = RunAllocationHandler.Gunzip(snapshot.InstanceGzip);
        switch (query.Kind)
        {
            case RunExportKind.Instance:
                RecordRead(AllocationJson.ReadInstance(instance).Students.Select(s => s.Id), "instance");
                return new RunExport(name + "-instance.json", instance);
            case RunExportKind.Result:
                RecordRead(AllocationJson.ReadInstance(instance).Students.Select(s => s.Id), "result");
                return new RunExport(name + "-result.json", RunAllocationHandler.Gunzip(snapshot.ResultGzip));
            default:
                var result = DeferredAcceptance.Run(AllocationJson.ReadInstance(instance));
                RecordRead(result.Explanations.Select(e => e.StudentId), "explanations");
                return new RunExport(name + "-explain.json", AllocationJson.ExplanationsToUtf8(result));
        }

        // Every export lists each application's choices and priority class: a staff read of every child in the run.
        void RecordRead(IEnumerable<string> applications, string kind) =>
            reads.Record(AllocationContracts.Module, nameof(Explanation), applications, $"allocation {kind} export, run {query.RunId}");
    }
}

internal sealed record ProgramRef(string SchoolCode, string Language, int Grade)
{
    public static ProgramRef Parse(string programId)
    {
        var last = programId.LastIndexOf(':');
        var middle = last > 0 ? programId.LastIndexOf(':', last - 1) : -1;
        return middle < 0
            ? new ProgramRef(programId, "", 0)
            : new ProgramRef(programId[..middle], programId[(middle + 1)..last],
                int.TryParse(programId[(last + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var grade) ? grade : 0);
    }
}

internal sealed record ExplanationChoiceView(int Rank, ProgramRef Program, string Outcome, int PriorityClass, int? AdmittedRank,
    int? CutoffClass, long? CutoffTiebreak, int? WaitlistPosition, bool FromHold);

internal sealed record ExplanationView(Guid ApplicationId, Guid RunId, DateTimeOffset At, ProgramRef? Assigned, ProgramRef? Held,
    OfferDto? Offer, IReadOnlyList<ExplanationChoiceView> Choices);

/// <summary>
/// Why the application got what it got in the last run that included it: parents for their own children, school and
/// district staff for applications to their schools/district, the ministry for all (checked through Registry's scope).
/// </summary>
internal sealed record GetExplanation(Guid ApplicationId) : IQuery<ExplanationView?>;

internal sealed class GetExplanationHandler(AllocationDbContext db, IAllocationSources sources, ICurrentUser user, PersonalDataReads reads)
    : IQueryHandler<GetExplanation, ExplanationView?>
{
    public async ValueTask<ExplanationView?> Handle(GetExplanation query, CancellationToken ct)
    {
        var scope = await sources.ApplicationScopeAsync(query.ApplicationId, ct)
                    ?? throw new NotFound("Application", query.ApplicationId.ToString());
        var allowed = user.IsInRole(Roles.MinistryAdmin)
                      || (user.IsInRole(Roles.Parent) && user.Pin is { } pin && pin == scope.ApplicantPin)
                      || (user.IsInRole(Roles.SchoolAdmin) && user.SchoolCode is { } school && scope.SchoolCodes.Contains(school))
                      || (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode is { } district && scope.DistrictCodes.Contains(district));
        if (!allowed)
        {
            throw new AccessDenied("This application is outside your family, school or district.");
        }

        var explanation = await db.Explanations.AsNoTracking().Where(e => e.ApplicationId == query.ApplicationId)
            .OrderByDescending(e => e.At).FirstOrDefaultAsync(ct);
        if (explanation is null)
        {
            return null;
        }

        // A staff read of why a child got (or did not get) an offer is a personal-data read (docs/security.md).
        reads.Record(AllocationContracts.Module, nameof(Explanation), [explanation.ApplicationId.ToString()],
            $"allocation explanation, run {explanation.RunId}");
        var offer = (await db.LatestAsync(query.ApplicationId, ct))?.ToDto();
        var choices = JsonSerializer.Deserialize<List<ExplanationChoice>>(explanation.ChoicesJson, RunAllocationHandler.Json) ?? [];
        return new ExplanationView(explanation.ApplicationId, explanation.RunId, explanation.At,
            explanation.AssignedProgram is { } a ? ProgramRef.Parse(a) : null, explanation.HeldProgram is { } h ? ProgramRef.Parse(h) : null, offer,
            [.. choices.Select(c => new ExplanationChoiceView(c.Rank, ProgramRef.Parse(c.Program), c.Outcome, c.PriorityClass, c.AdmittedRank,
                c.CutoffClass, c.CutoffTiebreak, c.WaitlistPosition, c.FromHold))]);
    }
}

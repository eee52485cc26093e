using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Allocation.GraphQL;

internal sealed class AllocationScheduleType : ObjectGraphType<AllocationScheduleDto>
{
    public AllocationScheduleType()
    {
        Name = "AllocationSchedule";
        Description = "When allocation runs happen: at the end of each stage's equal-footing window, then nightly.";
        Field(s => s.CampaignId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(s => s.CampaignName);
        Field(s => s.TieBreak);
        Field(s => s.EqualFootingHours);
        Field(s => s.StageOneFirstRunAt);
        Field(s => s.StageTwoFirstRunAt);
        Field(s => s.NightlyRunLocalTime).Description("Asia/Bishkek wall-clock time of the nightly run.");
        Field(s => s.OfferConfirmDays);
    }
}

internal sealed class AllocationRunType : ObjectGraphType<AllocationRunSummary>
{
    public AllocationRunType()
    {
        Name = "AllocationRun";
        Description = "One allocation run, kept forever: inputs hash, settings, seed, counts, duration and who triggered it.";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Stage);
        Field(r => r.StartedAt);
        Field(r => r.FinishedAt, nullable: true);
        Field(r => r.Status).Description("Completed, DryRun (nothing committed) or Failed (rolled back; see error).");
        Field(r => r.TriggeredBy);
        Field(r => r.Trigger).Description("StageOpening, Nightly or Manual.");
        Field(r => r.DryRun);
        Field(r => r.Applications).Description("Applications in the run (holders of their first choice are not in it).");
        Field(r => r.Offers).Description("New offers, including moves up.");
        Field(r => r.MovedUp);
        Field(r => r.Waitlisted);
        Field(r => r.Kept).Description("Offers held before the run and kept.");
        Field(r => r.DurationMs, type: typeof(NonNullGraphType<LongGraphType>)).Description("Snapshot, engine and decisions, up to the start of the commit.");
        Field(r => r.InputHash, nullable: true).Description("SHA-256 of the exported instance JSON.");
        Field(r => r.ResultHash, nullable: true).Description("SHA-256 of the exported result JSON.");
        Field(r => r.TieBreak);
        Field(r => r.Seed, nullable: true);
        Field(r => r.EqualFootingHours);
        Field(r => r.OfferConfirmDays);
        Field(r => r.Error, nullable: true);
    }
}

internal sealed class AllocationRunProgramType : ObjectGraphType<RunProgramRow>
{
    public AllocationRunProgramType()
    {
        Name = "AllocationRunProgram";
        Description = "One program in a run: capacity = approved − enrolled − fixed holds; admitted; cut-off (last admitted class and tie-break) when full.";
        Field(p => p.ProgramId);
        Field(p => p.SchoolCode);
        Field(p => p.Language);
        Field(p => p.Grade);
        Field(p => p.Approved);
        Field(p => p.Enrolled);
        Field(p => p.HeldFixed);
        Field(p => p.Capacity);
        Field(p => p.Admitted);
        Field(p => p.HeldAfter);
        Field(p => p.CutoffClass, nullable: true);
        Field(p => p.CutoffTiebreak, type: typeof(LongGraphType));
    }
}

internal sealed class AllocationRunDetailType : ObjectGraphType<AllocationRunDetail>
{
    public AllocationRunDetailType()
    {
        Name = "AllocationRunDetail";
        Field<NonNullGraphType<AllocationRunType>>("run").Resolve(c => c.Source.Run);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AllocationRunProgramType>>>>("programs").Resolve(c => c.Source.Programs);
        Field(d => d.HasSnapshot).Description("The input snapshot and result can be exported (allocationRunExport).");
    }
}

internal sealed class RunExportKindEnum : EnumerationGraphType<RunExportKind>
{
    public RunExportKindEnum() => Name = "AllocationRunExportKind";
}

internal sealed class ProgramRefType : ObjectGraphType<ProgramRef>
{
    public ProgramRefType()
    {
        Name = "AllocationProgram";
        Field(p => p.SchoolCode);
        Field(p => p.Language);
        Field(p => p.Grade);
    }
}

internal sealed class OfferStatusEnum : EnumerationGraphType<OfferStatus>
{
    public OfferStatusEnum() => Name = "OfferStatus";
}

internal sealed class OfferType : ObjectGraphType<OfferDto>
{
    public OfferType()
    {
        Name = "Offer";
        Field(o => o.OfferId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.RunId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(o => o.SchoolCode);
        Field(o => o.Language);
        Field(o => o.Grade);
        Field<NonNullGraphType<OfferStatusEnum>>("status").Resolve(c => c.Source.Status);
        Field(o => o.MadeAt);
        Field(o => o.ConfirmBy).Description("Confirm before this instant (end of the Asia/Bishkek day).");
        Field(o => o.ClosedAt, nullable: true);
    }
}

internal sealed class ExplanationChoiceType : ObjectGraphType<ExplanationChoiceView>
{
    public ExplanationChoiceType()
    {
        Name = "ExplanationChoice";
        Field(c => c.Rank).Description("1 = first choice; a held program that is no longer chosen comes last (fromHold).");
        Field<NonNullGraphType<ProgramRefType>>("program").Resolve(c => c.Source.Program);
        Field(c => c.Outcome).Description("Admitted, Held (kept the seat it held), NotAdmitted (program full) or NotConsidered (ranked below the result).");
        Field(c => c.PriorityClass).Description("0 verified priority category, 1 micro-district, 2 others; -1 at the held program.");
        Field(c => c.AdmittedRank, nullable: true).Description("Position among those admitted to the program.");
        Field(c => c.CutoffClass, nullable: true).Description("Class of the last admitted child (NotAdmitted).");
        Field(c => c.CutoffTiebreak, type: typeof(LongGraphType)).Description("Tie-break of the last admitted child (lower wins).");
        Field(c => c.WaitlistPosition, nullable: true).Description("Position among the children the program could not admit.");
        Field(c => c.FromHold);
    }
}

internal sealed class ExplanationType : ObjectGraphType<ExplanationView>
{
    public ExplanationType()
    {
        Name = "Explanation";
        Description = "Why the application got what it got in the last allocation run that included it.";
        Field(e => e.ApplicationId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.RunId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(e => e.At);
        Field<ProgramRefType>("assigned").Resolve(c => c.Source.Assigned);
        Field<ProgramRefType>("held").Resolve(c => c.Source.Held).Description("The seat held before the run (a holder may only move up).");
        Field<OfferType>("offer").Resolve(c => c.Source.Offer).Description("The application's current offer.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExplanationChoiceType>>>>("choices").Resolve(c => c.Source.Choices);
    }
}

internal sealed class AllocationQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<AllocationScheduleType>("allocationSchedule")
            .Description("The current campaign's allocation schedule; null when no campaign exists.")
            .Public()
            .ResolveAsync(async c => await Mediator(c).Send(new GetAllocationSchedule(), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AllocationRunType>>>>("allocationRuns")
            .Description("Allocation runs, newest first. Ministry administrators only.")
            .For(Roles.MinistryAdmin)
            .Argument<IntGraphType>("take", a => a.DefaultValue = 50)
            .ResolveAsync(async c => await Mediator(c).Send(new GetAllocationRuns(c.GetArgument("take", 50)), c.CancellationToken));

        query.Field<AllocationRunDetailType>("allocationRun")
            .Description("One run with its per-program table (capacity, offers, cut-off); null when unknown. Ministry administrators only.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Mediator(c).Send(new GetAllocationRun(c.GetArgument<Guid>("id")), c.CancellationToken));

        query.Field<NonNullGraphType<StringGraphType>>("allocationRunExport")
            .Description("A run's input instance, result or explanations as the Enrollment.Allocate CLI's JSON, byte for byte " +
                         "(re-run: dotnet run --project tools/Enrollment.Allocate -- INSTANCE.json RESULT.json). Ministry administrators only.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<RunExportKindEnum>>("kind")
            .ResolveAsync(async c =>
            {
                var export = await Mediator(c).Send(new GetRunExport(c.GetArgument<Guid>("id"), c.GetArgument<RunExportKind>("kind")), c.CancellationToken);
                return System.Text.Encoding.UTF8.GetString(export.Content);
            });

        query.Field<ExplanationType>("explanation")
            .Description("Why an application got its result in the last run (null before its first run): parents for their own children, " +
                         "school and district staff for applications to their schools or district, the ministry for all.")
            .For(Roles.Parent, Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .ResolveAsync(async c => await Mediator(c).Send(new GetExplanation(c.GetArgument<Guid>("applicationId")), c.CancellationToken));
    }

    internal static IMediator Mediator(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMediator>();
}

internal sealed class AllocationMutationContributor : IMutationContributor
{
    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AllocationRunDetailType>>("runAllocation")
            .Description("Ministry: runs the allocation now. dryRun: compute and record the run without making, moving or releasing offers. " +
                         "Errors: ALLOCATION_RUN_IN_PROGRESS, ALLOCATION_RUN_CONFLICT, NO_CAMPAIGN, LOTTERY_SEED_MISSING.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<BooleanGraphType>>("dryRun")
            .ResolveAsync(async c =>
            {
                var mediator = AllocationQueryContributor.Mediator(c);
                var outcome = await mediator.Send(new RunAllocation(RunTriggers.Manual, c.GetArgument<bool>("dryRun")), c.CancellationToken);
                return await mediator.Send(new GetAllocationRun(outcome.RunId), c.CancellationToken)
                       ?? throw new NotFound("AllocationRun", outcome.RunId.ToString());
            });
    }
}

using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using GraphQL.Types;
using Mediator;

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
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Stage);
        Field(r => r.StartedAt);
        Field(r => r.FinishedAt, nullable: true);
        Field(r => r.Status);
        Field(r => r.TriggeredBy);
        Field(r => r.DryRun);
        Field(r => r.Applications);
        Field(r => r.Offers);
    }
}

internal sealed class AllocationQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<AllocationScheduleType>("allocationSchedule")
            .Description("The current campaign's allocation schedule; null when no campaign exists.")
            .Public()
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetAllocationSchedule(), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AllocationRunType>>>>("allocationRuns")
            .Description("Allocation runs, newest first. Ministry administrators only.")
            .For(Roles.MinistryAdmin)
            .Argument<IntGraphType>("take", a => a.DefaultValue = 50)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>()
                .Send(new GetAllocationRuns(c.GetArgument("take", 50)), c.CancellationToken));
    }
}

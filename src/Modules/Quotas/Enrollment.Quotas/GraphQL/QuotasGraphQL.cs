using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.Quotas.Contracts;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using GraphQL.Types;
using Mediator;

namespace Enrollment.Quotas.GraphQL;

internal sealed class StageEnum : EnumerationGraphType<Stage>
{
    public StageEnum()
    {
        Name = "Stage";
        Description = "Stage of a campaign, derived from its calendar (Asia/Bishkek) and the clock.";
    }
}

internal sealed class StageInfoType : ObjectGraphType<StageInfoDto>
{
    public StageInfoType()
    {
        Name = "StageInfo";
        Field(s => s.CampaignId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(s => s.CampaignName);
        Field(s => s.Stage, type: typeof(NonNullGraphType<StageEnum>));
        Field(s => s.NextChangeAt, nullable: true).Description("UTC instant of the next stage change.");
        Field(s => s.NextStage, type: typeof(StageEnum));
    }
}

internal sealed class CampaignCalendarType : ObjectGraphType<CampaignCalendarDto>
{
    public CampaignCalendarType()
    {
        Name = "CampaignCalendar";
        Description = "UTC instants; Stage One and Stage Two open at 10:00 Asia/Bishkek (04:00 UTC).";
        Field(c => c.QuotaEntryOpensAt);
        Field(c => c.QuotaEntryClosesAt);
        Field(c => c.StageOneOpensAt);
        Field(c => c.StageTwoOpensAt);
        Field(c => c.MainClosesAt);
        Field(c => c.LateEnrollmentEndsAt);
    }
}

internal sealed class CampaignType : ObjectGraphType<CampaignDto>
{
    public CampaignType()
    {
        Name = "Campaign";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.Name);
        Field(c => c.StartYear);
        Field(c => c.Calendar, type: typeof(NonNullGraphType<CampaignCalendarType>));
        Field(c => c.MaxChoices);
        Field(c => c.TieBreak).Description("SubmissionTime or Lottery.");
        Field(c => c.LotterySeed, nullable: true).Description("Published before the run so anyone can re-run the lottery.");
        Field(c => c.EqualFootingHours);
        Field(c => c.OfferConfirmDays);
        Field(c => c.CancellationLimit);
        Field(c => c.CorrectionDays);
        Field(c => c.AppealDays);
        Field(c => c.ClassSizeLimit);
        Field(c => c.EligibleBirthFrom);
        Field(c => c.EligibleBirthTo);
        Field(c => c.AgeLimitYears);
    }
}

internal sealed class QuotasQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<StageInfoType>("currentStage")
            .Description("The current campaign's stage and when it changes next; null when no campaign exists.")
            .Public()
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetCurrentStage(), c.CancellationToken));

        query.Field<CampaignType>("currentCampaign")
            .Description("The current campaign's calendar and rules (public: the rules of admission are open).")
            .Public()
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetCurrentCampaign(), c.CancellationToken));
    }
}

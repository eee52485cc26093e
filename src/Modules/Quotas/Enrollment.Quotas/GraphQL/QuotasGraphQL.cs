using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
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
        Field<AllowedNowType>("allowed")
            .Description("What may be done now (drafts, submission, cancellation, quota entry, extra-quota window) and the announced switches.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetAllowedNow(), c.CancellationToken));
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

internal sealed class QuotaStatusEnum : EnumerationGraphType<QuotaStatus>
{
    public QuotaStatusEnum() => Name = "QuotaStatus";
}

internal sealed class RollupLevelEnum : EnumerationGraphType<RollupLevel>
{
    public RollupLevelEnum() => Name = "RollupLevel";
}

internal sealed class SwitchKindEnum : EnumerationGraphType<SwitchKind>
{
    public SwitchKindEnum() => Name = "SwitchKind";
}

internal sealed class CampaignSwitchType : ObjectGraphType<CampaignSwitchDto>
{
    public CampaignSwitchType()
    {
        Name = "CampaignSwitch";
        Description = "A ministry switch with its announced period (UTC instants).";
        Field(s => s.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(s => s.Kind, type: typeof(NonNullGraphType<SwitchKindEnum>));
        Field(s => s.StartsAt);
        Field(s => s.EndsAt);
        Field(s => s.SchoolCodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>));
        Field(s => s.Note, nullable: true);
        Field(s => s.AnnouncedAt);
    }
}

internal sealed class AllowedNowType : ObjectGraphType<AllowedNowDto>
{
    public AllowedNowType()
    {
        Name = "AllowedNow";
        Field(a => a.DraftsAllowed);
        Field(a => a.SubmissionAllowed);
        Field(a => a.CancellationAllowed).Description("False outside the stages and while an announced cancellation switch is on.");
        Field(a => a.QuotaEntryOpen);
        Field(a => a.ExtraQuotaWindowOpen);
        Field(a => a.Switches, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CampaignSwitchType>>>))
            .Description("Switches in force now or announced for later.");
    }
}

internal sealed class QuotaType : ObjectGraphType<QuotaDto>
{
    public QuotaType()
    {
        Name = "Quota";
        Description = "A program's quota in the current campaign: the proposal and the approved numbers.";
        Field(q => q.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(q => q.SchoolCode);
        Field(q => q.DistrictCode);
        Field(q => q.RegionCode);
        Field(q => q.Language);
        Field(q => q.Grade);
        Field(q => q.Classes);
        Field(q => q.Seats);
        Field(q => q.ApprovedClasses);
        Field(q => q.ApprovedSeats);
        Field(q => q.Status, type: typeof(NonNullGraphType<QuotaStatusEnum>));
        Field(q => q.Comment, nullable: true).Description("The district officer's comment when returned or refused.");
        Field(q => q.ClassSizeWarning).Description("Seats exceed classes × the campaign's class size limit; approval needs acknowledgement.");
        Field(q => q.UpdatedAt);
        Field(q => q.UpdatedBy);
    }
}

internal sealed class QuotaChangeType : ObjectGraphType<QuotaChangeDto>
{
    public QuotaChangeType()
    {
        Name = "QuotaChange";
        Field(q => q.At);
        Field(q => q.ChangedBy);
        Field(q => q.Action);
        Field(q => q.OldStatus, type: typeof(QuotaStatusEnum));
        Field(q => q.NewStatus, type: typeof(NonNullGraphType<QuotaStatusEnum>));
        Field(q => q.OldClasses);
        Field(q => q.OldSeats);
        Field(q => q.NewClasses);
        Field(q => q.NewSeats);
        Field(q => q.Reason, nullable: true);
    }
}

internal sealed class CampaignChangeType : ObjectGraphType<CampaignChangeDto>
{
    public CampaignChangeType()
    {
        Name = "CampaignChange";
        Field(c => c.At);
        Field(c => c.ChangedBy);
        Field(c => c.Changes);
        Field(c => c.Reason, nullable: true);
        Field(c => c.Override);
    }
}

/// <summary>A program with its seats as Allocation counts them (null until asked: only queries that select seats pay for them).</summary>
internal sealed record ProgramView(ProgramDto Program, ProgramSeatsDto? Seats);

internal sealed class ProgramType : ObjectGraphType<ProgramView>
{
    public ProgramType()
    {
        Name = "Program";
        Description = "School × language × grade with approved seats in the current campaign, and its free seats.";
        Field<NonNullGraphType<StringGraphType>>("schoolCode").Resolve(c => c.Source.Program.SchoolCode);
        Field<NonNullGraphType<StringGraphType>>("districtCode").Resolve(c => c.Source.Program.DistrictCode);
        Field<NonNullGraphType<StringGraphType>>("regionCode").Resolve(c => c.Source.Program.RegionCode);
        Field<NonNullGraphType<StringGraphType>>("language").Resolve(c => c.Source.Program.Language);
        Field<NonNullGraphType<IntGraphType>>("grade").Resolve(c => c.Source.Program.Grade);
        Field<NonNullGraphType<IntGraphType>>("classes").Resolve(c => c.Source.Program.Classes);
        Field<NonNullGraphType<IntGraphType>>("approvedSeats").Resolve(c => c.Source.Program.ApprovedSeats);
        Field<NonNullGraphType<IntGraphType>>("enrolled").Description("Children enrolled (final).")
            .Resolve(c => c.Source.Seats?.Enrolled ?? 0);
        Field<NonNullGraphType<IntGraphType>>("heldOffers").Description("Seats held by open or confirmed offers.")
            .Resolve(c => c.Source.Seats?.HeldOffers ?? 0);
        Field<NonNullGraphType<IntGraphType>>("freeSeats").Description("Approved − enrolled − held offers, as Allocation counts them (never negative).")
            .Resolve(c => c.Source.Seats?.FreeSeats ?? c.Source.Program.ApprovedSeats);
    }
}

internal sealed class QuotaRollupRowType : ObjectGraphType<QuotaRollupRowDto>
{
    public QuotaRollupRowType()
    {
        Name = "QuotaRollupRow";
        Field(r => r.Key).Description("Region code, district code or language.");
        Field(r => r.Language, nullable: true);
        Field(r => r.Schools);
        Field(r => r.Classes);
        Field(r => r.ApprovedSeats);
        Field(r => r.PendingSeats).Description("Proposed seats not yet approved.");
        Field(r => r.EligibleChildren, nullable: true)
            .Description("Eligible children (the campaign's birth range) registered in the micro-districts of the group's schools; " +
                         "each school's children shared over its languages by approved seats (equally while it has none).");
        Field(r => r.Shortfall).Description("Eligible children minus approved seats, when positive: classes in this language must be opened here.");
        Field(r => r.ClassesToOpen).Description("Classes of the campaign's class size limit that would cover the shortfall.");
    }
}

internal sealed class CampaignCalendarInputType : InputObjectGraphType
{
    public CampaignCalendarInputType()
    {
        Name = "CampaignCalendarInput";
        Description = "Instants with an offset, e.g. 2027-04-01T10:00:00+06:00 (Asia/Bishkek).";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("quotaEntryOpensAt");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("quotaEntryClosesAt");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("stageOneOpensAt");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("stageTwoOpensAt");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("mainClosesAt");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("lateEnrollmentEndsAt");
    }
}

internal sealed class CampaignSettingsInputType : InputObjectGraphType
{
    public CampaignSettingsInputType()
    {
        Name = "CampaignSettingsInput";
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<IntGraphType>>("startYear");
        Field<NonNullGraphType<CampaignCalendarInputType>>("calendar");
        Field<IntGraphType>("maxChoices").DefaultValue(1);
        Field<StringGraphType>("tieBreak").DefaultValue("SubmissionTime");
        Field<StringGraphType>("lotterySeed");
        Field<IntGraphType>("equalFootingHours").DefaultValue(72);
        Field<IntGraphType>("offerConfirmDays").DefaultValue(5);
        Field<IntGraphType>("cancellationLimit").DefaultValue(3);
        Field<IntGraphType>("correctionDays").DefaultValue(3);
        Field<IntGraphType>("appealDays").DefaultValue(14);
        Field<IntGraphType>("classSizeLimit").DefaultValue(36);
        Field<NonNullGraphType<DateOnlyGraphType>>("eligibleBirthFrom");
        Field<NonNullGraphType<DateOnlyGraphType>>("eligibleBirthTo");
        Field<IntGraphType>("ageLimitYears").DefaultValue(8);
    }

    public static CampaignSettingsInput Read(IResolveFieldContext c, string name)
    {
        var d = (IDictionary<string, object?>)c.Arguments![name].Value!;
        var cal = (IDictionary<string, object?>)d["calendar"]!;
        T Get<T>(IDictionary<string, object?> x, string key, T fallback) => x.TryGetValue(key, out var v) && v is T t ? t : fallback;
        return new CampaignSettingsInput(
            Get(d, "name", ""), Get(d, "startYear", 0),
            new CampaignCalendarDto(Get(cal, "quotaEntryOpensAt", default(DateTimeOffset)), Get(cal, "quotaEntryClosesAt", default(DateTimeOffset)),
                Get(cal, "stageOneOpensAt", default(DateTimeOffset)), Get(cal, "stageTwoOpensAt", default(DateTimeOffset)),
                Get(cal, "mainClosesAt", default(DateTimeOffset)), Get(cal, "lateEnrollmentEndsAt", default(DateTimeOffset))),
            Get(d, "maxChoices", 1), Get(d, "tieBreak", "SubmissionTime"), Get<string?>(d, "lotterySeed", null),
            Get(d, "equalFootingHours", 72), Get(d, "offerConfirmDays", 5), Get(d, "cancellationLimit", 3), Get(d, "correctionDays", 3),
            Get(d, "appealDays", 14), Get(d, "classSizeLimit", 36), Get(d, "eligibleBirthFrom", default(DateOnly)),
            Get(d, "eligibleBirthTo", default(DateOnly)), Get(d, "ageLimitYears", 8));
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

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProgramType>>>>("programs")
            .Description("Programs of the current campaign with approved seats and free seats (open data); optionally only of the given schools.")
            .Public()
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("schoolCodes")
            .ResolveAsync(async c =>
            {
                var codes = c.GetArgument<List<string>?>("schoolCodes");
                if (codes is { Count: > 500 })
                {
                    throw new ValidationFailed([new ValidationError("schoolCodes", "OUT_OF_RANGE", "At most 500 schools.")]);
                }

                var mediator = c.RequestServices!.GetRequiredService<IMediator>();
                var programs = await mediator.Send(new GetPrograms(codes), c.CancellationToken);
                var wantsSeats = c.SubFields is { } fields && fields.Keys.Any(k => k is "enrolled" or "heldOffers" or "freeSeats");
                if (!wantsSeats || programs.Count == 0)
                {
                    return programs.Select(p => new ProgramView(p, null)).ToList();
                }

                var approved = programs.Select(p => new ApprovedSeatsDto(p.SchoolCode, p.Language, p.Grade, p.ApprovedSeats)).ToList();
                var seats = (await mediator.Send(new GetProgramSeats(programs[0].CampaignId, codes, approved), c.CancellationToken))
                    .ToDictionary(x => (x.SchoolCode, x.Language, x.Grade));
                return programs.Select(p => new ProgramView(p, seats.GetValueOrDefault((p.SchoolCode, p.Language, p.Grade)))).ToList();
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuotaType>>>>("quotas")
            .Description("Quotas of the current campaign in your scope (school admins: your school; district officers: your district).")
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin, Roles.Analyst)
            .Argument<StringGraphType>("schoolCode")
            .Argument<StringGraphType>("districtCode")
            .Argument<QuotaStatusEnum>("status")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(
                new GetQuotas(c.GetArgument<string?>("schoolCode"), c.GetArgument<string?>("districtCode"), c.GetArgument<QuotaStatus?>("status")),
                c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuotaChangeType>>>>("quotaHistory")
            .Description("Every change of one quota: who, when, old → new, why.")
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin, Roles.Analyst)
            .Argument<NonNullGraphType<IdGraphType>>("quotaId")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(
                new GetQuotaHistory(c.GetArgument<Guid>("quotaId")), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuotaRollupRowType>>>>("quotaRollup")
            .Description("Approved and pending seats of the current campaign against the eligible children, by region, district (per language) " +
                         "or language; rows with a shortfall show where Kyrgyz, Russian or other classes must be opened.")
            .For(Roles.DistrictOfficer, Roles.MinistryAdmin, Roles.Analyst)
            .Argument<NonNullGraphType<RollupLevelEnum>>("level")
            .Argument<StringGraphType>("districtCode")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(
                new GetQuotaRollup(c.GetArgument<RollupLevel>("level"), c.GetArgument<string?>("districtCode")), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CampaignSwitchType>>>>("campaignSwitches")
            .Description("Every switch of the current campaign (past, in force and announced), by start.")
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin, Roles.Analyst)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetSwitches(), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CampaignChangeType>>>>("campaignHistory")
            .Description("Audited changes of a campaign's settings, overrides included.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("campaignId")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(
                new GetCampaignHistory(c.GetArgument<Guid>("campaignId")), c.CancellationToken));
    }
}

internal sealed class QuotasMutationContributor : IMutationContributor
{
    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CampaignType>>("createCampaign")
            .Description("Ministry: creates a campaign. Errors: CALENDAR_OUT_OF_ORDER, ELIGIBILITY_OUT_OF_ORDER, CAMPAIGN_EXISTS, VALIDATION_FAILED.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<CampaignSettingsInputType>>("settings")
            .ResolveAsync(async c => await Send(c, new CreateCampaign(CampaignSettingsInputType.Read(c, "settings"))));

        mutation.Field<NonNullGraphType<CampaignType>>("updateCampaign")
            .Description("Ministry: changes a campaign. From Stage One on: CAMPAIGN_LOCKED unless overrideReason is given (audited).")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("campaignId")
            .Argument<NonNullGraphType<CampaignSettingsInputType>>("settings")
            .Argument<StringGraphType>("overrideReason")
            .ResolveAsync(async c => await Send(c, new UpdateCampaign(c.GetArgument<Guid>("campaignId"),
                CampaignSettingsInputType.Read(c, "settings"), c.GetArgument<string?>("overrideReason"))));

        mutation.Field<NonNullGraphType<QuotaType>>("saveQuota")
            .Description("Enters a program's quota in the entry window, or files a change request (reason required) after it. " +
                         "Errors: QUOTA_WINDOW_CLOSED, LANGUAGE_NOT_OFFERED, ACCESS_DENIED, QUOTA_LOCKED, QUOTA_SUBMITTED, VALIDATION_FAILED, SEATS_WITHOUT_CLASSES.")
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<NonNullGraphType<StringGraphType>>("language")
            .Argument<NonNullGraphType<IntGraphType>>("classes")
            .Argument<NonNullGraphType<IntGraphType>>("seats")
            .Argument<StringGraphType>("reason")
            .ResolveAsync(async c => await Send(c, new SaveQuota(c.GetArgument<string>("schoolCode"), c.GetArgument<string>("language"),
                c.GetArgument<int>("classes"), c.GetArgument<int>("seats"), c.GetArgument<string?>("reason"))));

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuotaType>>>>("submitQuotas")
            .Description("Submits the school's draft and returned quotas for the district's approval.")
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .ResolveAsync(async c => await Send(c, new SubmitQuotas(c.GetArgument<string>("schoolCode"))));

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuotaType>>>>("approveQuotas")
            .Description("District officer: approves submitted quotas and change requests (all or nothing). Class-size warnings need acknowledgeClassSizeWarning.")
            .For(Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("quotaIds")
            .Argument<BooleanGraphType>("acknowledgeClassSizeWarning", a => a.DefaultValue = false)
            .ResolveAsync(async c => await Send(c, new ApproveQuotas(c.GetArgument<List<Guid>>("quotaIds"), c.GetArgument<bool>("acknowledgeClassSizeWarning"))));

        mutation.Field<NonNullGraphType<QuotaType>>("returnQuota")
            .Description("District officer: returns a submitted quota, or refuses a change request, with a comment.")
            .For(Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("quotaId")
            .Argument<NonNullGraphType<StringGraphType>>("comment")
            .ResolveAsync(async c => await Send(c, new ReturnQuota(c.GetArgument<Guid>("quotaId"), c.GetArgument<string>("comment"))));

        mutation.Field<NonNullGraphType<QuotaType>>("addExtraSeats")
            .Description("Ministry, during an open extra-quota window naming the school: adds approved seats.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<NonNullGraphType<StringGraphType>>("language")
            .Argument<NonNullGraphType<IntGraphType>>("classes")
            .Argument<NonNullGraphType<IntGraphType>>("seats")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Send(c, new AddExtraSeats(c.GetArgument<string>("schoolCode"), c.GetArgument<string>("language"),
                c.GetArgument<int>("classes"), c.GetArgument<int>("seats"), c.GetArgument<string>("reason"))));

        mutation.Field<NonNullGraphType<CampaignSwitchType>>("announceSwitch")
            .Description("Ministry: announces a switch (cancellation off, extra-quota window for named schools) for a future period.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<SwitchKindEnum>>("kind")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("startsAt")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("endsAt")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("schoolCodes")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c => await Send(c, new AnnounceSwitch(c.GetArgument<SwitchKind>("kind"), c.GetArgument<DateTimeOffset>("startsAt"),
                c.GetArgument<DateTimeOffset>("endsAt"), c.GetArgument<List<string>?>("schoolCodes") ?? [], c.GetArgument<string?>("note"))));
    }

    private static async Task<T> Send<T>(IResolveFieldContext c, ICommand<T> command) =>
        await c.RequestServices!.GetRequiredService<IMediator>().Send(command, c.CancellationToken);
}

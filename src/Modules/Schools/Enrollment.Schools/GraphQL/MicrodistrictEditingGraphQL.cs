using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.Microdistricts;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.GraphQL;

internal sealed class MicrodistrictRuleType : ObjectGraphType<MicrodistrictRule>
{
    public MicrodistrictRuleType()
    {
        Name = "MicrodistrictRule";
        Description = "An address rule: settlement + street (as written) + houses (*, 1-49, odd:1-49, even:2-50, list:12,12А).";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.SettlementCode);
        Field(r => r.Street);
        Field(r => r.HouseSet);
    }
}

internal sealed class MicrodistrictType : ObjectGraphType<PublicMicrodistrict>
{
    public MicrodistrictType()
    {
        Name = "Microdistrict";
        Field(m => m.SchoolCode);
        Field(m => m.Rules, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<MicrodistrictRuleType>>>));
        Field(m => m.GeoJson, nullable: true).Description("The map polygon as GeoJSON ([longitude, latitude] positions).");
    }
}

internal sealed class MicrodistrictChangeType : ObjectGraphType<MicrodistrictChange>
{
    public MicrodistrictChangeType()
    {
        Name = "MicrodistrictChange";
        Description = "One versioned change of a micro-district; before/after are the changed rule or polygon as JSON (empty when absent).";
        Field(c => c.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(c => c.SchoolCode);
        Field(c => c.Kind).Description("RuleAdded, RuleChanged, RuleDeleted, PolygonSaved, PolygonDeleted.");
        Field(c => c.RuleId, type: typeof(IdGraphType));
        Field(c => c.Before);
        Field(c => c.After);
        Field(c => c.ChangedBy);
        Field(c => c.ChangedAt);
        Field(c => c.RevertsChangeId, type: typeof(IdGraphType));
    }
}

internal sealed class MicrodistrictEditResultType : ObjectGraphType<MicrodistrictEditResult>
{
    public MicrodistrictEditResultType()
    {
        Name = "MicrodistrictEditResult";
        Description = "Applied at once, or (district officers while a campaign's Stage One..LateEnrollment runs) kept as a proposal for the ministry.";
        Field(r => r.Applied);
        Field(r => r.RuleId, type: typeof(IdGraphType));
        Field(r => r.ProposalId, type: typeof(IdGraphType));
    }
}

internal sealed class MicrodistrictProposalType : ObjectGraphType<MicrodistrictProposal>
{
    public MicrodistrictProposalType()
    {
        Name = "MicrodistrictProposal";
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(p => p.SchoolCode);
        Field(p => p.DistrictCode);
        Field(p => p.Kind).Description("SaveRule, DeleteRule or SavePolygon.");
        Field(p => p.Payload).Description("The proposed operation as JSON.");
        Field(p => p.ProposedBy);
        Field(p => p.ProposedAt);
        Field(p => p.Status).Description("Pending, Approved or Rejected.");
        Field(p => p.DecidedBy, nullable: true);
        Field(p => p.DecidedAt, nullable: true);
    }
}

internal sealed class MicrodistrictEditingQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<MicrodistrictType>("microdistrict")
            .Description("A participating school's micro-district (rules and GeoJSON polygon); null for unknown or non-participating schools.")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .ResolveAsync(async c => await Send(c, new GetPublicMicrodistrict(c.GetArgument<string>("schoolCode"))));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MicrodistrictChangeType>>>>("microdistrictHistory")
            .Description("The latest 200 changes of a school's micro-district, newest first. Errors: ACCESS_DENIED (other district), NOT_FOUND.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.Analyst, Roles.SchoolAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .ResolveAsync(async c => (await Send(c, new GetMicrodistrictView(c.GetArgument<string>("schoolCode")))).History);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MicrodistrictProposalType>>>>("microdistrictProposals")
            .Description("Micro-district proposals awaiting (or past) the ministry's decision, newest first; district officers: their district.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.Analyst)
            .Argument<StringGraphType>("districtCode")
            .Argument<StringGraphType>("status")
            .ResolveAsync(async c => await Send(c, new GetMicrodistrictProposals(c.GetArgument<string?>("districtCode"), c.GetArgument<string?>("status"))));
    }

    private static ValueTask<T> Send<T>(IResolveFieldContext c, IQuery<T> query) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(query, c.CancellationToken);
}

internal sealed class MicrodistrictMutationContributor : IMutationContributor
{
    private const string Codes = " Errors: ACCESS_DENIED (not your district), NOT_FOUND, SCHOOL_NOT_PARTICIPATING, VALIDATION_FAILED";

    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MicrodistrictEditResultType>>("saveMicrodistrictRule")
            .Description("Adds an address rule (no ruleId) or changes one." + Codes + ", SETTLEMENT_OUTSIDE_DISTRICT, INVALID_STREET, INVALID_HOUSE_SET.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<IdGraphType>("ruleId")
            .Argument<NonNullGraphType<StringGraphType>>("settlementCode")
            .Argument<NonNullGraphType<StringGraphType>>("street")
            .Argument<NonNullGraphType<StringGraphType>>("houseSet")
            .ResolveAsync(async c => await Send(c, new SaveMicrodistrictRule(c.GetArgument<Guid?>("ruleId"), c.GetArgument<string>("schoolCode"),
                c.GetArgument<string>("settlementCode"), c.GetArgument<string>("street"), c.GetArgument<string>("houseSet"))));

        mutation.Field<NonNullGraphType<MicrodistrictEditResultType>>("deleteMicrodistrictRule")
            .Description("Deletes an address rule." + Codes + ".")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<IdGraphType>>("ruleId")
            .ResolveAsync(async c => await Send(c, new DeleteMicrodistrictRule(c.GetArgument<Guid>("ruleId"))));

        mutation.Field<NonNullGraphType<MicrodistrictEditResultType>>("saveMicrodistrictPolygon")
            .Description("Saves the school's map polygon (GeoJSON Polygon, MultiPolygon or Feature); null removes it." + Codes + ", INVALID_POLYGON.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<StringGraphType>("geoJson")
            .ResolveAsync(async c => await Send(c, new SaveMicrodistrictPolygon(c.GetArgument<string>("schoolCode"), c.GetArgument<string?>("geoJson"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("revertMicrodistrictChange")
            .Description("Restores the rule or polygon to its state before the change (recorded as a new change)." + Codes + ", APPROVAL_REQUIRED.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<IdGraphType>>("changeId")
            .ResolveAsync(async c => await Send(c, new RevertMicrodistrictChange(
                long.TryParse(c.GetArgument<string>("changeId"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1)));

        Decide(mutation, "approveMicrodistrictProposal", approve: true);
        Decide(mutation, "rejectMicrodistrictProposal", approve: false);
    }

    private static void Decide(ObjectGraphType mutation, string name, bool approve) =>
        mutation.Field<NonNullGraphType<MicrodistrictEditResultType>>(name)
            .Description((approve ? "Applies" : "Rejects") + " a pending micro-district proposal (ministry). Errors: ACCESS_DENIED, NOT_FOUND, PROPOSAL_DECIDED.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("proposalId")
            .ResolveAsync(async c => await Send(c, new DecideMicrodistrictProposal(
                long.TryParse(c.GetArgument<string>("proposalId"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1,
                approve)));

    private static ValueTask<T> Send<T>(IResolveFieldContext c, ICommand<T> command) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(command, c.CancellationToken);
}

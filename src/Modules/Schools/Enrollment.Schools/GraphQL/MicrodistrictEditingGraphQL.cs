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
    }

    private static ValueTask<T> Send<T>(IResolveFieldContext c, IQuery<T> query) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(query, c.CancellationToken);
}

internal sealed class MicrodistrictMutationContributor : IMutationContributor
{
    private const string Codes = " Errors: ACCESS_DENIED (not your district), NOT_FOUND, SCHOOL_NOT_PARTICIPATING, VALIDATION_FAILED";

    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<IdGraphType>>("saveMicrodistrictRule")
            .Description("Adds an address rule (no ruleId) or changes one; returns its id." + Codes + ", SETTLEMENT_OUTSIDE_DISTRICT, INVALID_STREET, INVALID_HOUSE_SET.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<IdGraphType>("ruleId")
            .Argument<NonNullGraphType<StringGraphType>>("settlementCode")
            .Argument<NonNullGraphType<StringGraphType>>("street")
            .Argument<NonNullGraphType<StringGraphType>>("houseSet")
            .ResolveAsync(async c => await Send(c, new SaveMicrodistrictRule(c.GetArgument<Guid?>("ruleId"), c.GetArgument<string>("schoolCode"),
                c.GetArgument<string>("settlementCode"), c.GetArgument<string>("street"), c.GetArgument<string>("houseSet"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteMicrodistrictRule")
            .Description("Deletes an address rule." + Codes + ".")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<IdGraphType>>("ruleId")
            .ResolveAsync(async c => await Send(c, new DeleteMicrodistrictRule(c.GetArgument<Guid>("ruleId"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("saveMicrodistrictPolygon")
            .Description("Saves the school's map polygon (GeoJSON Polygon, MultiPolygon or Feature); null removes it." + Codes + ", INVALID_POLYGON.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<StringGraphType>("geoJson")
            .ResolveAsync(async c => await Send(c, new SaveMicrodistrictPolygon(c.GetArgument<string>("schoolCode"), c.GetArgument<string?>("geoJson"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("revertMicrodistrictChange")
            .Description("Restores the rule or polygon to its state before the change (recorded as a new change)." + Codes + ".")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<IdGraphType>>("changeId")
            .ResolveAsync(async c => await Send(c, new RevertMicrodistrictChange(
                long.TryParse(c.GetArgument<string>("changeId"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1)));
    }

    private static ValueTask<T> Send<T>(IResolveFieldContext c, ICommand<T> command) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(command, c.CancellationToken);
}

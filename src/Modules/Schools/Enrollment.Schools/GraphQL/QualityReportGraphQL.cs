using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.Microdistricts;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.GraphQL;

internal sealed class AddressIssueType : ObjectGraphType<AddressIssue>
{
    public AddressIssueType()
    {
        Name = "MicrodistrictAddressIssue";
        Description = "A registered address claimed by several schools (overlap) or by none (gap).";
        Field(i => i.SettlementCode);
        Field(i => i.Street);
        Field(i => i.House);
        Field(i => i.Latitude, nullable: true);
        Field(i => i.Longitude, nullable: true);
        Field(i => i.Residents).Description("Registered persons at the address.");
        Field(i => i.SchoolCodes).Description("The schools claiming the address (empty for a gap).");
    }
}

internal sealed class PolygonIssueType : ObjectGraphType<PolygonIssue>
{
    public PolygonIssueType()
    {
        Name = "MicrodistrictPolygonIssue";
        Field(i => i.SchoolCode);
        Field(i => i.Problems);
    }
}

internal sealed class RuleIssueType : ObjectGraphType<RuleIssue>
{
    public RuleIssueType()
    {
        Name = "MicrodistrictRuleIssue";
        Field(i => i.RuleId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(i => i.SchoolCode);
        Field(i => i.Street);
        Field(i => i.HouseSet);
        Field(i => i.Problem);
    }
}

internal sealed class QualityReportType : ObjectGraphType<MicrodistrictQualityReport>
{
    public QualityReportType()
    {
        Name = "MicrodistrictQualityReport";
        Field(r => r.DistrictCode);
        Field(r => r.CheckedAddresses).Description("Distinct registered addresses of the district's settlements that were resolved.");
        Field(r => r.Overlaps, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AddressIssueType>>>));
        Field(r => r.Gaps, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AddressIssueType>>>));
        Field(r => r.SchoolsWithoutMicrodistrict).Description("Participating schools with neither an address rule nor a usable polygon.");
        Field(r => r.InvalidPolygons, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PolygonIssueType>>>));
        Field(r => r.InvalidRules, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<RuleIssueType>>>));
    }
}

internal sealed class QualityReportQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<QualityReportType>>("microdistrictQualityReport")
            .Description("Overlaps, gaps, schools without a micro-district and invalid polygons/rules of one district. " +
                         "District officers: their own district only. Errors: ACCESS_DENIED, NOT_FOUND, VALIDATION_FAILED.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.Analyst)
            .Argument<NonNullGraphType<StringGraphType>>("districtCode")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>()
                .Send(new GetQualityReport(c.GetArgument<string>("districtCode")), c.CancellationToken));
    }
}

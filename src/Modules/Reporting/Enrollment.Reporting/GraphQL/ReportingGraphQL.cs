using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.Reporting.Contracts;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using GraphQL.Types;
using Mediator;

namespace Enrollment.Reporting.GraphQL;

internal sealed class RegionSummaryType : ObjectGraphType<RegionSummaryDto>
{
    public RegionSummaryType()
    {
        Name = "RegionSummary";
        Description = "Open data for one region (no personal data).";
        Field(r => r.RegionCode);
        Field(r => r.NameKy);
        Field(r => r.NameRu);
        Field(r => r.Districts);
        Field(r => r.Schools);
        Field(r => r.ParticipatingSchools);
    }
}

internal sealed class ReportingQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RegionSummaryType>>>>("openDataRegions")
            .Description("Open data per region: districts, schools, participating schools. Public.")
            .Public()
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetRegionSummaries(), c.CancellationToken));
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Features;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using GraphQL.Types;
using Mediator;

namespace Enrollment.Schools.GraphQL;

internal sealed class RegionType : ObjectGraphType<RegionDto>
{
    public RegionType()
    {
        Name = "Region";
        Description = "An oblast, or a city of republican significance (Bishkek, Osh).";
        Field(r => r.Code);
        Field(r => r.NameKy);
        Field(r => r.NameRu);
        Field(r => r.IsCity);
    }
}

internal sealed class DistrictType : ObjectGraphType<DistrictDto>
{
    public DistrictType()
    {
        Name = "District";
        Description = "A raion or a city district; district officers are scoped to one.";
        Field(d => d.Code);
        Field(d => d.RegionCode);
        Field(d => d.NameKy);
        Field(d => d.NameRu);
    }
}

internal sealed class SchoolType : ObjectGraphType<SchoolDto>
{
    public SchoolType()
    {
        Name = "School";
        Field(s => s.Code);
        Field(s => s.RegionCode);
        Field(s => s.DistrictCode);
        Field(s => s.SettlementCode);
        Field(s => s.NameKy);
        Field(s => s.NameRu);
        Field(s => s.Address);
        Field(s => s.Latitude);
        Field(s => s.Longitude);
        Field(s => s.Type).Description("State or Municipal.");
        Field(s => s.Languages).Description("Languages of instruction: ky, ru, uz, tg.");
        Field(s => s.ParticipatesInEnrollment);
        Field(s => s.NonParticipationReason, nullable: true)
            .Description("Why the school cannot be chosen: Lyceum, SpecialPmpk, Boarding, Evening, Music.");
    }
}

internal sealed class SchoolConnectionType : ObjectGraphType<SchoolConnection>
{
    public SchoolConnectionType()
    {
        Name = "SchoolConnection";
        Field(c => c.Nodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<SchoolType>>>));
        Field(c => c.TotalCount);
        Field(c => c.EndCursor, nullable: true);
        Field(c => c.HasNextPage);
    }
}

internal sealed class SchoolSortFieldType : EnumerationGraphType<SchoolSortField>
{
    public SchoolSortFieldType()
    {
        Name = "SchoolSortField";
        Description = "What the school list is ordered by; ties are broken by the school code (in the same direction).";
    }
}

internal sealed record SchoolConnection(IReadOnlyList<SchoolDto> Nodes, int TotalCount, string? EndCursor, bool HasNextPage);

internal sealed class SchoolsQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RegionType>>>>("regions")
            .Description("The 7 oblasts and the cities of Bishkek and Osh.")
            .Public()
            .ResolveAsync(async c => await Mediator(c).Send(new GetRegions(), c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<DistrictType>>>>("districts")
            .Public()
            .Argument<StringGraphType>("regionCode")
            .ResolveAsync(async c => await Mediator(c).Send(new GetDistricts(c.GetArgument<string?>("regionCode")), c.CancellationToken));

        query.Field<NonNullGraphType<SchoolConnectionType>>("schools")
            .Description("Schools, filtered, sorted (default: by code ascending) and paged (cursor; keep the same filter and sort while paging). Errors: VALIDATION_FAILED (first 1..200, search ≤ 100 chars), BAD_CURSOR.")
            .Public()
            .Argument<StringGraphType>("regionCode")
            .Argument<StringGraphType>("districtCode")
            .Argument<StringGraphType>("settlementCode")
            .Argument<StringGraphType>("language")
            .Argument<BooleanGraphType>("participates")
            .Argument<StringGraphType>("search")
            .Argument<SchoolSortFieldType>("sort", a => a.DefaultValue = SchoolSortField.Code)
            .Argument<BooleanGraphType>("descending", a => a.DefaultValue = false)
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                if (!Cursor.TryDecode(c.GetArgument<string?>("after"), out var offset))
                {
                    throw new RuleViolation("BAD_CURSOR", "The 'after' cursor is not one this API issued.");
                }

                var first = c.GetArgument("first", 50);
                var filter = new SchoolFilter(c.GetArgument<string?>("regionCode"), c.GetArgument<string?>("districtCode"),
                    c.GetArgument<string?>("settlementCode"), c.GetArgument<string?>("language"), c.GetArgument<bool?>("participates"),
                    c.GetArgument<string?>("search"));
                var sort = new SchoolSort(c.GetArgument("sort", SchoolSortField.Code), c.GetArgument("descending", false));
                var page = await Mediator(c).Send(new SearchSchools(filter, offset, first, sort), c.CancellationToken);
                var end = offset + page.Items.Count;
                return new SchoolConnection(page.Items, page.TotalCount, page.Items.Count > 0 ? Cursor.Encode(end) : null, end < page.TotalCount);
            });

        query.Field<SchoolType>("school")
            .Description("One school by its code; null when unknown.")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async c =>
            {
                var code = c.GetArgument<string>("code");
                var found = code.Length > 16 ? [] : await Mediator(c).Send(new GetSchoolsByCodes([code]), c.CancellationToken);
                return found.Count > 0 ? found[0] : null;
            });
    }

    private static IMediator Mediator(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMediator>();
}

using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Features.Microdistricts;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.GraphQL;

internal sealed class MicrodistrictImportProblemType : ObjectGraphType<MicrodistrictImportProblem>
{
    public MicrodistrictImportProblemType()
    {
        Name = "MicrodistrictImportProblem";
        Field(e => e.Line).Description("CSV: 1-based line (the header is line 1); 0 for GeoJSON.");
        Field(e => e.Feature).Description("GeoJSON: 1-based feature number (0: the whole file); 0 for CSV.");
        Field(e => e.Field).Description("The CSV column or the GeoJSON member.");
        Field(e => e.Message);
    }
}

internal sealed class MicrodistrictImportResultType : ObjectGraphType<MicrodistrictImportResult>
{
    public MicrodistrictImportResultType()
    {
        Name = "MicrodistrictImportResult";
        Description = "Imported (no errors: counts of applied changes, or of proposals filed while the campaign runs), or nothing imported and every error listed.";
        Field(r => r.Imported);
        Field(r => r.Added);
        Field(r => r.Changed);
        Field(r => r.Deleted);
        Field(r => r.Proposed).Description("Changes filed as proposals for the ministry (district officers during Stage One..LateEnrollment).");
        Field(r => r.Errors, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<MicrodistrictImportProblemType>>>));
    }
}

internal sealed class MicrodistrictFilesQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<StringGraphType>>("microdistrictRulesCsv")
            .Description("A district's address rules as CSV (school_code, settlement_code, street, house_set). Errors: ACCESS_DENIED, NOT_FOUND.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.Analyst)
            .Argument<NonNullGraphType<StringGraphType>>("districtCode")
            .ResolveAsync(async c => await Send(c, new ExportMicrodistrictRules(c.GetArgument<string>("districtCode"))));

        query.Field<NonNullGraphType<StringGraphType>>("microdistrictPolygonsGeoJson")
            .Description("A district's micro-district polygons as a GeoJSON FeatureCollection (properties.schoolCode). Errors: ACCESS_DENIED, NOT_FOUND.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.Analyst)
            .Argument<NonNullGraphType<StringGraphType>>("districtCode")
            .ResolveAsync(async c => await Send(c, new ExportMicrodistrictPolygons(c.GetArgument<string>("districtCode"))));
    }

    private static ValueTask<T> Send<T>(IResolveFieldContext c, IQuery<T> query) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(query, c.CancellationToken);
}

internal sealed class MicrodistrictFilesMutationContributor : IMutationContributor
{
    private const string Errors = " Every row/feature is checked; with any error nothing is imported. Errors: ACCESS_DENIED (not your district), NOT_FOUND, VALIDATION_FAILED.";

    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MicrodistrictImportResultType>>("importMicrodistrictRulesCsv")
            .Description("Replaces the address rules of every school the CSV names (the format of microdistrictRulesCsv)." + Errors)
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("districtCode")
            .Argument<NonNullGraphType<StringGraphType>>("csv")
            .ResolveAsync(async c => await Send(c, new ImportMicrodistrictRules(c.GetArgument<string>("districtCode"), c.GetArgument<string>("csv"))));

        mutation.Field<NonNullGraphType<MicrodistrictImportResultType>>("importMicrodistrictPolygonsGeoJson")
            .Description("Sets the polygon of every school a feature names (a null geometry removes it; the format of microdistrictPolygonsGeoJson)." + Errors)
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("districtCode")
            .Argument<NonNullGraphType<StringGraphType>>("geoJson")
            .ResolveAsync(async c => await Send(c, new ImportMicrodistrictPolygons(c.GetArgument<string>("districtCode"), c.GetArgument<string>("geoJson"))));
    }

    private static ValueTask<T> Send<T>(IResolveFieldContext c, ICommand<T> command) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(command, c.CancellationToken);
}

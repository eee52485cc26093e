using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Features.SchoolList;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.GraphQL;

internal sealed class CsvErrorType : ObjectGraphType<CsvError>
{
    public CsvErrorType()
    {
        Name = "CsvError";
        Field(e => e.Line).Description("1-based line of the file (the header is line 1).");
        Field(e => e.Column);
        Field(e => e.Message);
    }
}

internal sealed class SchoolImportResultType : ObjectGraphType<SchoolImportResult>
{
    public SchoolImportResultType()
    {
        Name = "SchoolImportResult";
        Description = "Either imported (no errors) or nothing imported and every error listed.";
        Field(r => r.Imported);
        Field(r => r.Added);
        Field(r => r.Updated);
        Field(r => r.Errors, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CsvErrorType>>>));
    }
}

internal sealed class SchoolCsvQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query) =>
        query.Field<NonNullGraphType<StringGraphType>>("schoolsCsv")
            .Description("The school list as CSV (columns: " + string.Join(",", SchoolCsv.Header) + "); district officers get their district.")
            .For(Roles.MinistryAdmin, Roles.Analyst, Roles.DistrictOfficer)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new ExportSchools(), c.CancellationToken));
}

internal sealed class SchoolCsvMutationContributor : IMutationContributor
{
    public void Contribute(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<SchoolImportResultType>>("importSchools")
            .Description("Imports the school list from CSV (ministry). All rows are checked; with any error nothing is imported. Errors: ACCESS_DENIED, VALIDATION_FAILED.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("csv")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>().Send(new ImportSchools(c.GetArgument<string>("csv")), c.CancellationToken));
}

using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Features.SavedQueries;
using GraphQL;
using GraphQL.Types;

namespace Enrollment.Reporting.GraphQL;

internal sealed class SavedQueryType : ObjectGraphType<SavedQueryDto>
{
    public SavedQueryType()
    {
        Name = "SavedAnalyticsQuery";
        Description = "A named GraphQL query an analyst saved; re-run and export it from /admin/reporting/saved.";
        Field(q => q.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(q => q.Name);
        Field(q => q.Query);
        Field(q => q.Variables, nullable: true).Description("JSON object of variables.");
        Field(q => q.SavedAt);
    }
}

internal sealed class SavedQueriesQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SavedQueryType>>>>("savedAnalyticsQueries")
            .Description("The caller's saved analytics queries.")
            .For(Roles.Analyst, Roles.MinistryAdmin)
            .ResolveAsync(async c => await Resolve.Send(c, new GetSavedQueries()));
}

internal sealed class SavedQueriesMutationContributor : IMutationContributor
{
    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SavedQueryType>>("saveAnalyticsQuery")
            .Description("Saves (or replaces, by name) a read-only GraphQL query. Errors: VALIDATION_FAILED, SAVED_QUERY_NOT_A_QUERY.")
            .For(Roles.Analyst, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<StringGraphType>>("query")
            .Argument<StringGraphType>("variables", "JSON object.")
            .ResolveAsync(async c => await Resolve.Send(c, new SaveQuery(c.GetArgument<string>("name"), c.GetArgument<string>("query"), c.GetArgument<string?>("variables"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteAnalyticsQuery")
            .For(Roles.Analyst, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Resolve.Send(c, new DeleteSavedQuery(c.GetArgument<Guid>("id"))));
    }
}

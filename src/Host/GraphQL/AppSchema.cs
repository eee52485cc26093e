using Enrollment.BuildingBlocks.GraphQL;
using GraphQL.Types;

namespace Enrollment.Host.GraphQL;

/// <summary>The one schema: <c>Query</c> and <c>Mutation</c> are assembled from every module's contributors.</summary>
internal sealed class AppSchema : Schema
{
    public AppSchema(IServiceProvider services, RootQuery query, RootMutation mutation) : base(services)
    {
        Query = query;
        if (mutation.Fields.Count > 0)
        {
            Mutation = mutation;
        }

        Description = "Enrollment: first-grade admission to the state and municipal schools of the Kyrgyz Republic.";
    }
}

internal sealed class RootQuery : ObjectGraphType
{
    public RootQuery(IEnumerable<IQueryContributor> contributors)
    {
        Name = "Query";
        foreach (var contributor in contributors.OrderBy(c => c.GetType().FullName, StringComparer.Ordinal))
        {
            contributor.Contribute(this);
        }
    }
}

internal sealed class RootMutation : ObjectGraphType
{
    public RootMutation(IEnumerable<IMutationContributor> contributors)
    {
        Name = "Mutation";
        foreach (var contributor in contributors.OrderBy(c => c.GetType().FullName, StringComparer.Ordinal))
        {
            contributor.Contribute(this);
        }
    }
}

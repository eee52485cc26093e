using System.Reflection;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Enrollment.BuildingBlocks.GraphQL;

/// <summary>A module adds its query fields to the one schema's <c>Query</c> type.</summary>
public interface IQueryContributor
{
    void Contribute(ObjectGraphType query);
}

/// <summary>A module adds its mutation fields to the one schema's <c>Mutation</c> type.</summary>
public interface IMutationContributor
{
    void Contribute(ObjectGraphType mutation);
}

public static class GraphQLModuleRegistration
{
    /// <summary>
    /// Registers every graph type of a module assembly (GraphQL.NET resolves graph types from DI) and the
    /// module's contributors. The Host never names a module's graph types.
    /// </summary>
    public static IServiceCollection AddModuleGraphQL(this IServiceCollection services, Assembly moduleAssembly)
    {
        foreach (var type in moduleAssembly.GetTypes())
        {
            if (type.IsAbstract || type.IsGenericTypeDefinition)
            {
                continue;
            }

            if (typeof(IGraphType).IsAssignableFrom(type))
            {
                services.TryAddTransient(type);
            }

            if (typeof(IQueryContributor).IsAssignableFrom(type))
            {
                services.AddSingleton(typeof(IQueryContributor), type);
            }

            if (typeof(IMutationContributor).IsAssignableFrom(type))
            {
                services.AddSingleton(typeof(IMutationContributor), type);
            }
        }

        return services;
    }
}

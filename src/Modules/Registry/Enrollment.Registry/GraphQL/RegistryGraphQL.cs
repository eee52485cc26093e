using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Contracts;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using GraphQL.Types;
using Mediator;

namespace Enrollment.Registry.GraphQL;

internal sealed class LinkedChildType : ObjectGraphType<LinkedChildDto>
{
    public LinkedChildType()
    {
        Name = "LinkedChild";
        Description = "A child linked to the signed-in parent in the population registry.";
        Field(c => c.Pin);
        Field(c => c.LastName);
        Field(c => c.FirstName);
        Field(c => c.Patronymic, nullable: true);
        Field<NonNullGraphType<StringGraphType>>("sex").Resolve(c => c.Source.Sex.ToString());
        Field(c => c.BirthDate);
        Field(c => c.Relation).Description("Mother, Father or LegalRepresentative.");
    }
}

internal sealed class RegistryQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkedChildType>>>>("myChildren")
            .Description("The children linked to the signed-in parent in the population registry. Parent role only. "
                + "Errors: REGISTRY_UNAVAILABLE when the population registry is not answering (nothing is lost; try again later).")
            .For(Roles.Parent)
            .ResolveAsync(async c =>
            {
                var user = c.RequestServices!.GetRequiredService<ICurrentUser>();
                if (user.Pin is null)
                {
                    return Array.Empty<LinkedChildDto>();
                }

                return await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetLinkedChildren(user.Pin), c.CancellationToken);
            });
}

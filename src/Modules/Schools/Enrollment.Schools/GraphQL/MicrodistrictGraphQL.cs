using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.Schools.Contracts;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.GraphQL;

internal sealed class AddressInputType : InputObjectGraphType<AddressDto>
{
    public AddressInputType()
    {
        Name = "AddressInput";
        Description = "An address as registered: settlement code (e.g. L0708001), street and house as written, coordinates when known.";
        Field<StringGraphType>("settlementCode");
        Field<StringGraphType>("street");
        Field<StringGraphType>("house");
        Field<FloatGraphType>("latitude");
        Field<FloatGraphType>("longitude");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new AddressDto(
        value.TryGetValue("settlementCode", out var s) ? s as string : null,
        value.TryGetValue("street", out var st) ? st as string : null,
        value.TryGetValue("house", out var h) ? h as string : null,
        value.TryGetValue("latitude", out var lat) && lat is not null ? Convert.ToDouble(lat, System.Globalization.CultureInfo.InvariantCulture) : null,
        value.TryGetValue("longitude", out var lon) && lon is not null ? Convert.ToDouble(lon, System.Globalization.CultureInfo.InvariantCulture) : null);
}

internal sealed class AddressResolutionOutcomeType : EnumerationGraphType<AddressResolutionOutcome>
{
    public AddressResolutionOutcomeType()
    {
        Name = "AddressResolutionOutcome";
    }
}

internal sealed class MicrodistrictMatchType : ObjectGraphType<MicrodistrictMatchDto>
{
    public MicrodistrictMatchType()
    {
        Name = "MicrodistrictMatch";
        Description = "A participating school whose micro-district contains the address, and what matched.";
        Field(m => m.SchoolCode);
        Field<SchoolType>("school").ResolveAsync(async c =>
        {
            var found = await c.RequestServices!.GetRequiredService<IMediator>().Send(new GetSchoolsByCodes([c.Source.SchoolCode]), c.CancellationToken);
            return found.Count > 0 ? found[0] : null;
        });
        Field(m => m.Source).Description("Rule (an address rule matched) or Polygon (the coordinates are inside the map polygon).");
        Field(m => m.RuleId, type: typeof(IdGraphType));
        Field(m => m.RuleStreet, nullable: true).Description("The rule's street as the district office wrote it.");
        Field(m => m.RuleHouseSet, nullable: true).Description("The rule's houses: *, 1-49, odd:1-49, even:2-50, list:12,12А.");
        Field(m => m.Explanation);
    }
}

internal sealed class MicrodistrictResolutionType : ObjectGraphType<AddressResolutionDto>
{
    public MicrodistrictResolutionType()
    {
        Name = "MicrodistrictResolution";
        Field<NonNullGraphType<AddressResolutionOutcomeType>>("outcome").Resolve(c => c.Source.Outcome);
        Field(r => r.StreetKey).Description("The normalized street key the address was matched by.");
        Field(r => r.House, nullable: true).Description("The house number as read (canonical), null when unreadable.");
        Field(r => r.Matches, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<MicrodistrictMatchType>>>));
    }
}

internal sealed class MicrodistrictQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<MicrodistrictResolutionType>>("resolveMicrodistrict")
            .Description("Which participating school(s) serve this address. An address no school serves is an outcome, not an error. " +
                         "Errors: VALIDATION_FAILED (settlementCode ≤ 16, street ≤ 200, house ≤ 50 chars, coordinates in range).")
            .Public()
            .Argument<NonNullGraphType<AddressInputType>>("address")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>()
                .Send(new ResolveAddress(c.GetArgument<AddressDto>("address")), c.CancellationToken));
    }
}

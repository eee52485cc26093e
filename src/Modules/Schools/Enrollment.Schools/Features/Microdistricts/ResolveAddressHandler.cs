using Enrollment.BuildingBlocks.Validation;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Domain.Addresses;
using Mediator;

namespace Enrollment.Schools.Features.Microdistricts;

internal static class ResolutionMapping
{
    public static AddressQuery ToQuery(this AddressDto a) => new(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude);

    public static AddressResolutionDto ToDto(this ResolutionResult result, MicrodistrictSnapshot snapshot) => new(
        result.Outcome switch
        {
            ResolutionOutcome.Matched => AddressResolutionOutcome.Matched,
            ResolutionOutcome.HouseNumberUnreadable => AddressResolutionOutcome.HouseNumberUnreadable,
            ResolutionOutcome.UnknownSettlement => AddressResolutionOutcome.UnknownSettlement,
            _ => AddressResolutionOutcome.NoMatchingRule,
        },
        result.StreetKey,
        result.House?.ToString(),
        [.. result.Matches.Select(m => new MicrodistrictMatchDto(
            snapshot.SchoolCode(m.SchoolId),
            m.Source.ToString(),
            m.Rule is null ? null : snapshot.RuleId(m.Rule),
            m.Rule?.Street,
            m.Rule?.Houses.ToString(),
            m.Explanation))]);
}

internal sealed class ResolveAddressHandler(MicrodistrictIndexCache cache) : IQueryHandler<ResolveAddress, AddressResolutionDto>
{
    public async ValueTask<AddressResolutionDto> Handle(ResolveAddress query, CancellationToken ct)
    {
        var snapshot = await cache.GetAsync(ct);
        return snapshot.Resolve(query.Address.ToQuery()).ToDto(snapshot);
    }
}

internal sealed class ResolveAddressesHandler(MicrodistrictIndexCache cache) : IQueryHandler<ResolveAddresses, IReadOnlyList<AddressResolutionDto>>
{
    public async ValueTask<IReadOnlyList<AddressResolutionDto>> Handle(ResolveAddresses query, CancellationToken ct)
    {
        var snapshot = await cache.GetAsync(ct);
        return [.. query.Addresses.Select(a => snapshot.Resolve(a.ToQuery()).ToDto(snapshot))];
    }
}

internal static class AddressValidation
{
    public static void Check(string prefix, AddressDto? address, ValidationErrors errors)
    {
        if (address is null)
        {
            errors.Add(prefix, "REQUIRED", "An address is required.");
            return;
        }

        errors.MaxLength(prefix + ".settlementCode", address.SettlementCode, 16);
        errors.MaxLength(prefix + ".street", address.Street, 200);
        errors.MaxLength(prefix + ".house", address.House, 50);
        if (address.Latitude is double lat && (!double.IsFinite(lat) || lat is < -90 or > 90))
        {
            errors.Add(prefix + ".latitude", "OUT_OF_RANGE", "Must be between -90 and 90.");
        }

        if (address.Longitude is double lon && (!double.IsFinite(lon) || lon is < -180 or > 180))
        {
            errors.Add(prefix + ".longitude", "OUT_OF_RANGE", "Must be between -180 and 180.");
        }
    }
}

internal sealed class ResolveAddressValidator : IValidator<ResolveAddress>
{
    public void Validate(ResolveAddress message, ValidationErrors errors) => AddressValidation.Check("address", message.Address, errors);
}

internal sealed class ResolveAddressesValidator : IValidator<ResolveAddresses>
{
    public void Validate(ResolveAddresses message, ValidationErrors errors)
    {
        errors.Range("addresses", message.Addresses.Count, 0, 10_000);
        for (var i = 0; i < message.Addresses.Count && i < 10_000; i++)
        {
            AddressValidation.Check($"addresses[{i}]", message.Addresses[i], errors);
        }
    }
}

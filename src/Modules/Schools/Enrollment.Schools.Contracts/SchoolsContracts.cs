using Mediator;

namespace Enrollment.Schools.Contracts;

/// <summary>What other modules may ask the Schools module. Everything else about schools is internal to it.</summary>
public static class SchoolsContracts
{
    public const string Module = "schools";
}

public sealed record RegionDto(string Code, string NameKy, string NameRu, bool IsCity);

public sealed record DistrictDto(string Code, string RegionCode, string NameKy, string NameRu);

public sealed record SettlementDto(string Code, string DistrictCode, string NameKy, string NameRu, string Kind, double Latitude, double Longitude);

public sealed record SchoolDto(
    string Code, string RegionCode, string DistrictCode, string SettlementCode, string NameKy, string NameRu, string Address,
    double Latitude, double Longitude, string Type, IReadOnlyList<string> Languages, bool ParticipatesInEnrollment,
    string? NonParticipationReason);

public sealed record MicrodistrictRuleDto(string SchoolCode, string SettlementCode, string Street, string HouseSet);

public sealed record MicrodistrictPolygonDto(string SchoolCode, string GeoJson);

/// <summary>Regions with their districts, ordered by code.</summary>
public sealed record GetRegions : IQuery<IReadOnlyList<RegionDto>>;

public sealed record GetDistricts(string? RegionCode) : IQuery<IReadOnlyList<DistrictDto>>;

/// <summary>Batch lookup by school code; unknown codes are left out.</summary>
public sealed record GetSchoolsByCodes(IReadOnlyList<string> Codes) : IQuery<IReadOnlyList<SchoolDto>>;

public sealed record SchoolCountsDto(string RegionCode, string DistrictCode, int Schools, int ParticipatingSchools);

/// <summary>Number of schools and participating schools per district.</summary>
public sealed record GetSchoolCounts : IQuery<IReadOnlyList<SchoolCountsDto>>;

/// <summary>Two spellings of one street of a settlement (e.g. "улица Ленина" and "Ленин көчөсү") that resolve alike.</summary>
public sealed record StreetAliasDto(string SettlementCode, string Street, string Variant);

/// <summary>A registered address from the population registry, without the persons (for the quality report).</summary>
public sealed record RegistryAddressDto(string SettlementCode, string Street, string House, double? Latitude, double? Longitude, int Residents = 1);

/// <summary>
/// Loads the demo geography and schools into an empty Schools module. Refused when it holds data.
/// <paramref name="StreetAliases"/> links street spellings; <paramref name="RegistryAddresses"/> are the distinct
/// registered addresses the quality report checks for gaps and overlaps.
/// </summary>
public sealed record SeedSchools(
    IReadOnlyList<RegionDto> Regions, IReadOnlyList<DistrictDto> Districts, IReadOnlyList<SettlementDto> Settlements,
    IReadOnlyList<SchoolDto> Schools, IReadOnlyList<MicrodistrictRuleDto> Rules, IReadOnlyList<MicrodistrictPolygonDto> Polygons,
    IReadOnlyList<StreetAliasDto>? StreetAliases = null, IReadOnlyList<RegistryAddressDto>? RegistryAddresses = null)
    : ICommand<int>;

/// <summary>An address to resolve: settlement code, street and house as written, and coordinates when known.</summary>
public sealed record AddressDto(string? SettlementCode, string? Street, string? House, double? Latitude = null, double? Longitude = null);

/// <summary>Overall result of resolving an address to micro-district schools.</summary>
public enum AddressResolutionOutcome
{
    /// <summary>At least one participating school serves the address.</summary>
    Matched,

    /// <summary>The settlement has micro-districts but no rule covers the street and house, and no polygon the point.</summary>
    NoMatchingRule,

    /// <summary>The street has rules but the house number cannot be read.</summary>
    HouseNumberUnreadable,

    /// <summary>No micro-district rules exist for the settlement (and no polygon contains the point).</summary>
    UnknownSettlement,
}

/// <summary>A school whose micro-district contains the address: <paramref name="Source"/> is "Rule" or "Polygon".</summary>
public sealed record MicrodistrictMatchDto(string SchoolCode, string Source, Guid? RuleId, string? RuleStreet, string? RuleHouseSet, string Explanation);

/// <summary>Result of a resolution; "not found" is an outcome, never an error.</summary>
public sealed record AddressResolutionDto(AddressResolutionOutcome Outcome, string StreetKey, string? House, IReadOnlyList<MicrodistrictMatchDto> Matches)
{
    public IReadOnlyList<string> SchoolCodes => [.. Matches.Select(m => m.SchoolCode)];
}

/// <summary>
/// The participating school(s) whose micro-district contains the address (e.g. a parent's registered address in Stage
/// One). Rules first; the polygons only when no rule matches and the address has coordinates.
/// </summary>
public sealed record ResolveAddress(AddressDto Address) : IQuery<AddressResolutionDto>;

/// <summary>Batch form of <see cref="ResolveAddress"/>; results in the order of the addresses.</summary>
public sealed record ResolveAddresses(IReadOnlyList<AddressDto> Addresses) : IQuery<IReadOnlyList<AddressResolutionDto>>;

/// <summary>Published after schools were added, changed or removed (e.g. the demo seed or a CSV import).</summary>
public sealed record SchoolListChanged(int Schools) : INotification;

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

/// <summary>Loads the demo geography and schools into an empty Schools module. Refused when it holds data.</summary>
public sealed record SeedSchools(
    IReadOnlyList<RegionDto> Regions, IReadOnlyList<DistrictDto> Districts, IReadOnlyList<SettlementDto> Settlements,
    IReadOnlyList<SchoolDto> Schools, IReadOnlyList<MicrodistrictRuleDto> Rules, IReadOnlyList<MicrodistrictPolygonDto> Polygons)
    : ICommand<int>;

/// <summary>Published after schools were added, changed or removed (e.g. the demo seed or a CSV import).</summary>
public sealed record SchoolListChanged(int Schools) : INotification;

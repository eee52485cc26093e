namespace Enrollment.Schools.Domain;

internal sealed class Region
{
    public required string Code { get; init; }
    public required string NameKy { get; set; }
    public required string NameRu { get; set; }
    public bool IsCity { get; set; }
}

internal sealed class District
{
    public required string Code { get; init; }
    public required string RegionCode { get; set; }
    public required string NameKy { get; set; }
    public required string NameRu { get; set; }
}

internal sealed class Settlement
{
    public required string Code { get; init; }
    public required string DistrictCode { get; set; }
    public required string NameKy { get; set; }
    public required string NameRu { get; set; }
    public required string Kind { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
}

internal static class SchoolTypes
{
    public const string State = "State";
    public const string Municipal = "Municipal";
}

/// <summary>Why a listed school cannot be chosen in the campaign.</summary>
internal static class NonParticipationReasons
{
    public static readonly IReadOnlyList<string> All = ["Lyceum", "SpecialPmpk", "Boarding", "Evening", "Music"];
}

internal sealed class School
{
    public required string Code { get; init; }
    public required string RegionCode { get; set; }
    public required string DistrictCode { get; set; }
    public required string SettlementCode { get; set; }
    public required string NameKy { get; set; }
    public required string NameRu { get; set; }
    public required string Address { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public required string Type { get; set; }

    /// <summary>Language codes of instruction, comma-separated in storage ("ky,ru").</summary>
    public required string Languages { get; set; }
    public bool ParticipatesInEnrollment { get; set; }
    public string? NonParticipationReason { get; set; }

    public IReadOnlyList<string> LanguageList => Languages.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One address rule of a school's micro-district: settlement + street + house-number set.</summary>
internal sealed class MicrodistrictRule
{
    public Guid Id { get; init; }
    public required string SchoolCode { get; set; }
    public required string SettlementCode { get; set; }
    public required string Street { get; set; }
    public required string HouseSet { get; set; }
}

/// <summary>A school's micro-district on the map (GeoJSON geometry, lon/lat).</summary>
internal sealed class MicrodistrictPolygon
{
    public required string SchoolCode { get; init; }
    public required string GeoJson { get; set; }
}

/// <summary>Two spellings of one street of a settlement (Russian and Kyrgyz, or old and new) that resolve alike.</summary>
internal sealed class StreetNameAlias
{
    public Guid Id { get; init; }
    public required string SettlementCode { get; set; }
    public required string Street { get; set; }
    public required string Variant { get; set; }
}

/// <summary>
/// A distinct registered address from the population registry (no persons, only how many live there), kept so that
/// the quality report can find addresses claimed by no school or by several.
/// </summary>
internal sealed class RegistryAddress
{
    public long Id { get; init; }
    public required string SettlementCode { get; set; }
    public required string Street { get; set; }
    public required string House { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public int Residents { get; set; }
}

/// <summary>
/// One versioned change of a school's micro-district: who, when, what (<see cref="Before"/> and <see cref="After"/> are
/// JSON of the changed rule or polygon; empty when it did not exist). A revert is a new change.
/// </summary>
internal sealed class MicrodistrictChange
{
    public long Id { get; init; }
    public required string SchoolCode { get; init; }
    public required string DistrictCode { get; init; }

    /// <summary>RuleAdded, RuleChanged, RuleDeleted, PolygonSaved, PolygonDeleted; SchoolAdded, SchoolChanged (the school's own data).</summary>
    public required string Kind { get; init; }
    public Guid? RuleId { get; init; }
    public required string Before { get; init; }
    public required string After { get; init; }
    public required string ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
    public long? RevertsChangeId { get; init; }
}

internal static class MicrodistrictChangeKinds
{
    public const string RuleAdded = "RuleAdded";
    public const string RuleChanged = "RuleChanged";
    public const string RuleDeleted = "RuleDeleted";
    public const string PolygonSaved = "PolygonSaved";
    public const string PolygonDeleted = "PolygonDeleted";
    public const string SchoolAdded = "SchoolAdded";
    public const string SchoolChanged = "SchoolChanged";
}

/// <summary>
/// A micro-district change a district officer made while a campaign's Stage One..LateEnrollment runs: it is kept here
/// until a ministry administrator approves (then applied and versioned) or rejects it.
/// </summary>
internal sealed class MicrodistrictProposal
{
    public long Id { get; init; }
    public required string SchoolCode { get; init; }
    public required string DistrictCode { get; init; }

    /// <summary>SaveRule, DeleteRule or SavePolygon.</summary>
    public required string Kind { get; init; }

    /// <summary>The proposed operation as JSON (rule fields, or the polygon GeoJSON).</summary>
    public required string Payload { get; init; }
    public required string ProposedBy { get; init; }
    public DateTimeOffset ProposedAt { get; init; }

    /// <summary>Pending, Approved or Rejected.</summary>
    public string Status { get; set; } = MicrodistrictProposalStatus.Pending;
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

internal static class MicrodistrictProposalStatus
{
    public const string Pending = "Pending";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";
}

/// <summary>
/// The one-row version stamp of everything the resolution index is built from (schools, rules, polygons, aliases). It is
/// bumped in the same transaction as every such change, so each host can cheaply see that its cached index is stale.
/// </summary>
internal sealed class MicrodistrictIndexStamp
{
    public const int SingletonId = 1;

    public int Id { get; init; }
    public long Version { get; set; }
}

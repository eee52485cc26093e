namespace Enrollment.DemoData;

/// <summary>Size of the generated dataset.</summary>
public enum DemoProfile
{
    /// <summary>One region, two districts, three settlements, eight schools, about sixty children; every anomaly kind present.</summary>
    Tiny,

    /// <summary>The whole country: 9 regions, 56 districts, about 2,300 schools and 250,000 children with their parents.</summary>
    National,
}

/// <summary>A complete, deterministic demo dataset.</summary>
public sealed record DemoDataset(
    DemoProfile Profile,
    int Seed,
    IReadOnlyList<DemoRegion> Regions,
    IReadOnlyList<DemoDistrict> Districts,
    IReadOnlyList<DemoSettlement> Settlements,
    IReadOnlyList<DemoStreet> Streets,
    IReadOnlyList<DemoSchool> Schools,
    IReadOnlyList<DemoMicrodistrictRule> MicrodistrictRules,
    IReadOnlyList<DemoMicrodistrictPolygon> MicrodistrictPolygons,
    IReadOnlyList<DemoPerson> Persons,
    IReadOnlyList<DemoRegisteredAddress> Addresses,
    IReadOnlyList<DemoParentLink> ParentLinks,
    IReadOnlyList<DemoPriorityDocument> PriorityDocuments,
    IReadOnlyList<DemoAccount> Accounts,
    DemoAnomalies Anomalies);

/// <summary>Oblast or city of republican significance. Code "R01".."R09".</summary>
public sealed record DemoRegion(string Code, string NameKy, string NameRu, bool IsCity);

/// <summary>Raion, city of regional significance or city district. Code "D" + region number + district number, e.g. "D0701".</summary>
public sealed record DemoDistrict(string Code, string RegionCode, string NameKy, string NameRu);

/// <summary>City, town or village. Code "L" + district digits + 3-digit number, e.g. "L0701001". Kind is City, Town or Village.</summary>
public sealed record DemoSettlement(string Code, string DistrictCode, string NameKy, string NameRu, string Kind, double Latitude, double Longitude);

/// <summary>Canonical name of a street of a settlement in Russian ("улица Ленина") and Kyrgyz ("Ленин көчөсү").</summary>
public sealed record DemoStreet(string SettlementCode, string NameRu, string NameKy);

/// <summary>
/// A general-education school. Code "S00001"... <see cref="ExpectedFirstGradeSeats"/> is the number of first-grade seats
/// offered through the enrollment system (0 for schools that do not participate).
/// </summary>
public sealed record DemoSchool(
    string Code,
    string DistrictCode,
    string SettlementCode,
    string NameKy,
    string NameRu,
    string Address,
    double Latitude,
    double Longitude,
    string Type,
    IReadOnlyList<string> Languages,
    bool ParticipatesInEnrollment,
    string? NonParticipationReason,
    int ExpectedFirstGradeSeats);

/// <summary>
/// One address rule of a school's microdistrict: settlement + street (spelled as the district office wrote it) + house set.
/// </summary>
/// <remarks>
/// <para><see cref="HouseSet"/> syntax:</para>
/// <list type="bullet">
/// <item><c>*</c> — every house of the street;</item>
/// <item><c>1-49</c> — houses whose leading number is in the inclusive range;</item>
/// <item><c>odd:1-49</c> / <c>even:2-50</c> — the same, only odd / even leading numbers;</item>
/// <item><c>list:12,12А,12/3,15 корп. 2</c> — exactly the listed houses (compared as written, ignoring case and extra spaces).</item>
/// </list>
/// <para>The leading number of a house is its first run of digits: <c>12А</c>, <c>12/3</c> and <c>12 корп. 2</c> all have 12.</para>
/// </remarks>
public sealed record DemoMicrodistrictRule(string SchoolCode, string SettlementCode, string Street, string HouseSet);

/// <summary>A school's microdistrict polygon: a GeoJSON Polygon geometry (lon/lat order, closed counter-clockwise ring).</summary>
public sealed record DemoMicrodistrictPolygon(string SchoolCode, string GeoJson);

/// <summary>A person from the population registry.</summary>
public sealed record DemoPerson(
    string Pin,
    string LastName,
    string FirstName,
    string? Patronymic,
    char Sex,
    DateOnly BirthDate,
    string? BirthCertificateNumber,
    string? PassportNumber,
    string? Phone,
    string? Email);

/// <summary>Registered address (прописка) of a person, with the street spelled as in the population registry.</summary>
public sealed record DemoRegisteredAddress(string Pin, string SettlementCode, string Street, string House, string? Apartment, double? Latitude, double? Longitude);

/// <summary>Parent–child link. Relation is Mother, Father or LegalRepresentative.</summary>
public sealed record DemoParentLink(string ParentPin, string ChildPin, string Relation);

/// <summary>A priority (льгота) document of a child. Category is MilitaryFamily, Kairylman, DifficultLifeSituation or Disability.</summary>
public sealed record DemoPriorityDocument(string ChildPin, string Category, string DocumentNumber);

/// <summary>A demo login. Role is MinistryAdmin, DistrictOfficer, SchoolAdmin, Analyst or Parent.</summary>
public sealed record DemoAccount(string UserName, string Password, string Role, string? DistrictCode, string? SchoolCode, string? Pin);

/// <summary>The deliberately planted data problems, computed from the generated data.</summary>
public sealed record DemoAnomalies(
    IReadOnlyList<DemoSpellingVariant> StreetSpellingVariants,
    IReadOnlyList<DemoAddressKey> AddressesInTwoMicrodistricts,
    IReadOnlyList<DemoAddressKey> AddressesInNoMicrodistrict,
    IReadOnlyList<string> OverAgeChildPins,
    IReadOnlyList<string> ChildrenWithoutBirthCertificatePins,
    IReadOnlyList<string> ParentsWithoutPassportPins,
    IReadOnlyList<string> PrivilegedChildPins,
    IReadOnlyList<string> AddressesWithCoordinatesOnlyPolygonMatchPins);

/// <summary>A registered address whose street is spelled differently from the microdistrict rule that covers it.</summary>
public sealed record DemoSpellingVariant(string Pin, string RegistrySpelling, string RuleSpelling);

/// <summary>A registered address with the participating schools whose rules claim it (two or more for overlaps, none for gaps).</summary>
public sealed record DemoAddressKey(string Pin, string SettlementCode, string Street, string House, IReadOnlyList<string> SchoolCodes);

using Mediator;

namespace Enrollment.Registry.Contracts;

public static class RegistryContracts
{
    public const string Module = "registry";

    /// <summary>Error code when the population registry cannot answer now (timeout, outage); the parent's draft is kept.</summary>
    public const string RegistryUnavailableCode = "REGISTRY_UNAVAILABLE";

    /// <summary>The PIN is well formed but the population registry has no such person.</summary>
    public const string NotInPopulationRegistryCode = "NOT_IN_POPULATION_REGISTRY";

    /// <summary>The person is not an adult (18 years or older today).</summary>
    public const string NotAnAdultCode = "NOT_AN_ADULT";

    /// <summary>The person has no child linked to them in the population registry.</summary>
    public const string NoLinkedChildrenCode = "NO_LINKED_CHILDREN";
}

public sealed record PersonRecord(
    string Pin, string LastName, string FirstName, string? Patronymic, char Sex, DateOnly BirthDate,
    string? BirthCertificateNumber, string? PassportNumber, string? Phone, string? Email);

public sealed record RegisteredAddressRecord(string Pin, string SettlementCode, string Street, string House, string? Apartment, double? Latitude, double? Longitude);

public sealed record ParentLinkRecord(string ParentPin, string ChildPin, string Relation);

public sealed record PriorityDocumentRecord(string ChildPin, string Category, string DocumentNumber);

/// <summary>A child linked to a parent or legal representative in the population registry.</summary>
public sealed record LinkedChildDto(string Pin, string LastName, string FirstName, string? Patronymic, char Sex, DateOnly BirthDate, string Relation);

/// <summary>Children linked to the applicant in the population registry.</summary>
public sealed record GetLinkedChildren(string ParentPin) : IQuery<IReadOnlyList<LinkedChildDto>>;

public sealed record PopulationCountsDto(int Persons, int Children, int ParentLinks, int Addresses);

public sealed record GetPopulationCounts : IQuery<PopulationCountsDto>;

/// <summary>Loads the demo population registry (embedded default of the Tunduk port) into an empty store.</summary>
public sealed record SeedPopulation(
    IReadOnlyList<PersonRecord> Persons, IReadOnlyList<RegisteredAddressRecord> Addresses,
    IReadOnlyList<ParentLinkRecord> Links, IReadOnlyList<PriorityDocumentRecord> PriorityDocuments) : ICommand<int>;

/// <summary>The applicant as the population registry knows them; <see cref="Pin"/> is the normalized 14 digits.</summary>
public sealed record VerifiedApplicantDto(string Pin, string LastName, string FirstName, string? Patronymic, int LinkedChildren);

/// <summary>
/// May this PIN sign up as a parent? The PIN is well formed (PIN_* codes), the person is in the population registry
/// (NOT_IN_POPULATION_REGISTRY) with the birth date the PIN encodes (PIN_BIRTH_DATE_MISMATCH), is an adult
/// (NOT_AN_ADULT) and has at least one linked child (NO_LINKED_CHILDREN); REGISTRY_UNAVAILABLE when it cannot answer.
/// </summary>
public sealed record VerifyApplicant(string Pin) : IQuery<VerifiedApplicantDto>;

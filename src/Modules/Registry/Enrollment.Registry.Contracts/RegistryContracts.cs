using Mediator;

namespace Enrollment.Registry.Contracts;

public static class RegistryContracts
{
    public const string Module = "registry";

    /// <summary>Error code when the population registry cannot answer now (timeout, outage); the parent's draft is kept.</summary>
    public const string RegistryUnavailableCode = "REGISTRY_UNAVAILABLE";
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

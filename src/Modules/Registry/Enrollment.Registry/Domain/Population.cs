namespace Enrollment.Registry.Domain;

/// <summary>A person as the population registry (reached through Tunduk) knows them. Embedded default: the demo population.</summary>
internal sealed class PopulationPerson
{
    public required string Pin { get; init; }
    public required string LastName { get; set; }
    public required string FirstName { get; set; }
    public string? Patronymic { get; set; }
    public char Sex { get; set; }
    public DateOnly BirthDate { get; set; }
    public string? BirthCertificateNumber { get; set; }
    public string? PassportNumber { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
}

/// <summary>The registered address (прописка) of a person, as spelled in the registry.</summary>
internal sealed class RegisteredAddress
{
    public required string Pin { get; init; }
    public required string SettlementCode { get; set; }
    public required string Street { get; set; }
    public required string House { get; set; }
    public string? Apartment { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

/// <summary>A parent–child link: Mother, Father or LegalRepresentative.</summary>
internal sealed class ParentLink
{
    public required string ParentPin { get; init; }
    public required string ChildPin { get; init; }
    public required string Relation { get; set; }
}

internal sealed class PriorityDocument
{
    public required string ChildPin { get; init; }
    public required string Category { get; init; }
    public required string DocumentNumber { get; set; }
}

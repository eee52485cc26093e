using Enrollment.BuildingBlocks.Errors;
using Enrollment.Registry.Contracts;

namespace Enrollment.Registry.Domain;

/// <summary>
/// The port to the state population registry (reached through Tunduk): persons, parent–child links, birth
/// certificates, passports, registered addresses. Implementations: the embedded demo population (default) and an
/// HTTP client (<c>Registry:Population:Mode = Http</c>, contract in docs/population-registry-api.md).
/// Every method answers <see cref="RegistryLookup{T}.Found"/> or <see cref="RegistryLookup{T}.NotFound"/>; a registry
/// that cannot answer (timeout, 5xx, unreadable answer, open circuit) throws <see cref="PopulationRegistryUnavailable"/>
/// and nothing else (cancellation by the caller excepted).
/// </summary>
internal interface IPopulationRegistry
{
    Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct);

    /// <summary>Not found when the parent is unknown; found with an empty list when the parent has no linked child.</summary>
    Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct);

    /// <summary>
    /// The parents and legal representatives linked to a child (the other direction of <see cref="GetLinkedChildrenAsync"/>).
    /// Not found when the child is unknown (or, over HTTP, when the registry does not offer the endpoint).
    /// </summary>
    Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct);

    /// <summary>Not found when the child is unknown or has no birth certificate in the registry.</summary>
    Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct);

    /// <summary>Not found when the person is unknown or has no passport in the registry.</summary>
    Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct);

    /// <summary>Not found when the person is unknown or has no registered address (прописка).</summary>
    Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct);
}

/// <summary>The registry's answer to one question: found (with the value) or not found.</summary>
internal sealed class RegistryLookup<T>
    where T : notnull
{
    private readonly T? _value;

    private RegistryLookup(T? value, bool isFound)
    {
        _value = value;
        IsFound = isFound;
    }

    public static RegistryLookup<T> NotFound { get; } = new(default, false);

    public bool IsFound { get; }

    /// <summary>The value; reading it on a not-found answer is a programming error.</summary>
    public T Value => IsFound ? _value! : throw new InvalidOperationException("The registry did not find it; check IsFound first.");

    public static RegistryLookup<T> Found(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), true);

    public T? ValueOrDefault => _value;

    public override string ToString() => IsFound ? $"Found({_value})" : "NotFound";
}

internal sealed record RegistryPerson(string Pin, string LastName, string FirstName, string? Patronymic, char Sex, DateOnly BirthDate);

/// <summary>A child linked to a parent; <see cref="Relation"/> is Mother, Father or LegalRepresentative.</summary>
internal sealed record RegistryLinkedChild(string Pin, string LastName, string FirstName, string? Patronymic, char Sex, DateOnly BirthDate, string Relation);

/// <summary>A parent or legal representative of a child; <see cref="Relation"/> is Mother, Father or LegalRepresentative.</summary>
internal sealed record RegistryParentLink(string Pin, string Relation);

/// <summary>A document number as the registry holds it (a birth certificate or a passport).</summary>
internal sealed record RegistryDocument(string Number);

internal sealed record RegistryAddress(string SettlementCode, string Street, string House, string? Apartment, double? Latitude, double? Longitude);

/// <summary>
/// The population registry could not answer now (timeout, server error, unreadable answer, open circuit). The
/// parent's draft is kept; they can try again later. Code <c>REGISTRY_UNAVAILABLE</c>.
/// </summary>
internal sealed class PopulationRegistryUnavailable(string reason, Exception? inner = null)
    : RuleViolation(RegistryContracts.RegistryUnavailableCode, UserMessage)
{
    public const string UserMessage =
        "The population registry is not answering right now. Your draft is saved; please try again in a few minutes.";

    /// <summary>For logs and operators, never shown to the parent.</summary>
    public string Reason { get; } = reason;

    public Exception? Cause { get; } = inner;
}

internal static class PopulationRegistryExtensions
{
    /// <summary>
    /// Finds the person and checks that the registry's birth date is the one the PIN encodes: a mismatch throws
    /// <see cref="InvalidPin"/> with <c>PIN_BIRTH_DATE_MISMATCH</c> (a typo in the PIN, or an error in the registry).
    /// </summary>
    public static async Task<RegistryLookup<RegistryPerson>> FindVerifiedPersonAsync(this IPopulationRegistry registry, Pin pin, CancellationToken ct)
    {
        var person = await registry.FindPersonAsync(pin, ct);
        if (person.IsFound)
        {
            pin.EnsureBirthDateMatches(person.Value.BirthDate);
        }

        return person;
    }
}

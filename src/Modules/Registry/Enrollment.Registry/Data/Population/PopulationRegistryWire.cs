using Enrollment.Registry.Domain;

namespace Enrollment.Registry.Data.Population;

// The JSON shapes of docs/population-registry-api.md (camelCase). Each ToDomain answers null when a required field
// is missing or malformed, which the client reports as an unreadable answer.

internal sealed record PersonWire(string? Pin, string? LastName, string? FirstName, string? Patronymic, string? Sex, DateOnly? BirthDate)
{
    public RegistryPerson? ToDomain(Pin asked) =>
        Pin == asked.Value && Wire.Text(LastName) && Wire.Text(FirstName) && Wire.SexOf(Sex) is { } sex && BirthDate is { } birth
            ? new RegistryPerson(Pin, LastName!, FirstName!, Wire.Optional(Patronymic), sex, birth)
            : null;
}

internal sealed record ChildWire(string? Pin, string? LastName, string? FirstName, string? Patronymic, string? Sex, DateOnly? BirthDate, string? Relation);

internal sealed record ChildrenWire(IReadOnlyList<ChildWire?>? Children)
{
    public IReadOnlyList<RegistryLinkedChild>? ToDomain()
    {
        if (Children is null)
        {
            return null;
        }

        var result = new List<RegistryLinkedChild>(Children.Count);
        foreach (var c in Children)
        {
            if (c is null || !Wire.IsPinShaped(c.Pin) || !Wire.Text(c.LastName) || !Wire.Text(c.FirstName)
                || Wire.SexOf(c.Sex) is not { } sex || c.BirthDate is not { } birth
                || c.Relation is not ("Mother" or "Father" or "LegalRepresentative"))
            {
                return null;
            }

            result.Add(new RegistryLinkedChild(c.Pin!, c.LastName!, c.FirstName!, Wire.Optional(c.Patronymic), sex, birth, c.Relation));
        }

        return result;
    }
}

internal sealed record ParentWire(string? Pin, string? Relation);

internal sealed record ParentsWire(IReadOnlyList<ParentWire?>? Parents)
{
    public IReadOnlyList<RegistryParentLink>? ToDomain()
    {
        if (Parents is null)
        {
            return null;
        }

        var result = new List<RegistryParentLink>(Parents.Count);
        foreach (var p in Parents)
        {
            if (p is null || !Wire.IsPinShaped(p.Pin) || p.Relation is not ("Mother" or "Father" or "LegalRepresentative"))
            {
                return null;
            }

            result.Add(new RegistryParentLink(p.Pin!, p.Relation));
        }

        return result;
    }
}

internal sealed record DocumentWire(string? Number)
{
    public RegistryDocument? ToDomain() => Wire.Text(Number) ? new RegistryDocument(Number!) : null;
}

internal sealed record AddressWire(string? SettlementCode, string? Street, string? House, string? Apartment, double? Latitude, double? Longitude)
{
    public RegistryAddress? ToDomain() =>
        Wire.Text(SettlementCode) && Wire.Text(Street) && Wire.Text(House)
            ? new RegistryAddress(SettlementCode!, Street!, House!, Wire.Optional(Apartment), Latitude, Longitude)
            : null;
}

internal static class Wire
{
    public static bool Text(string? value) => !string.IsNullOrWhiteSpace(value);

    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public static char? SexOf(string? value) => value switch
    {
        "F" => 'F',
        "M" => 'M',
        _ => null,
    };

    public static bool IsPinShaped(string? value) => value is { Length: Pin.Length } && value.All(char.IsAsciiDigit);
}

using System.Globalization;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.LoadTest;
using Enrollment.Registry.Domain;

namespace Enrollment.Host.Tests.Scale;

/// <summary>
/// The Tiny population plus <paramref name="count"/> generated families (a parent with a passport and one child born in
/// 2019 with a birth certificate), all registered at one Tiny address inside a micro-district: enough children for an
/// opening-morning smoke run without seeding the national dataset.
/// </summary>
internal sealed class SyntheticPopulation
{
    public SyntheticPopulation(int count)
    {
        var template = Registry.Families.Eligible[0].ParentPin;
        var address = Tiny.Data.Addresses.First(a => a.Pin == template);
        Address = new RegistryAddress(address.SettlementCode, address.Street, address.House, null, address.Latitude, address.Longitude);
        var taken = Tiny.Data.Persons.Select(p => p.Pin).ToHashSet(StringComparer.Ordinal);
        var families = new List<LoadFamily>();
        for (var i = 0; families.Count < count; i++)
        {
            var parent = string.Create(CultureInfo.InvariantCulture, $"1{15 + (i % 13):00}0{1 + (i % 9)}1990{70000 + i:00000}");
            var child = string.Create(CultureInfo.InvariantCulture, $"{1 + (i % 2)}{1 + (i % 28):00}{1 + (i % 12):00}2019{70000 + i:00000}");
            if (taken.Contains(parent) || taken.Contains(child))
            {
                continue;
            }

            families.Add(new LoadFamily(parent, [child],
                new LoadAddress(address.SettlementCode, address.Street, address.House, address.Latitude, address.Longitude)));
        }

        Families = families;
        ParentOf = families.ToDictionary(f => f.ChildPins[0], f => f.ParentPin, StringComparer.Ordinal);
        ChildrenOf = families.ToDictionary(f => f.ParentPin, f => f.ChildPins[0], StringComparer.Ordinal);
    }

    public IReadOnlyList<LoadFamily> Families { get; }

    public RegistryAddress Address { get; }

    public IReadOnlyDictionary<string, string> ParentOf { get; }

    public IReadOnlyDictionary<string, string> ChildrenOf { get; }

    public bool Knows(Pin pin) => ParentOf.ContainsKey(pin.Value) || ChildrenOf.ContainsKey(pin.Value);
}

/// <summary>Answers for the synthetic families, the wrapped registry for everyone else.</summary>
internal sealed class SyntheticPopulationRegistry(IPopulationRegistry inner, SyntheticPopulation population) : IPopulationRegistry
{
    public Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct) =>
        population.Knows(pin)
            ? Task.FromResult(RegistryLookup<RegistryPerson>.Found(new RegistryPerson(pin.Value, "Синтетикова", "Айгуль", null, pin.Sex, pin.BirthDate)))
            : inner.FindPersonAsync(pin, ct);

    public Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct)
    {
        if (!population.ChildrenOf.TryGetValue(parentPin.Value, out var child))
        {
            return inner.GetLinkedChildrenAsync(parentPin, ct);
        }

        Pin.TryParse(child, new DateOnly(2026, 4, 2), out var childPin, out _);
        IReadOnlyList<RegistryLinkedChild> children = [new(child, "Синтетикова", "Айбек", null, childPin.Sex, childPin.BirthDate, "Mother")];
        return Task.FromResult(RegistryLookup<IReadOnlyList<RegistryLinkedChild>>.Found(children));
    }

    public Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct) =>
        population.ParentOf.TryGetValue(childPin.Value, out var parent)
            ? Task.FromResult(RegistryLookup<IReadOnlyList<RegistryParentLink>>.Found([new RegistryParentLink(parent, "Mother")]))
            : inner.GetParentsAsync(childPin, ct);

    public Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct) =>
        population.ParentOf.ContainsKey(childPin.Value)
            ? Task.FromResult(RegistryLookup<RegistryDocument>.Found(new RegistryDocument("I-AN " + childPin.Value[^6..])))
            : inner.GetBirthCertificateAsync(childPin, ct);

    public Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct) =>
        population.ChildrenOf.ContainsKey(pin.Value)
            ? Task.FromResult(RegistryLookup<RegistryDocument>.Found(new RegistryDocument("ID" + pin.Value[^7..])))
            : inner.GetPassportAsync(pin, ct);

    public Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct) =>
        population.Knows(pin) ? Task.FromResult(RegistryLookup<RegistryAddress>.Found(population.Address)) : inner.GetRegisteredAddressAsync(pin, ct);
}

internal static class PopulationRegistryWrapping
{
    /// <summary>Replaces the host's population registry with <paramref name="wrap"/> of it (per scope).</summary>
    public static void WrapPopulationRegistry(this Microsoft.Extensions.DependencyInjection.IServiceCollection services,
        Func<IServiceProvider, IPopulationRegistry, IPopulationRegistry> wrap)
    {
        var registry = services.Last(d => d.ServiceType == typeof(IPopulationRegistry));
        services.Remove(registry);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddScoped(services,
            sp => wrap(sp, (IPopulationRegistry)registry.ImplementationFactory!(sp)));
    }
}

using Enrollment.Registry.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Data.Population;

/// <summary>
/// The default population registry: the module's own population tables (the seeded demo population). Scoped (one per
/// request): a person's row read once in a request answers that request's later questions about the same person (a
/// submit asks about the parent three times and the child twice); a parent's children come with their whole rows and a
/// child's parents with their registered addresses, the questions a submit asks next (3–4 queries per submit instead of 6–7).
/// The queries are compiled once per process (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, CancellationToken, Task{TResult}}})"/>):
/// on the opening morning EF's per-call expression building, parameter extraction and cache look-up were ≈ 60 % of
/// these lookups' cost (docs/benchmarks.md).
/// </summary>
internal sealed class EmbeddedPopulationRegistry(RegistryDbContext db) : IPopulationRegistry
{
    private static readonly Func<RegistryDbContext, string, CancellationToken, Task<PopulationPerson?>> PersonByPin =
        EF.CompileAsyncQuery((RegistryDbContext db, string pin, CancellationToken ct) => db.Persons.AsNoTracking().FirstOrDefault(p => p.Pin == pin));

    private static readonly Func<RegistryDbContext, string, IAsyncEnumerable<LinkedRow>> ChildrenOf =
        EF.CompileAsyncQuery((RegistryDbContext db, string parentPin) =>
            from link in db.ParentLinks.AsNoTracking()
            join child in db.Persons.AsNoTracking() on link.ChildPin equals child.Pin
            where link.ParentPin == parentPin
            orderby child.BirthDate, child.Pin
            select new LinkedRow(child, link.Relation));

    private static readonly Func<RegistryDbContext, string, IAsyncEnumerable<RegistryParentLink>> ParentsOf =
        EF.CompileAsyncQuery((RegistryDbContext db, string childPin) =>
            db.ParentLinks.AsNoTracking().Where(l => l.ChildPin == childPin).OrderBy(l => l.ParentPin).Select(l => new RegistryParentLink(l.ParentPin, l.Relation)));

    private static readonly Func<RegistryDbContext, List<string>, IAsyncEnumerable<AddressRow>> AddressesOf =
        EF.CompileAsyncQuery((RegistryDbContext db, List<string> pins) =>
            db.Addresses.AsNoTracking().Where(a => pins.Contains(a.Pin))
                .Select(a => new AddressRow(a.Pin, new RegistryAddress(a.SettlementCode, a.Street, a.House, a.Apartment, a.Latitude, a.Longitude))));

    private readonly Dictionary<string, PopulationPerson?> _persons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegistryAddress?> _addresses = new(StringComparer.Ordinal);

    private async Task<PopulationPerson?> PersonAsync(Pin pin, CancellationToken ct)
    {
        if (!_persons.TryGetValue(pin.Value, out var person))
        {
            person = await PersonByPin(db, pin.Value, ct);
            _persons[pin.Value] = person;
        }

        return person;
    }

    public async Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct) =>
        await PersonAsync(pin, ct) is { } p
            ? RegistryLookup<RegistryPerson>.Found(new RegistryPerson(p.Pin, p.LastName, p.FirstName, p.Patronymic, p.Sex, p.BirthDate))
            : RegistryLookup<RegistryPerson>.NotFound;

    public async Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct)
    {
        if (await PersonAsync(parentPin, ct) is null)
        {
            return RegistryLookup<IReadOnlyList<RegistryLinkedChild>>.NotFound;
        }

        // The children's whole rows: the submit asks about the child next (birth certificate), from this request's copy.
        var links = await ToListAsync(ChildrenOf(db, parentPin.Value), ct);
        foreach (var link in links)
        {
            _persons.TryAdd(link.Child.Pin, link.Child);
        }

        return RegistryLookup<IReadOnlyList<RegistryLinkedChild>>.Found([.. links.Select(l =>
            new RegistryLinkedChild(l.Child.Pin, l.Child.LastName, l.Child.FirstName, l.Child.Patronymic, l.Child.Sex, l.Child.BirthDate, l.Relation))]);
    }

    public async Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct)
    {
        if (await PersonAsync(childPin, ct) is null)
        {
            return RegistryLookup<IReadOnlyList<RegistryParentLink>>.NotFound;
        }

        var parents = await ToListAsync(ParentsOf(db, childPin.Value), ct);
        await LoadAddressesAsync([.. parents.Select(p => p.Pin)], ct); // the submit asks for each parent's address next
        return RegistryLookup<IReadOnlyList<RegistryParentLink>>.Found(parents);
    }

    public async Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct) =>
        Document((await PersonAsync(childPin, ct))?.BirthCertificateNumber);

    public async Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct) =>
        Document((await PersonAsync(pin, ct))?.PassportNumber);

    public async Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct)
    {
        await LoadAddressesAsync([pin.Value], ct);
        return _addresses[pin.Value] is { } address ? RegistryLookup<RegistryAddress>.Found(address) : RegistryLookup<RegistryAddress>.NotFound;
    }

    /// <summary>Reads the registered addresses of the persons not asked about yet in this request, in one query.</summary>
    private async Task LoadAddressesAsync(IReadOnlyList<string> pins, CancellationToken ct)
    {
        List<string> unknown = [.. pins.Where(pin => !_addresses.ContainsKey(pin)).Distinct()];
        if (unknown.Count == 0)
        {
            return;
        }

        var addresses = await ToListAsync(AddressesOf(db, unknown), ct);
        foreach (var pin in unknown)
        {
            _addresses[pin] = addresses.FirstOrDefault(a => a.Pin == pin)?.Address;
        }
    }

    private static RegistryLookup<RegistryDocument> Document(string? number) =>
        string.IsNullOrEmpty(number) ? RegistryLookup<RegistryDocument>.NotFound : RegistryLookup<RegistryDocument>.Found(new RegistryDocument(number));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            list.Add(row);
        }

        return list;
    }

    private sealed record LinkedRow(PopulationPerson Child, string Relation);

    private sealed record AddressRow(string Pin, RegistryAddress Address);
}

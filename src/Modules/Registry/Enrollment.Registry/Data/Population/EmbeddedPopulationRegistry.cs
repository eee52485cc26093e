using Enrollment.Registry.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Data.Population;

/// <summary>
/// The default population registry: the module's own population tables (the seeded demo population). Scoped (one per
/// request): a person's row read once in a request answers that request's later questions about the same person (a
/// submit asks about the parent three times and the child twice). A parent's children come with their whole rows and
/// the parent's own row, and a child's parents with their registered addresses — the questions a submit asks next — so
/// a submit's family check is two queries (it was four: the parent and the parents' addresses were read separately).
/// The queries are compiled once per process (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, CancellationToken, Task{TResult}}})"/>):
/// on the opening morning EF's per-call expression building, parameter extraction and cache look-up were ≈ 60 % of
/// these lookups' cost (docs/benchmarks.md).
/// </summary>
internal sealed class EmbeddedPopulationRegistry(RegistryDbContext db) : IPopulationRegistry
{
    private static readonly Func<RegistryDbContext, string, CancellationToken, Task<PopulationPerson?>> PersonByPin =
        EF.CompileAsyncQuery((RegistryDbContext db, string pin, CancellationToken ct) => db.Persons.AsNoTracking().FirstOrDefault(p => p.Pin == pin));

    /// <summary>The parent's children, each with the link's relation and the parent's own row (the same on every row).</summary>
    private static readonly Func<RegistryDbContext, string, IAsyncEnumerable<LinkedRow>> ChildrenOf =
        EF.CompileAsyncQuery((RegistryDbContext db, string parentPin) =>
            from link in db.ParentLinks.AsNoTracking()
            join child in db.Persons.AsNoTracking() on link.ChildPin equals child.Pin
            join parent in db.Persons.AsNoTracking() on link.ParentPin equals parent.Pin
            where link.ParentPin == parentPin
            orderby child.BirthDate, child.Pin
            select new LinkedRow(child, link.Relation, parent));

    /// <summary>The child's parents, each with their registered address (null when the registry has none).</summary>
    private static readonly Func<RegistryDbContext, string, IAsyncEnumerable<ParentRow>> ParentsOf =
        EF.CompileAsyncQuery((RegistryDbContext db, string childPin) =>
            from link in db.ParentLinks.AsNoTracking()
            join address in db.Addresses.AsNoTracking() on link.ParentPin equals address.Pin into addresses
            from address in addresses.DefaultIfEmpty()
            where link.ChildPin == childPin
            orderby link.ParentPin
            select new ParentRow(link.ParentPin, link.Relation, address));

    private static readonly Func<RegistryDbContext, List<string>, IAsyncEnumerable<RegisteredAddress>> AddressesOf =
        EF.CompileAsyncQuery((RegistryDbContext db, List<string> pins) => db.Addresses.AsNoTracking().Where(a => pins.Contains(a.Pin)));

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
        // The children's whole rows (the submit asks about the child next: birth certificate) and the parent's row.
        var links = await ToListAsync(ChildrenOf(db, parentPin.Value), ct);
        if (links.Count > 0)
        {
            _persons.TryAdd(parentPin.Value, links[0].Parent);
        }
        else if (await PersonAsync(parentPin, ct) is null)
        {
            return RegistryLookup<IReadOnlyList<RegistryLinkedChild>>.NotFound;
        }

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

        // Each parent's registered address comes along: the submit asks for it next.
        var parents = await ToListAsync(ParentsOf(db, childPin.Value), ct);
        foreach (var parent in parents)
        {
            _addresses.TryAdd(parent.Pin, ToContract(parent.Address));
        }

        return RegistryLookup<IReadOnlyList<RegistryParentLink>>.Found([.. parents.Select(p => new RegistryParentLink(p.Pin, p.Relation))]);
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
            _addresses[pin] = ToContract(addresses.FirstOrDefault(a => a.Pin == pin));
        }
    }

    /// <summary>The registry's row as the Contracts' address (null stays null: the registry has none).</summary>
    private static RegistryAddress? ToContract(RegisteredAddress? a) =>
        a is null ? null : new RegistryAddress(a.SettlementCode, a.Street, a.House, a.Apartment, a.Latitude, a.Longitude);

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

    private sealed record LinkedRow(PopulationPerson Child, string Relation, PopulationPerson Parent);

    private sealed record ParentRow(string Pin, string Relation, RegisteredAddress? Address);
}

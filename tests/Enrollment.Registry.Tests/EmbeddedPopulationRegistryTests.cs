using Enrollment.BuildingBlocks.Time;
using Enrollment.DemoData;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Data.Population;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Tests;

/// <summary>The embedded population registry on real SQLite, seeded with the tiny demo population; and the handler on the port.</summary>
public sealed class EmbeddedPopulationRegistryTests : IAsyncLifetime, IDisposable
{
    private static readonly Lazy<DemoDataset> Tiny = new(() => DemoDataGenerator.Generate(DemoProfile.Tiny));
    private static readonly FakeClock Clock = new(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero));

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private RegistryDbContext _db = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = new RegistrySqliteDbContext(new DbContextOptionsBuilder<RegistrySqliteDbContext>().UseSqlite(_connection).Options);
        await _db.Database.EnsureCreatedAsync();
        var data = Tiny.Value;
        await new SeedPopulationHandler(_db).Handle(new SeedPopulation(
            [.. data.Persons.Select(p => new PersonRecord(p.Pin, p.LastName, p.FirstName, p.Patronymic, p.Sex, p.BirthDate, p.BirthCertificateNumber, p.PassportNumber, p.Phone, p.Email))],
            [.. data.Addresses.Select(a => new RegisteredAddressRecord(a.Pin, a.SettlementCode, a.Street, a.House, a.Apartment, a.Latitude, a.Longitude))],
            [.. data.ParentLinks.Select(l => new ParentLinkRecord(l.ParentPin, l.ChildPin, l.Relation))],
            [.. data.PriorityDocuments.Select(d => new PriorityDocumentRecord(d.ChildPin, d.Category, d.DocumentNumber))]), CancellationToken.None);
        _db.ChangeTracker.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _db?.Dispose();
        _connection.Dispose();
    }

    [Fact]
    public async Task Every_person_is_found_with_the_birth_date_of_the_pin()
    {
        var registry = new EmbeddedPopulationRegistry(_db);
        foreach (var person in Tiny.Value.Persons.Take(300))
        {
            var pin = Pin.Parse(person.Pin, Clock);

            var found = await registry.FindPersonAsync(pin, CancellationToken.None);

            Assert.Equal(new RegistryPerson(person.Pin, person.LastName, person.FirstName, person.Patronymic, person.Sex, person.BirthDate), found.Value);
            pin.EnsureBirthDateMatches(found.Value.BirthDate);
            Assert.Equal(person.Sex, pin.Sex);
        }
    }

    [Fact]
    public async Task A_submits_family_check_asks_the_embedded_registry_two_queries_and_gets_every_parents_address()
    {
        // The opening morning's submit: the parent's children, the parent, the child's birth certificate, the child's
        // parents and each of their registered addresses — the children come with their rows and the parent's, the
        // child's parents with their addresses.
        var link = Tiny.Value.ParentLinks.GroupBy(l => l.ChildPin).First(g => g.Count() == 2).First();
        var counter = new Counter();
        await using var db = new RegistrySqliteDbContext(new DbContextOptionsBuilder<RegistrySqliteDbContext>().UseSqlite(_connection).AddInterceptors(counter).Options);

        var family = await Enrollment.Registry.Features.Applications.FamilyCheck.LoadAsync(
            new EmbeddedPopulationRegistry(db), Clock, link.ParentPin, link.ChildPin, CancellationToken.None);

        Assert.Equal(2, counter.Queries);
        var parents = Tiny.Value.ParentLinks.Where(l => l.ChildPin == link.ChildPin).Select(l => l.ParentPin).ToList();
        var expected = Tiny.Value.Addresses.Where(a => parents.Contains(a.Pin)).OrderBy(a => a.Pin == link.ParentPin ? 0 : 1).ThenBy(a => a.Pin, StringComparer.Ordinal)
            .Select(a => new RegistryAddress(a.SettlementCode, a.Street, a.House, a.Apartment, a.Latitude, a.Longitude));
        Assert.Equal(expected, family.Addresses);
        Assert.Equal(Tiny.Value.Persons.Single(p => p.Pin == link.ChildPin).BirthCertificateNumber is { Length: > 0 }, family.HasBirthCertificate);
    }

    private sealed class Counter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public int Queries { get; private set; }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Queries++;
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    [Fact]
    public async Task A_childs_parent_without_a_registered_address_is_listed_and_has_no_address()
    {
        var link = Tiny.Value.ParentLinks.GroupBy(l => l.ChildPin).First(g => g.Count() == 2).OrderBy(l => l.ParentPin, StringComparer.Ordinal).ToList();
        await _db.Addresses.Where(a => a.Pin == link[1].ParentPin).ExecuteDeleteAsync();
        var registry = new EmbeddedPopulationRegistry(_db);

        var parents = await registry.GetParentsAsync(Pin.Parse(link[0].ChildPin, Clock), CancellationToken.None);

        Assert.Equal(link.Select(l => new RegistryParentLink(l.ParentPin, l.Relation)), parents.Value);
        Assert.True((await registry.GetRegisteredAddressAsync(Pin.Parse(link[0].ParentPin, Clock), CancellationToken.None)).IsFound);
        Assert.False((await registry.GetRegisteredAddressAsync(Pin.Parse(link[1].ParentPin, Clock), CancellationToken.None)).IsFound);
    }

    [Fact]
    public async Task Linked_children_are_the_registry_links_oldest_first()
    {
        var registry = new EmbeddedPopulationRegistry(_db);
        var persons = Tiny.Value.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
        foreach (var parentPin in Tiny.Value.ParentLinks.Select(l => l.ParentPin).Distinct().Take(100))
        {
            var children = await registry.GetLinkedChildrenAsync(Pin.Parse(parentPin, Clock), CancellationToken.None);

            var expected = Tiny.Value.ParentLinks.Where(l => l.ParentPin == parentPin)
                .Select(l => (Link: l, Child: persons[l.ChildPin]))
                .OrderBy(x => x.Child.BirthDate).ThenBy(x => x.Child.Pin, StringComparer.Ordinal)
                .Select(x => new RegistryLinkedChild(x.Child.Pin, x.Child.LastName, x.Child.FirstName, x.Child.Patronymic, x.Child.Sex, x.Child.BirthDate, x.Link.Relation));
            Assert.Equal(expected, children.Value);
        }
    }

    [Fact]
    public async Task Known_person_without_children_is_found_with_none_and_unknown_person_is_not_found()
    {
        var registry = new EmbeddedPopulationRegistry(_db);
        var childPin = Tiny.Value.ParentLinks[0].ChildPin;

        Assert.Empty((await registry.GetLinkedChildrenAsync(Pin.Parse(childPin, Clock), CancellationToken.None)).Value);
        var unknown = UnknownPin();
        Assert.False((await registry.FindPersonAsync(unknown, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetLinkedChildrenAsync(unknown, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetBirthCertificateAsync(unknown, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetPassportAsync(unknown, CancellationToken.None)).IsFound);
        Assert.False((await registry.GetRegisteredAddressAsync(unknown, CancellationToken.None)).IsFound);
    }

    [Fact]
    public async Task Child_without_birth_certificate_has_none_in_the_registry()
    {
        var registry = new EmbeddedPopulationRegistry(_db);
        var missing = Tiny.Value.Anomalies.ChildrenWithoutBirthCertificatePins;
        Assert.NotEmpty(missing);

        foreach (var pin in missing)
        {
            Assert.False((await registry.GetBirthCertificateAsync(Pin.Parse(pin, Clock), CancellationToken.None)).IsFound);
        }

        var withCertificate = Tiny.Value.Persons.First(p => p.BirthCertificateNumber is not null && Tiny.Value.ParentLinks.Any(l => l.ChildPin == p.Pin));
        Assert.Equal(withCertificate.BirthCertificateNumber, (await registry.GetBirthCertificateAsync(Pin.Parse(withCertificate.Pin, Clock), CancellationToken.None)).Value.Number);
    }

    [Fact]
    public async Task Parent_without_passport_has_none_in_the_registry()
    {
        var registry = new EmbeddedPopulationRegistry(_db);
        var missing = Tiny.Value.Anomalies.ParentsWithoutPassportPins;
        Assert.NotEmpty(missing);

        foreach (var pin in missing)
        {
            Assert.False((await registry.GetPassportAsync(Pin.Parse(pin, Clock), CancellationToken.None)).IsFound);
        }

        var withPassport = Tiny.Value.Persons.First(p => p.PassportNumber is not null);
        Assert.Equal(withPassport.PassportNumber, (await registry.GetPassportAsync(Pin.Parse(withPassport.Pin, Clock), CancellationToken.None)).Value.Number);
    }

    [Fact]
    public async Task Registered_address_is_as_spelled_in_the_registry()
    {
        var registry = new EmbeddedPopulationRegistry(_db);
        foreach (var a in Tiny.Value.Addresses.Take(100))
        {
            var address = await registry.GetRegisteredAddressAsync(Pin.Parse(a.Pin, Clock), CancellationToken.None);

            Assert.Equal(new RegistryAddress(a.SettlementCode, a.Street, a.House, a.Apartment, a.Latitude, a.Longitude), address.Value);
        }
    }

    [Fact]
    public async Task Linked_children_handler_refuses_a_malformed_pin_before_asking_the_registry()
    {
        var registry = new CountingRegistry(new EmbeddedPopulationRegistry(_db));
        var handler = new GetLinkedChildrenHandler(registry, Clock);

        var refused = await Assert.ThrowsAsync<InvalidPin>(async () => await handler.Handle(new GetLinkedChildren("1234"), CancellationToken.None));

        Assert.Equal("PIN_NOT_14_DIGITS", refused.Code);
        Assert.Equal(0, registry.Calls);
    }

    [Fact]
    public async Task Linked_children_handler_answers_none_for_an_unknown_parent()
    {
        var handler = new GetLinkedChildrenHandler(new EmbeddedPopulationRegistry(_db), Clock);

        Assert.Empty(await handler.Handle(new GetLinkedChildren(UnknownPin().Value), CancellationToken.None));
    }

    [Fact]
    public async Task Linked_children_handler_passes_REGISTRY_UNAVAILABLE_through()
    {
        var handler = new GetLinkedChildrenHandler(new UnavailableRegistry(), Clock);

        var refused = await Assert.ThrowsAsync<PopulationRegistryUnavailable>(async () =>
            await handler.Handle(new GetLinkedChildren(Tiny.Value.ParentLinks[0].ParentPin), CancellationToken.None));

        Assert.Equal(RegistryContracts.RegistryUnavailableCode, refused.Code);
    }

    private static Pin UnknownPin()
    {
        var known = Tiny.Value.Persons.Select(p => p.Pin).ToHashSet(StringComparer.Ordinal);
        return Pin.Parse(Enumerable.Range(0, 99_999).Select(i => $"20101190{i:000000}").First(p => !known.Contains(p)), Clock);
    }

    private sealed class CountingRegistry(IPopulationRegistry inner) : IPopulationRegistry
    {
        public int Calls { get; private set; }

        public Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct) { Calls++; return inner.FindPersonAsync(pin, ct); }

        public Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct) { Calls++; return inner.GetLinkedChildrenAsync(parentPin, ct); }

        public Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct) { Calls++; return inner.GetParentsAsync(childPin, ct); }

        public Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct) { Calls++; return inner.GetBirthCertificateAsync(childPin, ct); }

        public Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct) { Calls++; return inner.GetPassportAsync(pin, ct); }

        public Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct) { Calls++; return inner.GetRegisteredAddressAsync(pin, ct); }
    }

    private sealed class UnavailableRegistry : IPopulationRegistry
    {
        public Task<RegistryLookup<RegistryPerson>> FindPersonAsync(Pin pin, CancellationToken ct) => throw new PopulationRegistryUnavailable("test");

        public Task<RegistryLookup<IReadOnlyList<RegistryLinkedChild>>> GetLinkedChildrenAsync(Pin parentPin, CancellationToken ct) => throw new PopulationRegistryUnavailable("test");

        public Task<RegistryLookup<IReadOnlyList<RegistryParentLink>>> GetParentsAsync(Pin childPin, CancellationToken ct) => throw new PopulationRegistryUnavailable("test");

        public Task<RegistryLookup<RegistryDocument>> GetBirthCertificateAsync(Pin childPin, CancellationToken ct) => throw new PopulationRegistryUnavailable("test");

        public Task<RegistryLookup<RegistryDocument>> GetPassportAsync(Pin pin, CancellationToken ct) => throw new PopulationRegistryUnavailable("test");

        public Task<RegistryLookup<RegistryAddress>> GetRegisteredAddressAsync(Pin pin, CancellationToken ct) => throw new PopulationRegistryUnavailable("test");
    }
}

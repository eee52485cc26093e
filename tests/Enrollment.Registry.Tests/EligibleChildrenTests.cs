using System.Globalization;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Features;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Registry.Tests;

/// <summary>
/// <c>GetEligibleChildrenBySchool</c> on real SQLite with a population large enough to need several address batches; Schools'
/// <c>ResolveAddresses</c> is a fake that claims street "A" for S1, "B" for S2, "AB" for both and "X" for none.
/// </summary>
public sealed class EligibleChildrenTests : IAsyncLifetime, IDisposable
{
    private static readonly DateOnly From = new(2019, 1, 1);
    private static readonly DateOnly To = new(2020, 12, 31);
    private static readonly string[] Streets = ["A", "B", "AB", "X"];
    private const int Children = 30_000;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly FakeSchools _schools = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private RegistryDbContext _db = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = new RegistrySqliteDbContext(new DbContextOptionsBuilder<RegistrySqliteDbContext>().UseSqlite(_connection).Options);
        await _db.Database.EnsureCreatedAsync();
        var persons = new List<PersonRecord>();
        var addresses = new List<RegisteredAddressRecord>();
        for (var i = 0; i < Children + 300; i++)
        {
            // 30,000 eligible children (born 2019–2020), 200 too old (2017), 100 adults; two children per house, 15,000 addresses.
            var birth = i < Children ? From.AddDays(i % 730) : i < Children + 200 ? new DateOnly(2017, 5, 1) : new DateOnly(1990, 1, 1);
            var pin = "2" + birth.ToString("ddMMyyyy", CultureInfo.InvariantCulture) + i.ToString("00000", CultureInfo.InvariantCulture);
            persons.Add(new PersonRecord(pin, "Test", "Child", null, 'M', birth, null, null, null, null));
            if (i % 1000 != 999) // one in a thousand has no registered address
            {
                addresses.Add(new RegisteredAddressRecord(pin, "L1", Streets[i % 4], (i / 8).ToString(CultureInfo.InvariantCulture), null, null, null));
            }
        }

        await new SeedPopulationHandler(_db).Handle(new SeedPopulation(persons, addresses, [], []), CancellationToken.None);
        _db.ChangeTracker.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _db?.Dispose();
        _cache.Dispose();
        _connection.Dispose();
    }

    private async Task<IReadOnlyList<EligibleChildrenDto>> CountAsync(DateOnly from, DateOnly to) =>
        await new GetEligibleChildrenBySchoolHandler(_db, _schools, _cache).Handle(new GetEligibleChildrenBySchool(from, to), CancellationToken.None);

    [Fact]
    public async Task Children_are_counted_by_the_micro_district_schools_of_their_address_resolving_each_address_once_in_batches()
    {
        var counts = (await CountAsync(From, To)).ToDictionary(c => c.SchoolCode, c => c.Children);

        var withAddress = Enumerable.Range(0, Children).Where(i => i % 1000 != 999).ToList();
        int On(params string[] streets) => withAddress.Count(i => streets.Contains(Streets[i % 4]));
        Assert.Equal(On("A", "AB"), counts["S1"]);
        Assert.Equal(On("B", "AB"), counts["S2"]);
        Assert.Equal(On("X") + (Children - withAddress.Count), counts[""]); // unresolved and address-less children
        Assert.Equal(3, counts.Count);

        var distinctAddresses = withAddress.Select(i => (Streets[i % 4], i / 8)).Distinct().Count();
        Assert.Equal(distinctAddresses, _schools.Resolved);
        Assert.All(_schools.Batches, b => Assert.InRange(b, 1, GetEligibleChildrenBySchoolHandler.BatchSize));
        Assert.True(_schools.Batches.Count >= 2, "the population needs more than one batch");
    }

    [Fact]
    public async Task The_answer_is_kept_for_a_while_so_a_second_roll_up_does_not_resolve_again()
    {
        var first = await CountAsync(From, To);
        var calls = _schools.Batches.Count;
        var second = await CountAsync(From, To);
        Assert.Same(first, second);
        Assert.Equal(calls, _schools.Batches.Count);

        var older = await CountAsync(new DateOnly(2017, 1, 1), new DateOnly(2017, 12, 31)); // another range is its own answer
        Assert.Equal([("", 50), ("S1", 100), ("S2", 100)], older.Select(c => (c.SchoolCode, c.Children))); // 50 per street, "AB" counts for both
        Assert.True(_schools.Batches.Count > calls);
    }

    [Fact]
    public void A_range_that_ends_before_it_starts_or_spans_decades_is_refused()
    {
        var validator = new GetEligibleChildrenBySchoolValidator();
        var errors = new ValidationErrors();
        validator.Validate(new GetEligibleChildrenBySchool(To, From), errors);
        validator.Validate(new GetEligibleChildrenBySchool(new DateOnly(1990, 1, 1), To), errors);
        Assert.Equal(["OUT_OF_RANGE", "OUT_OF_RANGE"], errors.Items.Select(e => e.Code));
        var fine = new ValidationErrors();
        validator.Validate(new GetEligibleChildrenBySchool(From, To), fine);
        Assert.Empty(fine.Items);
    }

    private sealed class FakeSchools : ISender
    {
        public List<int> Batches { get; } = [];
        public int Resolved => Batches.Sum();

        public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default)
        {
            var batch = Assert.IsType<ResolveAddresses>(query);
            Batches.Add(batch.Addresses.Count);
            IReadOnlyList<AddressResolutionDto> result = [.. batch.Addresses.Select(a => Resolve(a.Street!))];
            return ValueTask.FromResult((TResponse)(object)result);
        }

        private static AddressResolutionDto Resolve(string street)
        {
            var schools = street switch { "A" => ["S1"], "B" => ["S2"], "AB" => ["S1", "S2"], _ => Array.Empty<string>() };
            return new AddressResolutionDto(schools.Length > 0 ? AddressResolutionOutcome.Matched : AddressResolutionOutcome.NoMatchingRule, street, null,
                [.. schools.Select(s => new MicrodistrictMatchDto(s, "Rule", null, street, "*", "test"))]);
        }

        public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

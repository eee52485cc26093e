using Enrollment.BuildingBlocks.Validation;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Registry.Features;

/// <summary>
/// Eligible children per micro-district school of their registered address, for the Quotas roll-ups. Reads the
/// children born in the range with their addresses in one query, resolves each <em>distinct</em> address once through
/// the Schools Contracts (<see cref="ResolveAddresses"/>, in batches of <see cref="BatchSize"/>), and keeps the answer
/// for <see cref="CacheFor"/> (the national demo: ~250,000 children, a few seconds to compute). A child whose address two
/// schools claim counts for both; a child without an address, or whose address no micro-district claims, counts under "".
/// </summary>
internal sealed class GetEligibleChildrenBySchoolHandler(RegistryDbContext db, ISender sender, IMemoryCache cache)
    : IQueryHandler<GetEligibleChildrenBySchool, IReadOnlyList<EligibleChildrenDto>>
{
    public const int BatchSize = 10_000;
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    // One computation at a time per process: concurrent roll-ups wait for the first one and then read its cached answer.
    private static readonly SemaphoreSlim Computing = new(1, 1);

    public async ValueTask<IReadOnlyList<EligibleChildrenDto>> Handle(GetEligibleChildrenBySchool query, CancellationToken ct)
    {
        var key = (nameof(GetEligibleChildrenBySchool), query.BirthFrom, query.BirthTo);
        if (cache.TryGetValue(key, out IReadOnlyList<EligibleChildrenDto>? cached) && cached is not null)
        {
            return cached;
        }

        await Computing.WaitAsync(ct);
        try
        {
            if (cache.TryGetValue(key, out cached) && cached is not null)
            {
                return cached;
            }

            var result = await ComputeAsync(query.BirthFrom, query.BirthTo, ct);
            cache.Set(key, result, CacheFor);
            return result;
        }
        finally
        {
            Computing.Release();
        }
    }

    private async Task<IReadOnlyList<EligibleChildrenDto>> ComputeAsync(DateOnly birthFrom, DateOnly birthTo, CancellationToken ct)
    {
        var children = await db.Persons.AsNoTracking().CountAsync(p => p.BirthDate >= birthFrom && p.BirthDate <= birthTo, ct);
        var addresses = await (
                from p in db.Persons.AsNoTracking()
                where p.BirthDate >= birthFrom && p.BirthDate <= birthTo
                join a in db.Addresses.AsNoTracking() on p.Pin equals a.Pin
                group a by new { a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude } into g
                select new { g.Key.SettlementCode, g.Key.Street, g.Key.House, g.Key.Latitude, g.Key.Longitude, Children = g.Count() })
            .ToListAsync(ct);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [""] = children - addresses.Sum(a => a.Children) };
        for (var start = 0; start < addresses.Count; start += BatchSize)
        {
            var batch = addresses.Skip(start).Take(BatchSize).ToList();
            var resolved = await sender.Send(
                new ResolveAddresses([.. batch.Select(a => new AddressDto(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude))]), ct);
            for (var i = 0; i < batch.Count; i++)
            {
                var schools = resolved[i].Matches.Select(m => m.SchoolCode).Distinct(StringComparer.Ordinal).ToList();
                foreach (var school in schools.Count == 0 ? [""] : schools)
                {
                    counts[school] = counts.GetValueOrDefault(school) + batch[i].Children;
                }
            }
        }

        return [.. counts.Where(c => c.Value > 0).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new EligibleChildrenDto(c.Key, c.Value))];
    }
}

internal sealed class GetEligibleChildrenBySchoolValidator : IValidator<GetEligibleChildrenBySchool>
{
    public void Validate(GetEligibleChildrenBySchool message, ValidationErrors errors)
    {
        if (message.BirthFrom > message.BirthTo)
        {
            errors.Add("birthTo", "OUT_OF_RANGE", "The birth-date range must end on or after its start.");
        }
        else if (message.BirthTo.DayNumber - message.BirthFrom.DayNumber > 3660)
        {
            errors.Add("birthTo", "OUT_OF_RANGE", "At most ten years of birth dates.");
        }
    }
}

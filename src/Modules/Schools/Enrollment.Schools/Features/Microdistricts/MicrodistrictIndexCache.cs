using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.Features.Microdistricts;

/// <summary>
/// The resolution index of this process, built from the database on first use and rebuilt after
/// <see cref="Invalidate"/> (every change to schools, rules, polygons or aliases calls it after saving).
/// Readers share the built index without locking; right after an invalidation the next reader builds the new one
/// (one at a time), so a saved change is visible to the next resolution in this process.
/// </summary>
internal sealed class MicrodistrictIndexCache(IServiceScopeFactory scopes) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MicrodistrictSnapshot? _current;
    private long _revision;

    public void Dispose() => _gate.Dispose();

    public void Invalidate()
    {
        Interlocked.Increment(ref _revision);
        Volatile.Write(ref _current, null);
    }

    public async ValueTask<MicrodistrictSnapshot> GetAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null)
        {
            return current;
        }

        await _gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                current = Volatile.Read(ref _current);
                if (current is not null)
                {
                    return current;
                }

                var revision = Interlocked.Read(ref _revision);
                var built = await BuildAsync(revision, ct);
                if (Interlocked.Read(ref _revision) == revision)
                {
                    Volatile.Write(ref _current, built);
                    return built;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MicrodistrictSnapshot> BuildAsync(long revision, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();
        var schools = await db.Schools.AsNoTracking().Where(s => s.ParticipatesInEnrollment).ToListAsync(ct);
        var rules = await db.MicrodistrictRules.AsNoTracking().ToListAsync(ct);
        var polygons = await db.MicrodistrictPolygons.AsNoTracking().ToListAsync(ct);
        var aliases = await db.StreetAliases.AsNoTracking().ToListAsync(ct);
        return MicrodistrictIndexBuilder.Build(schools, rules, polygons, aliases, revision);
    }
}

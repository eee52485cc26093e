using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.Features.Microdistricts;

/// <summary>
/// The resolution index of this process, built from the database on first use and rebuilt after
/// <see cref="Invalidate"/> (every change to schools, rules, polygons or aliases calls it after saving).
/// Readers share the built index without locking; right after an invalidation the next reader builds the new one
/// (one at a time), so a saved change is visible to the next resolution in this process.
/// <para>
/// Other hosts on the same database: every such change also bumps the one-row index stamp in the same transaction
/// (<see cref="SchoolsDbContext.SaveChangesAsync(bool, CancellationToken)"/>). At most every
/// <c>Schools:IndexStampCheckInterval</c> (default 5 s; 0 checks before every resolution) one reader compares the
/// stamp with the one the index was built from and rebuilds on a difference; the others keep using the index meanwhile.
/// </para>
/// </summary>
internal sealed class MicrodistrictIndexCache : IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly long _checkIntervalMs;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Entry? _current;
    private long _revision;
    private long _nextCheck;
    private int _checking;

    public MicrodistrictIndexCache(IServiceScopeFactory scopes, IConfiguration configuration)
    {
        _scopes = scopes;
        var interval = configuration.GetValue("Schools:IndexStampCheckInterval", TimeSpan.FromSeconds(5));
        _checkIntervalMs = (long)Math.Max(0, interval.TotalMilliseconds);
    }

    private sealed record Entry(MicrodistrictSnapshot Snapshot, long Stamp);

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
            if (Environment.TickCount64 < Volatile.Read(ref _nextCheck) || Interlocked.CompareExchange(ref _checking, 1, 0) != 0)
            {
                return current.Snapshot;
            }

            try
            {
                long stamp;
                try
                {
                    stamp = await ReadStampAsync(ct);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    // The database is unreachable for a moment: keep resolving with the index we have, ask again later.
                    Volatile.Write(ref _nextCheck, Environment.TickCount64 + _checkIntervalMs);
                    return current.Snapshot;
                }

                Volatile.Write(ref _nextCheck, Environment.TickCount64 + _checkIntervalMs);
                if (stamp == current.Stamp)
                {
                    return current.Snapshot;
                }

                // Changed on another host (or by a change this host has not invalidated for): rebuild.
                Interlocked.CompareExchange(ref _current, null, current);
                Interlocked.Increment(ref _revision);
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        }

        await _gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                current = Volatile.Read(ref _current);
                if (current is not null)
                {
                    return current.Snapshot;
                }

                var revision = Interlocked.Read(ref _revision);
                var built = await BuildAsync(revision, ct);
                if (Interlocked.Read(ref _revision) == revision)
                {
                    Volatile.Write(ref _nextCheck, Environment.TickCount64 + _checkIntervalMs);
                    Volatile.Write(ref _current, built);
                    return built.Snapshot;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> ReadStampAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SchoolsDbContext>().IndexStampAsync(ct);
    }

    private async Task<Entry> BuildAsync(long revision, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();

        // The stamp is read first: a change committed while the data is read makes the stamp look older than the
        // data, which costs at most one extra rebuild, never a missed change.
        var stamp = await db.IndexStampAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.ParticipatesInEnrollment).ToListAsync(ct);
        var rules = await db.MicrodistrictRules.AsNoTracking().ToListAsync(ct);
        var polygons = await db.MicrodistrictPolygons.AsNoTracking().ToListAsync(ct);
        var aliases = await db.StreetAliases.AsNoTracking().ToListAsync(ct);
        return new Entry(MicrodistrictIndexBuilder.Build(schools, rules, polygons, aliases, revision), stamp);
    }
}

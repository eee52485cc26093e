using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Host.GraphQL;

/// <summary>
/// Caches the parsed document of a query text (docs/adr/0803-graphql-document-cache.md): parsing is skipped for a text
/// already seen, validation is not — the executer validates the cached document for every request with that request's
/// user and rules (authorization, GET-only-queries, depth, complexity, aliases), so the answer never depends on who sent
/// the text first. Only documents that passed validation once are stored, so unparsable or invalid texts cost nothing
/// here. Bounded: the cache holds at most <see cref="GraphQLLimits.DocumentCacheChars"/> characters of query text
/// (each entry's size is its text length); an entry that does not fit is simply not stored, and the least recently used
/// entries are compacted away, so a caller sending unique texts cannot grow it.
/// </summary>
internal sealed class DocumentCache : IConfigureExecution, IDisposable
{
    private readonly MemoryCache _cache;
    private long _hits;
    private long _misses;

    public DocumentCache(GraphQLLimits limits)
    {
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = Math.Max(1, limits.DocumentCacheChars),
            CompactionPercentage = 0.25,
            TrackStatistics = true,
        });
    }

    /// <summary>After the transport (persisted operations are resolved by the endpoint), before anything else.</summary>
    public float SortOrder => 200;

    /// <summary>Requests whose document came from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests that were parsed.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Documents held now.</summary>
    public int Count => _cache.Count;

    /// <summary>Characters of query text held now (never above the limit).</summary>
    public long Size => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { Length: > 0 } query)
        {
            return await next(options);
        }

        if (_cache.TryGetValue(query, out GraphQLDocument? cached) && cached is not null)
        {
            Interlocked.Increment(ref _hits);
            options.Document = cached;
            return await next(options);
        }

        Interlocked.Increment(ref _misses);
        var result = await next(options);
        // Executed: the text parsed and validated for this caller. Another caller's validation still runs on it.
        if (result.Executed && result.Document is { } document)
        {
            _cache.Set(query, document, new MemoryCacheEntryOptions { Size = Math.Max(1, query.Length) });
        }

        return result;
    }

    public void Dispose() => _cache.Dispose();
}

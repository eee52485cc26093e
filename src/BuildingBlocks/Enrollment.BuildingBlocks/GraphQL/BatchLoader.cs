using GraphQL.DataLoader;

namespace Enrollment.BuildingBlocks.GraphQL;

/// <summary>
/// Collects the keys that sibling resolvers ask for and fetches them in one batch when GraphQL.NET's execution
/// strategy resolves the pending <see cref="IDataLoaderResult"/>s (GraphQL.DataLoader is not available here).
/// Register a subclass as scoped: its cache lives for one request. Thread-safe, because resolvers may run in
/// parallel. Use it for lists that show data of another module (send a batch Contracts query such as
/// <c>GetSchoolsByCodes</c>) instead of one query per row.
/// </summary>
public abstract class BatchLoader<TKey, TValue> where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, TValue?> _cache = [];
    private HashSet<TKey> _pending = [];
    private Task? _running;

    /// <summary>Fetches many keys at once; keys missing from the answer resolve to <c>default</c>.</summary>
    protected abstract Task<IReadOnlyDictionary<TKey, TValue>> FetchAsync(IReadOnlyCollection<TKey> keys, CancellationToken cancellationToken);

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_cache.ContainsKey(key))
            {
                _pending.Add(key);
            }
        }

        return new Result(this, key);
    }

    private async Task<TValue?> ResolveAsync(TKey key, CancellationToken cancellationToken)
    {
        Task? batch;
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            if (_running is null || _running.IsCompleted)
            {
                var keys = _pending;
                _pending = [];
                keys.ExceptWith(_cache.Keys);
                keys.Add(key);
                _running = RunBatchAsync(keys, cancellationToken);
            }

            batch = _running;
        }

        await batch;
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var value))
            {
                return value;
            }
        }

        // The key arrived while another batch was in flight: fetch it (and anything else pending) now.
        return await ResolveAsync(key, cancellationToken);
    }

    private async Task RunBatchAsync(HashSet<TKey> keys, CancellationToken cancellationToken)
    {
        var found = await FetchAsync(keys, cancellationToken);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                _cache[key] = found.TryGetValue(key, out var value) ? value : default;
            }
        }
    }

    private sealed class Result(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => loader.ResolveAsync(key, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

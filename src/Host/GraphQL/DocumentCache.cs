using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQL.Validation.Rules;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Host.GraphQL;

/// <summary>
/// Caches the parsed document of a query text (docs/adr/0803-graphql-document-cache.md): parsing is skipped for a text
/// already seen, and so are the validation rules whose answer depends on nothing but the text and the schema
/// (<see cref="DocumentOnlyRules"/>: the specification's static rules, the alias limit) — the text passed them when it
/// was stored. Every rule that depends on the request still runs for every request with that request's user, method and
/// variables (authorization, GET-only-queries, depth and complexity, argument lengths and validators, the coercion of the
/// variables), so the answer never depends on who sent the text first. Only documents that passed validation once are
/// stored, so unparsable or invalid texts cost nothing here. Bounded: the cache holds at most <see cref="GraphQLLimits.DocumentCacheChars"/> characters of query text
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
            options.ValidationRules = RequestRules(options.ValidationRules ?? DocumentValidator.CoreRules);
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

    /// <summary>
    /// The rules of <paramref name="rules"/> a cached document still needs: all but <see cref="DocumentOnlyRules"/>.
    /// Every request's rule list holds the specification's rules and the alias limit (the endpoint and the GraphQL setup
    /// only ever add to them), so the stored text passed those when it was first executed.
    /// </summary>
    internal static IEnumerable<IValidationRule> RequestRules(IEnumerable<IValidationRule> rules) =>
        [.. rules.Where(rule => !DocumentOnlyRules.Contains(rule.GetType()))];

    /// <summary>
    /// Rules whose answer is a function of the document and the schema alone: they read neither the user, the method, the
    /// variables nor anything else of the request (an allow-list: a rule not named here — ours, the complexity analyzer,
    /// the specification's rules that read variable values such as argument lengths and argument validators — runs for
    /// every request). On the opening morning they were ≈ 3 % of the host's CPU (docs/benchmarks.md).
    /// </summary>
    internal static readonly IReadOnlySet<Type> DocumentOnlyRules = new HashSet<Type>
    {
        typeof(UniqueOperationNames), typeof(LoneAnonymousOperation), typeof(SingleRootFieldSubscriptions), typeof(KnownTypeNames),
        typeof(FragmentsOnCompositeTypes), typeof(VariablesAreInputTypes), typeof(ScalarLeafs), typeof(FieldsOnCorrectType),
        typeof(UniqueFragmentNames), typeof(KnownFragmentNames), typeof(NoUnusedFragments), typeof(PossibleFragmentSpreads),
        typeof(NoFragmentCycles), typeof(NoUndefinedVariables), typeof(NoUnusedVariables), typeof(UniqueVariableNames),
        typeof(KnownDirectivesInAllowedLocations), typeof(UniqueDirectivesPerLocation), typeof(KnownArgumentNames), typeof(UniqueArgumentNames),
        typeof(ArgumentsOfCorrectType), typeof(ProvidedNonNullArguments), typeof(DefaultValuesOfCorrectType), typeof(VariablesInAllowedPosition),
        typeof(UniqueInputFieldNames), typeof(OverlappingFieldsCanBeMerged), typeof(AliasLimitRule),
    };

    public void Dispose() => _cache.Dispose();
}

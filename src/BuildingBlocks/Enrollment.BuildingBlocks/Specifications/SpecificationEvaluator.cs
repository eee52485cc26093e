using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.BuildingBlocks.Specifications;

/// <summary>
/// Applies an Ardalis.Specification (core package) to an EF Core query: where, search (LIKE, parameterised),
/// includes, order, paging, tracking, query filters, split query, tags and projection.
/// The EF evaluator package is not available here; this is the small replacement (docs/adr/0004).
/// </summary>
public static class SpecificationEvaluator
{
    public static IQueryable<T> Apply<T>(IQueryable<T> query, ISpecification<T> spec, bool criteriaOnly = false)
        where T : class
    {
        query = WhereEvaluator.Instance.GetQuery(query, spec);
        query = ApplySearch(query, spec);
        if (criteriaOnly)
        {
            return query;
        }

        foreach (var include in spec.IncludeStrings)
        {
            query = query.Include(include);
        }

        query = ApplyIncludes(query, spec);
        query = OrderEvaluator.Instance.GetQuery(query, spec);
        query = PaginationEvaluator.Instance.GetQuery(query, spec);

        if (spec.AsNoTracking) query = query.AsNoTracking();
        else if (spec.AsNoTrackingWithIdentityResolution) query = query.AsNoTrackingWithIdentityResolution();
        else if (spec.AsTracking) query = query.AsTracking();
        if (spec.IgnoreQueryFilters) query = query.IgnoreQueryFilters();
        if (spec.IgnoreAutoIncludes) query = query.IgnoreAutoIncludes();
        if (spec.AsSplitQuery) query = query.AsSplitQuery();
        foreach (var tag in spec.QueryTags) query = query.TagWith(tag);
        return query;
    }

    public static IQueryable<TResult> Apply<T, TResult>(IQueryable<T> query, ISpecification<T, TResult> spec)
        where T : class
    {
        var filtered = Apply(query, (ISpecification<T>)spec);
        if (spec.Selector is not null) return filtered.Select(spec.Selector);
        if (spec.SelectorMany is not null) return filtered.SelectMany(spec.SelectorMany);
        throw new InvalidOperationException($"Specification {spec.GetType().Name} has no selector.");
    }

    private static IQueryable<T> ApplySearch<T>(IQueryable<T> query, ISpecification<T> spec)
    {
        foreach (var group in spec.SearchCriterias.GroupBy(c => c.SearchGroup).OrderBy(g => g.Key))
        {
            var parameter = Expression.Parameter(typeof(T), "x");
            Expression? any = null;
            foreach (var criterion in group)
            {
                var selector = ParameterReplacer.Replace(criterion.Selector, parameter);
                // Capture the term in a closure so EF sends it as a parameter, never inlined into SQL.
                var term = new SearchTerm(criterion.SearchTerm);
                var termExpression = Expression.Property(Expression.Constant(term), nameof(SearchTerm.Value));
                var like = Expression.Call(LikeMethod, Expression.Constant(EF.Functions), selector, termExpression);
                any = any is null ? like : Expression.OrElse(any, like);
            }

            if (any is not null)
            {
                query = query.Where(Expression.Lambda<Func<T, bool>>(any, parameter));
            }
        }

        return query;
    }

    private static IQueryable<T> ApplyIncludes<T>(IQueryable<T> query, ISpecification<T> spec) where T : class
    {
        IQueryable current = query;
        foreach (var info in spec.IncludeExpressions)
        {
            current = info.Type == IncludeTypeEnum.Include
                ? IncludeOf(typeof(T), info.LambdaExpression.ReturnType)(current, info.LambdaExpression)
                : ThenIncludeOf(typeof(T), info.PreviousPropertyType!, info.LambdaExpression.ReturnType)(current, info.LambdaExpression);
        }

        return (IQueryable<T>)current;
    }

    private static readonly MethodInfo LikeMethod = typeof(DbFunctionsExtensions)
        .GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string)])!;

    private static readonly ConcurrentDictionary<(Type, Type), Func<IQueryable, LambdaExpression, IQueryable>> IncludeCache = new();
    private static readonly ConcurrentDictionary<(Type, Type, Type), Func<IQueryable, LambdaExpression, IQueryable>> ThenIncludeCache = new();

    private static Func<IQueryable, LambdaExpression, IQueryable> IncludeOf(Type entity, Type property) =>
        IncludeCache.GetOrAdd((entity, property), key =>
        {
            var method = typeof(EntityFrameworkQueryableExtensions).GetMethods()
                .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.Include)
                             && m.GetParameters()[1].ParameterType != typeof(string))
                .MakeGenericMethod(key.Item1, key.Item2);
            return (q, l) => (IQueryable)method.Invoke(null, [q, l])!;
        });

    private static Func<IQueryable, LambdaExpression, IQueryable> ThenIncludeOf(Type entity, Type previous, Type property) =>
        ThenIncludeCache.GetOrAdd((entity, previous, property), key =>
        {
            var previousIsCollection = key.Item2.IsGenericType
                && key.Item2.GetInterfaces().Append(key.Item2).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                && key.Item2 != typeof(string);
            var method = typeof(EntityFrameworkQueryableExtensions).GetMethods()
                .Where(m => m.Name == nameof(EntityFrameworkQueryableExtensions.ThenInclude))
                .Single(m =>
                {
                    var includable = m.GetParameters()[0].ParameterType.GetGenericArguments()[1];
                    return previousIsCollection == (includable.IsGenericType && includable.GetGenericTypeDefinition() == typeof(IEnumerable<>));
                });
            var previousArgument = previousIsCollection
                ? key.Item2.GetInterfaces().Append(key.Item2).First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)).GetGenericArguments()[0]
                : key.Item2;
            var generic = method.MakeGenericMethod(key.Item1, previousArgument, key.Item3);
            return (q, l) => (IQueryable)generic.Invoke(null, [q, l])!;
        });

    private sealed class SearchTerm(string value)
    {
        public string Value { get; } = value;
    }

    private sealed class ParameterReplacer(ParameterExpression parameter) : ExpressionVisitor
    {
        public static Expression Replace(LambdaExpression lambda, ParameterExpression parameter) =>
            new ParameterReplacer(parameter).Visit(lambda.Body);

        protected override Expression VisitParameter(ParameterExpression node) => parameter;
    }
}

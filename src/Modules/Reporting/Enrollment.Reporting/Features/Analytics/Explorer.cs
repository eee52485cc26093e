using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Filtering;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.Registry.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features.Analytics;

internal sealed record OrderBy(string Field, bool Descending);

internal sealed record Measure(string Op, string? Field)
{
    public string Label => Field is null ? Op : $"{Op}({Field})";
}

internal sealed record FactPage<T>(IReadOnlyList<T> Nodes, int TotalCount, string? EndCursor, bool HasNextPage);

internal sealed record AggregateRow(IReadOnlyList<string?> Key, int Count, IReadOnlyList<long?> Sums);

/// <summary>
/// Grouped rows; <paramref name="SuppressedGroups"/> groups of fewer than <see cref="Explorer.MinimumGroup"/> children were
/// left out (for analysts), so no child can be singled out.
/// </summary>
internal sealed record AggregateResult(IReadOnlyList<string> GroupBy, IReadOnlyList<string> Measures, IReadOnlyList<AggregateRow> Rows, int SuppressedGroups);

/// <summary>
/// Ad-hoc queries over a fact table: <c>where</c> (BuildingBlocks' filter language, translated to EF expressions),
/// <c>order</c>, offset-cursor paging with a total, and <c>aggregate(groupBy, measures)</c> translated to SQL GROUP BY.
/// Every input is bounded: page size, filter depth/conditions, number of groups, measures and sort keys.
/// </summary>
internal static class Explorer
{
    public const int MinimumGroup = 5;
    public const int MaxGroupBy = 4;
    public const int MaxMeasures = 4;
    public const int MaxOrder = 3;
    public const int MaxGroups = 5000;
    public static readonly FilterLimits Limits = new(MaxDepth: 4, MaxConditions: 20, MaxInValues: 100, MaxStringLength: 100);

    public static IQueryable<T> Filter<T>(IQueryable<T> source, Catalog<T> catalog, JsonElement? where) => source.Where(where, catalog.Filter, Limits);

    public static async Task<FactPage<T>> PageAsync<T>(IQueryable<T> filtered, Catalog<T> catalog, IReadOnlyList<OrderBy> order, int first, string? after,
        CancellationToken ct)
    {
        if (first is < 1 or > Cursor.MaxPageSize)
        {
            throw new RuleViolation("PAGE_SIZE_OUT_OF_RANGE", $"first must be between 1 and {Cursor.MaxPageSize}.");
        }

        if (!Cursor.TryDecode(after, out var offset))
        {
            throw new RuleViolation("BAD_CURSOR", "The 'after' cursor is not one this API issued.");
        }

        if (order.Count > MaxOrder)
        {
            throw new RuleViolation("ORDER_TOO_COMPLEX", $"At most {MaxOrder} sort keys.");
        }

        var total = await filtered.CountAsync(ct);
        IOrderedQueryable<T>? ordered = null;
        foreach (var o in order)
        {
            var field = catalog.Find(o.Field) ?? throw new RuleViolation("ORDER_INVALID", $"Unknown field {o.Field} in order.");
            ordered = ApplyOrder(ordered ?? (IQueryable<T>)filtered, field.Selector, o.Descending, ordered is not null);
        }

        ordered = ApplyOrder(ordered ?? filtered, catalog.TieBreak, false, ordered is not null);
        var nodes = await ordered.Skip(offset).Take(first).ToListAsync(ct);
        var end = offset + nodes.Count;
        return new FactPage<T>(nodes, total, nodes.Count > 0 ? Cursor.Encode(end) : null, end < total);
    }

    public static async Task<AggregateResult> AggregateAsync<T>(IQueryable<T> filtered, Catalog<T> catalog, IReadOnlyList<string> groupBy,
        IReadOnlyList<Measure> measures, bool suppressSmallGroups, CancellationToken ct)
    {
        if (groupBy.Count > MaxGroupBy || groupBy.Distinct().Count() != groupBy.Count)
        {
            throw new RuleViolation("AGGREGATE_TOO_COMPLEX", $"Group by at most {MaxGroupBy} different fields.");
        }

        if (measures.Count > MaxMeasures)
        {
            throw new RuleViolation("AGGREGATE_TOO_COMPLEX", $"At most {MaxMeasures} measures.");
        }

        var dims = groupBy.Select(name => catalog.Find(name) is { Groupable: true } f ? f
            : throw new RuleViolation("AGGREGATE_INVALID", $"{name} cannot be grouped by.")).ToList();
        var sums = measures.Where(m => m.Op == "SUM").Select(m => m.Field is { } name && catalog.Find(name) is { Summable: true } f ? f
            : throw new RuleViolation("AGGREGATE_INVALID", $"sum needs a numeric field ({m.Field ?? "none"}).")).ToList();

        var row = Expression.Parameter(typeof(T), "x");
        var bindings = new List<MemberBinding>();
        var slots = new List<PropertyInfo>();
        var used = new Dictionary<Type, int>();
        foreach (var dim in dims)
        {
            var type = Nullable.GetUnderlyingType(dim.Type) ?? dim.Type;
            var slot = GroupKey.Slot(type, used.GetValueOrDefault(type));
            used[type] = used.GetValueOrDefault(type) + 1;
            slots.Add(slot);
            bindings.Add(Expression.Bind(slot, Expression.Convert(Body(dim.Selector, row), slot.PropertyType)));
        }

        var keyLambda = Expression.Lambda(Expression.MemberInit(Expression.New(typeof(GroupKey)), bindings), row);
        var groupType = typeof(IGrouping<,>).MakeGenericType(typeof(GroupKey), typeof(T));
        var grouped = filtered.Provider.CreateQuery(Expression.Call(typeof(Queryable), nameof(Queryable.GroupBy), [typeof(T), typeof(GroupKey)],
            filtered.Expression, Expression.Quote(keyLambda)));

        var g = Expression.Parameter(groupType, "g");
        var resultBindings = new List<MemberBinding>
        {
            Expression.Bind(typeof(GroupResult).GetProperty(nameof(GroupResult.Key))!, Expression.Property(g, "Key")),
            Expression.Bind(typeof(GroupResult).GetProperty(nameof(GroupResult.Count))!, Expression.Call(typeof(Enumerable), nameof(Enumerable.Count), [typeof(T)], g)),
        };
        for (var i = 0; i < sums.Count; i++)
        {
            var x = Expression.Parameter(typeof(T), "s");
            var value = Expression.Lambda<Func<T, long?>>(Expression.Convert(Body(sums[i].Selector, x), typeof(long?)), x);
            resultBindings.Add(Expression.Bind(typeof(GroupResult).GetProperty("Sum" + i)!,
                Expression.Call(typeof(Enumerable), nameof(Enumerable.Sum), [typeof(T)], g, value)));
        }

        var select = Expression.Lambda(Expression.MemberInit(Expression.New(typeof(GroupResult)), resultBindings), g);
        var results = (IQueryable<GroupResult>)grouped.Provider.CreateQuery<GroupResult>(
            Expression.Call(typeof(Queryable), nameof(Queryable.Select), [groupType, typeof(GroupResult)], grouped.Expression, Expression.Quote(select)));
        var list = await results.Take(MaxGroups + 1).ToListAsync(ct);
        if (list.Count > MaxGroups)
        {
            throw new RuleViolation("AGGREGATE_TOO_MANY_GROUPS", $"More than {MaxGroups} groups: filter or group by fewer fields.");
        }

        var rows = new List<AggregateRow>();
        var suppressed = 0;
        foreach (var r in list)
        {
            if (suppressSmallGroups && r.Count < MinimumGroup)
            {
                suppressed++;
                continue;
            }

            var sumValues = new List<long?>();
            var next = 0;
            foreach (var m in measures)
            {
                sumValues.Add(m.Op == "SUM" ? r.Sum(next++) : r.Count);
            }

            rows.Add(new AggregateRow([.. slots.Select(s => Format(s.GetValue(r.Key)))], r.Count, sumValues));
        }

        var ordered = rows.OrderBy(r => string.Join('\u0001', r.Key), StringComparer.Ordinal).ToList();
        return new AggregateResult(groupBy, [.. measures.Select(m => m.Label)], ordered, suppressed);
    }

    private static Expression Body(LambdaExpression selector, ParameterExpression parameter) =>
        new Rebind(selector.Parameters[0], parameter).Visit(selector.Body);

    private static IOrderedQueryable<T> ApplyOrder<T>(IQueryable<T> source, LambdaExpression selector, bool descending, bool then)
    {
        var method = (then, descending) switch
        {
            (false, false) => nameof(Queryable.OrderBy),
            (false, true) => nameof(Queryable.OrderByDescending),
            (true, false) => nameof(Queryable.ThenBy),
            _ => nameof(Queryable.ThenByDescending),
        };
        return (IOrderedQueryable<T>)source.Provider.CreateQuery<T>(Expression.Call(typeof(Queryable), method, [typeof(T), selector.ReturnType],
            source.Expression, Expression.Quote(selector)));
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>Typed slots for up to four grouping fields per type (EF groups by a member-init of this class).</summary>
internal sealed class GroupKey
{
    public string? S0 { get; init; }
    public string? S1 { get; init; }
    public string? S2 { get; init; }
    public string? S3 { get; init; }
    public int? I0 { get; init; }
    public int? I1 { get; init; }
    public int? I2 { get; init; }
    public int? I3 { get; init; }
    public bool? B0 { get; init; }
    public bool? B1 { get; init; }
    public bool? B2 { get; init; }
    public bool? B3 { get; init; }
    public DateOnly? D0 { get; init; }
    public DateOnly? D1 { get; init; }
    public DateOnly? D2 { get; init; }
    public DateOnly? D3 { get; init; }
    public ApplicationStatus? E0 { get; init; }

    public static PropertyInfo Slot(Type type, int index)
    {
        var prefix = type == typeof(string) ? "S" : type == typeof(int) ? "I" : type == typeof(bool) ? "B" : type == typeof(DateOnly) ? "D"
            : type == typeof(ApplicationStatus) ? "E" : throw new RuleViolation("AGGREGATE_INVALID", $"Cannot group by a {type.Name}.");
        return typeof(GroupKey).GetProperty(prefix + index) ?? throw new RuleViolation("AGGREGATE_TOO_COMPLEX", "Too many fields of one kind in groupBy.");
    }
}

internal sealed class GroupResult
{
    public GroupKey Key { get; init; } = null!;
    public int Count { get; init; }
    public long? Sum0 { get; init; }
    public long? Sum1 { get; init; }
    public long? Sum2 { get; init; }
    public long? Sum3 { get; init; }

    public long? Sum(int i) => i switch { 0 => Sum0, 1 => Sum1, 2 => Sum2, _ => Sum3 };
}

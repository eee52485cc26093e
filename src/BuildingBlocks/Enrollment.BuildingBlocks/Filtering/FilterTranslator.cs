using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;

namespace Enrollment.BuildingBlocks.Filtering;

/// <summary>Limits of one filter: nesting of and/or, number of conditions, size of an <c>in</c> list.</summary>
public sealed record FilterLimits(int MaxDepth = 5, int MaxConditions = 30, int MaxInValues = 100, int MaxStringLength = 200)
{
    public static readonly FilterLimits Default = new();
}

/// <summary>
/// The fields of <typeparamref name="T"/> a client may filter on, by public name. Only these are reachable: a
/// filter can never name a column that is not listed (personal data stays out by construction).
/// </summary>
public sealed class FilterSchema<T>
{
    private readonly Dictionary<string, LambdaExpression> _fields = new(StringComparer.Ordinal);

    public FilterSchema<T> Field<TValue>(string name, Expression<Func<T, TValue>> selector)
    {
        _fields.Add(name, selector);
        return this;
    }

    public IReadOnlyCollection<string> FieldNames => _fields.Keys;

    internal bool TryGet(string name, out LambdaExpression selector) => _fields.TryGetValue(name, out selector!);
}

/// <summary>
/// Translates a <c>where</c> object — <c>{ field: { eq | neq | in | gt | gte | lt | lte | contains: value }, and: [...],
/// or: [...] }</c>, several keys AND-ed — into an expression EF Core turns into parameterised SQL. Never builds SQL
/// text. Every malformed filter is a <see cref="RuleViolation"/> with code FILTER_INVALID, FILTER_TOO_DEEP or
/// FILTER_TOO_COMPLEX; nothing else escapes.
/// </summary>
public static class FilterTranslator
{
    public static Expression<Func<T, bool>> Translate<T>(JsonElement where, FilterSchema<T> schema, FilterLimits? limits = null)
    {
        var context = new Context<T>(schema, limits ?? FilterLimits.Default, Expression.Parameter(typeof(T), "x"));
        var body = context.Object(where, depth: 1, path: "where");
        return Expression.Lambda<Func<T, bool>>(body, context.Parameter);
    }

    public static IQueryable<T> Where<T>(this IQueryable<T> query, JsonElement? where, FilterSchema<T> schema, FilterLimits? limits = null) =>
        where is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } w ? query.Where(Translate(w, schema, limits)) : query;

    private sealed class Context<T>(FilterSchema<T> schema, FilterLimits limits, ParameterExpression parameter)
    {
        private int _conditions;

        public ParameterExpression Parameter => parameter;

        public Expression Object(JsonElement element, int depth, string path)
        {
            if (depth > limits.MaxDepth)
            {
                throw new RuleViolation("FILTER_TOO_DEEP", $"Filters may nest at most {limits.MaxDepth} levels ({path}).");
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "must be an object");
            }

            Expression? all = null;
            foreach (var property in element.EnumerateObject())
            {
                var part = property.Name switch
                {
                    "and" => Combine(property.Value, depth, $"{path}.and", Expression.AndAlso),
                    "or" => Combine(property.Value, depth, $"{path}.or", Expression.OrElse),
                    _ => Field(property.Name, property.Value, $"{path}.{property.Name}"),
                };
                all = all is null ? part : Expression.AndAlso(all, part);
            }

            return all ?? Expression.Constant(true);
        }

        private Expression Combine(JsonElement list, int depth, string path, Func<Expression, Expression, BinaryExpression> join)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                throw Invalid(path, "must be a non-empty list of filters");
            }

            Expression? result = null;
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var part = Object(item, depth + 1, $"{path}[{i++}]");
                result = result is null ? part : join(result, part);
            }

            return result!;
        }

        private Expression Field(string name, JsonElement operations, string path)
        {
            if (!schema.TryGet(name, out var selector))
            {
                throw Invalid(path, $"unknown field; use one of {string.Join(", ", schema.FieldNames.Order(StringComparer.Ordinal))}");
            }

            if (operations.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "must be an object of operations such as { eq: … }");
            }

            var member = new Rebind(selector.Parameters[0], parameter).Visit(selector.Body);
            Expression? all = null;
            foreach (var op in operations.EnumerateObject())
            {
                if (++_conditions > limits.MaxConditions)
                {
                    throw new RuleViolation("FILTER_TOO_COMPLEX", $"A filter may have at most {limits.MaxConditions} conditions.");
                }

                var part = Operation(member, op.Name, op.Value, $"{path}.{op.Name}");
                all = all is null ? part : Expression.AndAlso(all, part);
            }

            return all ?? throw Invalid(path, "needs at least one operation");
        }

        private Expression Operation(Expression member, string op, JsonElement value, string path)
        {
            var type = member.Type;
            switch (op)
            {
                case "eq":
                    return Expression.Equal(member, Constant(value, type, path));
                case "neq":
                    return Expression.NotEqual(member, Constant(value, type, path));
                case "gt" or "gte" or "lt" or "lte":
                    if (!IsOrdered(type))
                    {
                        throw Invalid(path, "is not comparable");
                    }

                    var constant = Constant(value, type, path);
                    return op switch
                    {
                        "gt" => Expression.GreaterThan(member, constant),
                        "gte" => Expression.GreaterThanOrEqual(member, constant),
                        "lt" => Expression.LessThan(member, constant),
                        _ => Expression.LessThanOrEqual(member, constant),
                    };
                case "contains":
                    if (type != typeof(string))
                    {
                        throw Invalid(path, "applies to text fields only");
                    }

                    var text = (string?)Convert(value, typeof(string), path) ?? throw Invalid(path, "needs text");
                    return Expression.AndAlso(
                        Expression.NotEqual(member, Expression.Constant(null, typeof(string))),
                        Expression.Call(member, typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!, Captured(text, typeof(string))));
                case "in":
                    if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > limits.MaxInValues)
                    {
                        throw Invalid(path, $"needs a list of 1 to {limits.MaxInValues} values");
                    }

                    var listType = typeof(List<>).MakeGenericType(type);
                    var list = (System.Collections.IList)Activator.CreateInstance(listType)!;
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        list.Add(Convert(item, type, $"{path}[{i++}]"));
                    }

                    return Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [type], Captured(list, listType), member);
                default:
                    throw Invalid(path, "unknown operation; use eq, neq, in, gt, gte, lt, lte or contains");
            }
        }

        private Expression Constant(JsonElement value, Type type, string path) => Captured(Convert(value, type, path), type);

        /// <summary>A captured value: EF sends it as a parameter, never inlined into the SQL text.</summary>
        private static Expression Captured(object? value, Type type)
        {
            var holderType = typeof(Holder<>).MakeGenericType(type);
            var holder = Activator.CreateInstance(holderType, value)!;
            return Expression.Property(Expression.Constant(holder), "Value");
        }

        private object? Convert(JsonElement value, Type type, string path)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (value.ValueKind == JsonValueKind.Null)
            {
                return underlying is not null || !type.IsValueType ? null : throw Invalid(path, "may not be null");
            }

            var target = underlying ?? type;
            try
            {
                if (target == typeof(string))
                {
                    var s = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(path, "needs text");
                    return s.Length <= limits.MaxStringLength ? s : throw Invalid(path, $"is longer than {limits.MaxStringLength} characters");
                }

                if (target == typeof(int)) return value.GetInt32();
                if (target == typeof(long)) return value.GetInt64();
                if (target == typeof(double)) return value.GetDouble() is var d && double.IsFinite(d) ? d : throw Invalid(path, "is not a finite number");
                if (target == typeof(decimal)) return value.GetDecimal();
                if (target == typeof(bool)) return value.GetBoolean();
                if (target == typeof(Guid)) return value.GetGuid();
                if (target == typeof(DateOnly)) return DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (target == typeof(DateTimeOffset)) return value.GetDateTimeOffset().ToUniversalTime();
                if (target.IsEnum)
                {
                    return Enum.TryParse(target, value.GetString(), ignoreCase: true, out var e) && Enum.IsDefined(target, e!)
                        ? e
                        : throw Invalid(path, $"must be one of {string.Join(", ", Enum.GetNames(target))}");
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException)
            {
                throw Invalid(path, $"is not a valid {target.Name}");
            }

            throw Invalid(path, $"cannot filter on {target.Name}");
        }

        private static bool IsOrdered(Type type)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            return t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(decimal)
                || t == typeof(DateOnly) || t == typeof(DateTimeOffset);
        }

        private static RuleViolation Invalid(string path, string message) => new("FILTER_INVALID", $"{path} {message}.");
    }

    private sealed class Holder<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

using System.Text.Json;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Data;
using Enrollment.Reporting.Features.Analytics;
using Enrollment.Reporting.Features.OpenData;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Reporting.GraphQL;

internal sealed class StringFilterInput : InputObjectGraphType
{
    public StringFilterInput()
    {
        Name = "StringFilter";
        Field<StringGraphType>("eq");
        Field<StringGraphType>("neq");
        Field<ListGraphType<StringGraphType>>("in");
        Field<StringGraphType>("contains");
    }
}

internal sealed class EnumTextFilterInput : InputObjectGraphType
{
    public EnumTextFilterInput()
    {
        Name = "EnumTextFilter";
        Description = "Equality on a named value, e.g. a status (Submitted, Enrolled, …).";
        Field<StringGraphType>("eq");
        Field<StringGraphType>("neq");
        Field<ListGraphType<StringGraphType>>("in");
    }
}

internal sealed class IntFilterInput : InputObjectGraphType
{
    public IntFilterInput()
    {
        Name = "IntFilter";
        foreach (var op in new[] { "eq", "neq", "gt", "gte", "lt", "lte" }) Field<IntGraphType>(op);
        Field<ListGraphType<IntGraphType>>("in");
    }
}

internal sealed class BooleanFilterInput : InputObjectGraphType
{
    public BooleanFilterInput()
    {
        Name = "BooleanFilter";
        Field<BooleanGraphType>("eq");
        Field<BooleanGraphType>("neq");
    }
}

internal sealed class DateFilterInput : InputObjectGraphType
{
    public DateFilterInput()
    {
        Name = "DateFilter";
        foreach (var op in new[] { "eq", "neq", "gt", "gte", "lt", "lte" }) Field<DateOnlyGraphType>(op);
    }
}

internal sealed class DateTimeFilterInput : InputObjectGraphType
{
    public DateTimeFilterInput()
    {
        Name = "DateTimeFilter";
        foreach (var op in new[] { "gt", "gte", "lt", "lte" }) Field<DateTimeOffsetGraphType>(op);
    }
}

internal static class WhereFields
{
    /// <summary>One input field per catalog field, typed by the field's CLR type, plus and/or lists of the same input.</summary>
    public static void Add<TRow, TSelf>(InputObjectGraphType input, Catalog<TRow> catalog) where TSelf : InputObjectGraphType
    {
        foreach (var f in catalog.Fields)
        {
            var type = Nullable.GetUnderlyingType(f.Type) ?? f.Type;
            var ops = type == typeof(string) ? typeof(StringFilterInput)
                : type == typeof(int) ? typeof(IntFilterInput)
                : type == typeof(bool) ? typeof(BooleanFilterInput)
                : type == typeof(DateOnly) ? typeof(DateFilterInput)
                : type == typeof(DateTimeOffset) ? typeof(DateTimeFilterInput)
                : type.IsEnum ? typeof(EnumTextFilterInput)
                : throw new InvalidOperationException($"No filter input for {type.Name}.");
            input.Field(f.Name, ops);
        }

        input.Field<ListGraphType<NonNullGraphType<TSelf>>>("and");
        input.Field<ListGraphType<NonNullGraphType<TSelf>>>("or");
    }

    /// <summary>The parsed GraphQL input as the JSON the filter translator reads (never SQL text).</summary>
    public static JsonElement? Read(IResolveFieldContext c) =>
        c.GetArgument<Dictionary<string, object?>?>("where") is { } where ? JsonSerializer.SerializeToElement(where) : null;
}

internal sealed class ApplicationFactWhereInput : InputObjectGraphType
{
    public ApplicationFactWhereInput()
    {
        Name = "ApplicationFactWhere";
        Description = "Conditions on application facts; fields AND-ed, with and/or lists (nesting ≤ 4, ≤ 20 conditions).";
        WhereFields.Add<ApplicationFactRow, ApplicationFactWhereInput>(this, Catalogs.Applications);
    }
}

internal sealed class ProgramFactWhereInput : InputObjectGraphType
{
    public ProgramFactWhereInput()
    {
        Name = "ProgramFactWhere";
        WhereFields.Add<ProgramFactRow, ProgramFactWhereInput>(this, Catalogs.Programs);
    }
}

internal sealed class ApplicationFactFieldEnum : EnumerationGraphType
{
    public ApplicationFactFieldEnum()
    {
        Name = "ApplicationFactField";
        foreach (var f in Catalogs.Applications.Fields) Add(f.Name, f.Name);
    }
}

internal sealed class ProgramFactFieldEnum : EnumerationGraphType
{
    public ProgramFactFieldEnum()
    {
        Name = "ProgramFactField";
        foreach (var f in Catalogs.Programs.Fields) Add(f.Name, f.Name);
    }
}

internal sealed class SortDirectionEnum : EnumerationGraphType
{
    public SortDirectionEnum()
    {
        Name = "SortDirection";
        Add("ASC", false);
        Add("DESC", true);
    }
}

internal sealed class MeasureOpEnum : EnumerationGraphType
{
    public MeasureOpEnum()
    {
        Name = "MeasureOp";
        Add("COUNT", "COUNT", "Number of rows in the group.");
        Add("SUM", "SUM", "Sum of a numeric field.");
    }
}

internal sealed class ApplicationFactOrderInput : InputObjectGraphType
{
    public ApplicationFactOrderInput()
    {
        Name = "ApplicationFactOrder";
        Field<NonNullGraphType<ApplicationFactFieldEnum>>("field");
        Field<SortDirectionEnum>("direction").DefaultValue(false);
    }
}

internal sealed class ProgramFactOrderInput : InputObjectGraphType
{
    public ProgramFactOrderInput()
    {
        Name = "ProgramFactOrder";
        Field<NonNullGraphType<ProgramFactFieldEnum>>("field");
        Field<SortDirectionEnum>("direction").DefaultValue(false);
    }
}

internal sealed class ApplicationFactMeasureInput : InputObjectGraphType
{
    public ApplicationFactMeasureInput()
    {
        Name = "ApplicationFactMeasure";
        Field<NonNullGraphType<MeasureOpEnum>>("op");
        Field<ApplicationFactFieldEnum>("field").Description("For SUM: a numeric field.");
    }
}

internal sealed class ProgramFactMeasureInput : InputObjectGraphType
{
    public ProgramFactMeasureInput()
    {
        Name = "ProgramFactMeasure";
        Field<NonNullGraphType<MeasureOpEnum>>("op");
        Field<ProgramFactFieldEnum>("field").Description("For SUM: a numeric field.");
    }
}

internal sealed class ApplicationFactType : ObjectGraphType<ApplicationFactRow>
{
    public ApplicationFactType()
    {
        Name = "ApplicationFact";
        Description = "One application, pseudonymized: a stable keyed hash instead of PINs and names, birth year instead of birth date, district instead of address.";
        Field(f => f.ChildKey).Description("Stable keyed hash of the child (same child, same key); not reversible.");
        Field(f => f.BirthYear);
        Field(f => f.Sex);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(c => c.Source.Status.ToString());
        Field(f => f.Stage, nullable: true);
        Field(f => f.SubmittedAt, nullable: true);
        Field(f => f.SubmittedOn, type: typeof(DateOnlyGraphType));
        Field(f => f.RegionCode, nullable: true);
        Field(f => f.DistrictCode, nullable: true);
        Field(f => f.SchoolCode, nullable: true).Description("School of the first choice.");
        Field(f => f.Language, nullable: true);
        Field(f => f.Grade, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("choices")
            .Description("Ranked choices as school/language/grade.")
            .Resolve(c => c.Source.Choices.Length == 0 ? [] : c.Source.Choices.Split(';'));
        Field(f => f.PriorityCategory, nullable: true);
        Field(f => f.PriorityVerified);
        Field(f => f.Privileged);
        Field(f => f.EnrolledSchoolCode, nullable: true);
        Field(f => f.EnrolledLanguage, nullable: true);
        Field(f => f.EnrolledDistrictCode, nullable: true);
        Field(f => f.UpdatedAt);
    }
}

internal sealed class ProgramFactType : ObjectGraphType<ProgramFactRow>
{
    public ProgramFactType()
    {
        Name = "ProgramFact";
        Field(p => p.SchoolCode);
        Field(p => p.SchoolNameKy);
        Field(p => p.SchoolNameRu);
        Field(p => p.DistrictCode);
        Field(p => p.RegionCode);
        Field(p => p.Language);
        Field(p => p.Grade);
        Field(p => p.Classes);
        Field(p => p.ApprovedSeats);
        Field(p => p.Offers);
        Field(p => p.Enrolled);
        Field(p => p.FreeSeats);
    }
}

internal sealed class AggregateRowType : ObjectGraphType<AggregateRow>
{
    public AggregateRowType()
    {
        Name = "AggregateRow";
        Field(r => r.Key, type: typeof(NonNullGraphType<ListGraphType<StringGraphType>>)).Description("Values of the groupBy fields, in their order.");
        Field(r => r.Count);
        Field(r => r.Sums, type: typeof(NonNullGraphType<ListGraphType<LongGraphType>>)).Description("One value per measure, in their order.");
    }
}

internal sealed class AggregateResultType : ObjectGraphType<AggregateResult>
{
    public AggregateResultType()
    {
        Name = "AggregateResult";
        Field(r => r.GroupBy, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>));
        Field(r => r.Measures, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>));
        Field(r => r.Rows, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AggregateRowType>>>));
        Field(r => r.SuppressedGroups).Description("Groups of fewer than 5 children left out (analysts), so no child can be singled out.");
    }
}

/// <summary>A filtered fact table: the page and the aggregate are computed only when asked for.</summary>
internal sealed class FactsConnection<T>(IQueryable<T> filtered, Func<Task<FactPage<T>>> page)
{
    private Task<FactPage<T>>? _page;

    public IQueryable<T> Filtered => filtered;

    public Task<FactPage<T>> Page => _page ??= page();
}

internal static class ConnectionFields
{
    public static void Add<T, TNode, TField, TMeasure>(ObjectGraphType<FactsConnection<T>> type, Catalog<T> catalog, bool childrenGroups)
        where TNode : IGraphType where TField : EnumerationGraphType where TMeasure : InputObjectGraphType
    {
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNode>>>>("nodes").ResolveAsync(async c => (await c.Source.Page).Nodes);
        type.Field<NonNullGraphType<IntGraphType>>("totalCount").ResolveAsync(async c => (await c.Source.Page).TotalCount);
        type.Field<StringGraphType>("endCursor").ResolveAsync(async c => (await c.Source.Page).EndCursor);
        type.Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").ResolveAsync(async c => (await c.Source.Page).HasNextPage);
        type.Field<NonNullGraphType<AggregateResultType>>("aggregate")
            .Description(childrenGroups
                ? "Grouped counts and sums of the filtered rows (≤ 4 groupBy fields, ≤ 4 measures, ≤ 5000 groups). For analysts, groups of fewer than 5 children are suppressed."
                : "Grouped counts and sums of the filtered rows (≤ 4 groupBy fields, ≤ 4 measures, ≤ 5000 groups).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<TField>>>>("groupBy")
            .Argument<ListGraphType<NonNullGraphType<TMeasure>>>("measures")
            .WithComplexityImpact(50)
            .ResolveAsync(async c =>
            {
                var measures = (c.GetArgument<List<Dictionary<string, object?>>?>("measures") ?? [new() { ["op"] = "COUNT" }])
                    .Select(m => new Measure((string)m["op"]!, m.GetValueOrDefault("field") as string)).ToList();
                var user = c.RequestServices!.GetRequiredService<ICurrentUser>();
                return await Explorer.AggregateAsync(c.Source.Filtered, catalog, c.GetArgument<List<string>>("groupBy"), measures,
                    suppressSmallGroups: childrenGroups && !user.IsInRole(Roles.MinistryAdmin), c.CancellationToken);
            });
    }

    public static IReadOnlyList<OrderBy> Order(IResolveFieldContext c) =>
        [.. (c.GetArgument<List<Dictionary<string, object?>>?>("order") ?? []).Select(o => new OrderBy((string)o["field"]!, o.GetValueOrDefault("direction") is true))];
}

internal sealed class ApplicationFactConnectionType : ObjectGraphType<FactsConnection<ApplicationFactRow>>
{
    public ApplicationFactConnectionType()
    {
        Name = "ApplicationFactConnection";
        ConnectionFields.Add<ApplicationFactRow, ApplicationFactType, ApplicationFactFieldEnum, ApplicationFactMeasureInput>(this, Catalogs.Applications, childrenGroups: true);
    }
}

internal sealed class ProgramFactConnectionType : ObjectGraphType<FactsConnection<ProgramFactRow>>
{
    public ProgramFactConnectionType()
    {
        Name = "ProgramFactConnection";
        ConnectionFields.Add<ProgramFactRow, ProgramFactType, ProgramFactFieldEnum, ProgramFactMeasureInput>(this, Catalogs.Programs, childrenGroups: false);
    }
}

internal sealed class AnalyticsQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ApplicationFactConnectionType>>("applicationFacts")
            .Description("Analysts and the ministry: pseudonymized application facts of the current campaign with where/order/paging and aggregate. "
                + "Errors: FILTER_INVALID, FILTER_TOO_DEEP, FILTER_TOO_COMPLEX, ORDER_INVALID, PAGE_SIZE_OUT_OF_RANGE, BAD_CURSOR, AGGREGATE_*.")
            .For(Roles.Analyst, Roles.MinistryAdmin)
            .Argument<ApplicationFactWhereInput>("where")
            .Argument<ListGraphType<NonNullGraphType<ApplicationFactOrderInput>>>("order")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .WithComplexityImpact(20)
            .ResolveAsync(async c => await Connection(c, Catalogs.Applications, (db, campaign) => db.ApplicationFacts.Where(f => f.CampaignId == campaign)));

        query.Field<NonNullGraphType<ProgramFactConnectionType>>("programFacts")
            .Description("Analysts and the ministry: seats of every program of the current campaign with where/order/paging and aggregate.")
            .For(Roles.Analyst, Roles.MinistryAdmin)
            .Argument<ProgramFactWhereInput>("where")
            .Argument<ListGraphType<NonNullGraphType<ProgramFactOrderInput>>>("order")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .WithComplexityImpact(20)
            .ResolveAsync(async c => await Connection(c, Catalogs.Programs, (db, campaign) => db.ProgramFacts.Where(p => p.CampaignId == campaign)));
    }

    /// <summary>The current campaign's rows, filtered by <c>where</c>; the page is computed only if asked for.</summary>
    private static async Task<FactsConnection<T>> Connection<T>(IResolveFieldContext c, Catalog<T> catalog, Func<ReportingDbContext, Guid, IQueryable<T>> rows)
        where T : class
    {
        var campaign = await c.RequestServices!.GetRequiredService<OpenDataReader>().CampaignIdAsync(c.CancellationToken) ?? Guid.Empty;
        var db = c.RequestServices!.GetRequiredService<ReportingDbContext>();
        var filtered = Explorer.Filter(rows(db, campaign).AsNoTracking(), catalog, WhereFields.Read(c));
        var (order, first, after, ct) = (ConnectionFields.Order(c), c.GetArgument("first", 50), c.GetArgument<string?>("after"), c.CancellationToken);
        return new FactsConnection<T>(filtered, () => Explorer.PageAsync(filtered, catalog, order, first, after, ct));
    }
}

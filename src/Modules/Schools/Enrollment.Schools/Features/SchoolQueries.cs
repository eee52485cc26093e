using Ardalis.Specification;
using Enrollment.BuildingBlocks.Specifications;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features;

internal static class SchoolMapping
{
    public static SchoolDto ToDto(this School s) => new(s.Code, s.RegionCode, s.DistrictCode, s.SettlementCode, s.NameKy, s.NameRu,
        s.Address, s.Latitude, s.Longitude, s.Type, s.LanguageList, s.ParticipatesInEnrollment, s.NonParticipationReason);
}

internal sealed class GetRegionsHandler(SchoolsDbContext db) : IQueryHandler<GetRegions, IReadOnlyList<RegionDto>>
{
    public async ValueTask<IReadOnlyList<RegionDto>> Handle(GetRegions query, CancellationToken ct) =>
        await db.Regions.AsNoTracking().OrderBy(r => r.Code)
            .Select(r => new RegionDto(r.Code, r.NameKy, r.NameRu, r.IsCity)).ToListAsync(ct);
}

internal sealed class GetDistrictsHandler(SchoolsDbContext db) : IQueryHandler<GetDistricts, IReadOnlyList<DistrictDto>>
{
    public async ValueTask<IReadOnlyList<DistrictDto>> Handle(GetDistricts query, CancellationToken ct) =>
        await db.Districts.AsNoTracking()
            .Where(d => query.RegionCode == null || d.RegionCode == query.RegionCode)
            .OrderBy(d => d.Code)
            .Select(d => new DistrictDto(d.Code, d.RegionCode, d.NameKy, d.NameRu)).ToListAsync(ct);
}

internal sealed class GetSchoolsByCodesHandler(SchoolsDbContext db) : IQueryHandler<GetSchoolsByCodes, IReadOnlyList<SchoolDto>>
{
    public async ValueTask<IReadOnlyList<SchoolDto>> Handle(GetSchoolsByCodes query, CancellationToken ct)
    {
        var codes = query.Codes.Distinct(StringComparer.Ordinal).ToList();
        var schools = await db.Schools.AsNoTracking().Where(s => codes.Contains(s.Code)).OrderBy(s => s.Code).ToListAsync(ct);
        return [.. schools.Select(s => s.ToDto())];
    }
}

internal sealed class GetSchoolCountsHandler(SchoolsDbContext db) : IQueryHandler<GetSchoolCounts, IReadOnlyList<SchoolCountsDto>>
{
    public async ValueTask<IReadOnlyList<SchoolCountsDto>> Handle(GetSchoolCounts query, CancellationToken ct) =>
        await db.Schools.AsNoTracking()
            .GroupBy(s => new { s.RegionCode, s.DistrictCode })
            .OrderBy(g => g.Key.DistrictCode)
            .Select(g => new SchoolCountsDto(g.Key.RegionCode, g.Key.DistrictCode, g.Count(), g.Count(s => s.ParticipatesInEnrollment)))
            .ToListAsync(ct);
}

/// <summary>The settlements of a district, by code (module-internal: the admin school form).</summary>
internal sealed record GetSettlements(string DistrictCode) : IQuery<IReadOnlyList<Settlement>>;

internal sealed class GetSettlementsHandler(SchoolsDbContext db) : IQueryHandler<GetSettlements, IReadOnlyList<Settlement>>
{
    public async ValueTask<IReadOnlyList<Settlement>> Handle(GetSettlements query, CancellationToken ct) =>
        await db.Settlements.AsNoTracking().Where(s => s.DistrictCode == query.DistrictCode).OrderBy(s => s.Code).ToListAsync(ct);
}

/// <summary>Filter for the school list (GraphQL <c>schools</c> and the admin list page).</summary>
internal sealed record SchoolFilter(
    string? RegionCode = null, string? DistrictCode = null, string? SettlementCode = null, string? Language = null,
    bool? Participates = null, string? Search = null);

/// <summary>What the school list is ordered by; ties are broken by the (unique) code, so paging is deterministic.</summary>
internal enum SchoolSortField
{
    Code,
    NameKy,
    NameRu,
    District,
}

/// <summary>Order of the school list: a field, ascending or descending (the tie-breaking code follows the direction).</summary>
internal sealed record SchoolSort(SchoolSortField Field = SchoolSortField.Code, bool Descending = false)
{
    public static readonly SchoolSort Default = new();
}

/// <summary>One page of the school list; module-internal (not a Contracts query).</summary>
internal sealed record SearchSchools(SchoolFilter Filter, int Skip, int Take, SchoolSort? Sort = null) : IQuery<SchoolPage>;

internal sealed record SchoolPage(IReadOnlyList<SchoolDto> Items, int TotalCount);

internal sealed class SchoolSearchSpec : Specification<School>
{
    public SchoolSearchSpec(SchoolFilter filter, int? skip = null, int? take = null, SchoolSort? sort = null)
    {
        Query.AsNoTracking();
        if (filter.RegionCode is not null) Query.Where(s => s.RegionCode == filter.RegionCode);
        if (filter.DistrictCode is not null) Query.Where(s => s.DistrictCode == filter.DistrictCode);
        if (filter.SettlementCode is not null) Query.Where(s => s.SettlementCode == filter.SettlementCode);
        if (filter.Participates is not null) Query.Where(s => s.ParticipatesInEnrollment == filter.Participates);
        if (filter.Language is not null)
        {
            var language = filter.Language;
            Query.Where(s => ("," + s.Languages + ",").Contains("," + language + ","));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = "%" + EscapeLike(filter.Search.Trim()) + "%";
            Query.Search(s => s.NameRu, term, 1).Search(s => s.NameKy, term, 1).Search(s => s.Code, term, 1);
        }

        sort ??= SchoolSort.Default;
        if (sort.Descending)
        {
            switch (sort.Field)
            {
                case SchoolSortField.NameKy: Query.OrderByDescending(s => s.NameKy).ThenByDescending(s => s.Code); break;
                case SchoolSortField.NameRu: Query.OrderByDescending(s => s.NameRu).ThenByDescending(s => s.Code); break;
                case SchoolSortField.District: Query.OrderByDescending(s => s.DistrictCode).ThenByDescending(s => s.Code); break;
                default: Query.OrderByDescending(s => s.Code); break;
            }
        }
        else
        {
            switch (sort.Field)
            {
                case SchoolSortField.NameKy: Query.OrderBy(s => s.NameKy).ThenBy(s => s.Code); break;
                case SchoolSortField.NameRu: Query.OrderBy(s => s.NameRu).ThenBy(s => s.Code); break;
                case SchoolSortField.District: Query.OrderBy(s => s.DistrictCode).ThenBy(s => s.Code); break;
                default: Query.OrderBy(s => s.Code); break;
            }
        }

        if (skip is not null) Query.Skip(skip.Value);
        if (take is not null) Query.Take(take.Value);
    }

    private static string EscapeLike(string text) => text.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
}

internal sealed class SearchSchoolsHandler(SchoolsDbContext db) : IQueryHandler<SearchSchools, SchoolPage>
{
    public async ValueTask<SchoolPage> Handle(SearchSchools query, CancellationToken ct)
    {
        var total = await SpecificationEvaluator.Apply(db.Schools, new SchoolSearchSpec(query.Filter), criteriaOnly: true).CountAsync(ct);
        var items = await SpecificationEvaluator.Apply(db.Schools, new SchoolSearchSpec(query.Filter, query.Skip, query.Take, query.Sort)).ToListAsync(ct);
        return new SchoolPage([.. items.Select(s => s.ToDto())], total);
    }
}

internal sealed class SearchSchoolsValidator : Enrollment.BuildingBlocks.Validation.IValidator<SearchSchools>
{
    public void Validate(SearchSchools message, Enrollment.BuildingBlocks.Validation.ValidationErrors errors)
    {
        errors.Range("first", message.Take, 1, Enrollment.BuildingBlocks.GraphQL.Cursor.MaxPageSize);
        errors.Range("after", message.Skip, 0, int.MaxValue);
        errors.MaxLength("search", message.Filter.Search, 100);
        errors.MaxLength("regionCode", message.Filter.RegionCode, 16);
        errors.MaxLength("districtCode", message.Filter.DistrictCode, 16);
        errors.MaxLength("settlementCode", message.Filter.SettlementCode, 16);
        errors.MaxLength("language", message.Filter.Language, 8);
    }
}

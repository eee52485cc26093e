using System.Linq.Expressions;
using Enrollment.BuildingBlocks.Filtering;
using Enrollment.Reporting.Data;

namespace Enrollment.Reporting.Features.Analytics;

/// <summary>How a field may be used by analysts: filtered and ordered (all), grouped by, summed.</summary>
internal sealed record FactField(string Name, LambdaExpression Selector, bool Groupable, bool Summable)
{
    public Type Type => Selector.ReturnType;
}

/// <summary>
/// The fields of a fact table analysts may reach, by public name — the only door to the table. Personal data has no
/// field here (the read tables do not even hold it), so no filter, order or group can name it.
/// </summary>
internal sealed class Catalog<TRow>
{
    private readonly Dictionary<string, FactField> _fields = new(StringComparer.Ordinal);

    public FilterSchema<TRow> Filter { get; } = new();

    public required LambdaExpression TieBreak { get; init; }

    public IReadOnlyCollection<FactField> Fields => _fields.Values;

    public Catalog<TRow> Add<TValue>(string name, Expression<Func<TRow, TValue>> selector, bool groupable = true, bool summable = false)
    {
        _fields.Add(name, new FactField(name, selector, groupable, summable));
        Filter.Field(name, selector);
        return this;
    }

    public FactField? Find(string name) => _fields.GetValueOrDefault(name);
}

internal static class Catalogs
{
    public static readonly Catalog<ApplicationFactRow> Applications = new Catalog<ApplicationFactRow> { TieBreak = (Expression<Func<ApplicationFactRow, Guid>>)(f => f.ApplicationId) }
        .Add("childKey", f => f.ChildKey, groupable: false)
        .Add("birthYear", f => f.BirthYear)
        .Add("sex", f => f.Sex)
        .Add("status", f => f.Status)
        .Add("stage", f => f.Stage)
        .Add("submittedAt", f => f.SubmittedAt, groupable: false)
        .Add("submittedOn", f => f.SubmittedOn)
        .Add("regionCode", f => f.RegionCode)
        .Add("districtCode", f => f.DistrictCode)
        .Add("schoolCode", f => f.SchoolCode)
        .Add("language", f => f.Language)
        .Add("grade", f => f.Grade)
        .Add("choiceCount", f => f.ChoiceCount, summable: true)
        .Add("priorityCategory", f => f.PriorityCategory)
        .Add("priorityVerified", f => f.PriorityVerified)
        .Add("privileged", f => f.Privileged)
        .Add("enrolledSchoolCode", f => f.EnrolledSchoolCode)
        .Add("enrolledLanguage", f => f.EnrolledLanguage)
        .Add("enrolledDistrictCode", f => f.EnrolledDistrictCode)
        .Add("updatedAt", f => f.UpdatedAt, groupable: false);

    public static readonly Catalog<ProgramFactRow> Programs = new Catalog<ProgramFactRow> { TieBreak = (Expression<Func<ProgramFactRow, string>>)(p => p.SchoolCode + "/" + p.Language + "/" + p.Grade) }
        .Add("schoolCode", p => p.SchoolCode)
        .Add("schoolNameKy", p => p.SchoolNameKy, groupable: false)
        .Add("schoolNameRu", p => p.SchoolNameRu, groupable: false)
        .Add("districtCode", p => p.DistrictCode)
        .Add("regionCode", p => p.RegionCode)
        .Add("language", p => p.Language)
        .Add("grade", p => p.Grade)
        .Add("classes", p => p.Classes, summable: true)
        .Add("approvedSeats", p => p.ApprovedSeats, summable: true)
        .Add("offers", p => p.Offers, summable: true)
        .Add("enrolled", p => p.Enrolled, summable: true)
        .Add("freeSeats", p => p.FreeSeats, summable: true);
}

using System.Globalization;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Features.SchoolList;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools.GraphQL;

/// <summary>A school's own data for <c>createSchool</c> / <c>updateSchool</c> (the region follows the district).</summary>
internal sealed class SchoolInputType : InputObjectGraphType<SchoolDraft>
{
    public SchoolInputType()
    {
        Name = "SchoolInput";
        Description = "A school's own data; the region follows the district.";
        Field<NonNullGraphType<StringGraphType>>("districtCode");
        Field<NonNullGraphType<StringGraphType>>("settlementCode").Description("A settlement of the district.");
        Field<NonNullGraphType<StringGraphType>>("nameKy");
        Field<NonNullGraphType<StringGraphType>>("nameRu");
        Field<NonNullGraphType<StringGraphType>>("address");
        Field<NonNullGraphType<FloatGraphType>>("latitude");
        Field<NonNullGraphType<FloatGraphType>>("longitude");
        Field<NonNullGraphType<StringGraphType>>("type").Description("State or Municipal.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("languages").Description("ky, ru, uz, tg.");
        Field<NonNullGraphType<BooleanGraphType>>("participatesInEnrollment");
        Field<StringGraphType>("nonParticipationReason").Description("Required when not participating: Lyceum, SpecialPmpk, Boarding, Evening, Music.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        string Text(string name) => value.TryGetValue(name, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "" : "";
        double Number(string name) => value.TryGetValue(name, out var v) && v is not null ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN;
        var languages = value.TryGetValue("languages", out var l) && l is IEnumerable<object?> list
            ? list.Select(x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? "").ToList()
            : [];
        var participates = value.TryGetValue("participatesInEnrollment", out var p) && p is bool b && b;
        var reason = Text("nonParticipationReason");
        return new SchoolDraft("", null, Text("districtCode"), Text("settlementCode"), Text("nameKy"), Text("nameRu"), Text("address"),
            Number("latitude"), Number("longitude"), Text("type"), languages, participates, reason.Length == 0 ? null : reason);
    }
}

internal sealed class SchoolEditingMutationContributor : IMutationContributor
{
    private const string Errors = " Errors: VALIDATION_FAILED (extensions.fields lists every bad field), ACCESS_DENIED (another district), ";

    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SchoolType>>("createSchool")
            .Description("Adds a school (ministry: anywhere; district officers: in their district); versioned in the school's history." + Errors + "SCHOOL_EXISTS.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .Argument<NonNullGraphType<SchoolInputType>>("school")
            .ResolveAsync(async c => await Save(c, create: true));

        mutation.Field<NonNullGraphType<SchoolType>>("updateSchool")
            .Description("Changes a school's data incl. participation and its reason, and languages; versioned and revertible (revertMicrodistrictChange)." + Errors + "NOT_FOUND.")
            .For(Roles.MinistryAdmin, Roles.DistrictOfficer)
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .Argument<NonNullGraphType<SchoolInputType>>("school")
            .ResolveAsync(async c => await Save(c, create: false));
    }

    private static ValueTask<Contracts.SchoolDto> Save(IResolveFieldContext c, bool create) =>
        c.RequestServices!.GetRequiredService<IMediator>().Send(
            new SaveSchool(create, c.GetArgument<SchoolDraft>("school") with { Code = c.GetArgument<string>("code") }), c.CancellationToken);
}

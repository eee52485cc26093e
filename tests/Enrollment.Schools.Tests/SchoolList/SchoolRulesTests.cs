using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.SchoolList;

namespace Enrollment.Schools.Tests.SchoolList;

/// <summary>The rules of a school's own data, shared by the CSV import and single-school create/edit.</summary>
public sealed class SchoolRulesTests
{
    private static readonly SchoolLookups Lookups = new(
        new Dictionary<string, string> { ["D0701"] = "R07", ["D0101"] = "R01" },
        new Dictionary<string, string> { ["L0701001"] = "D0701", ["L0101001"] = "D0101" });

    private static SchoolDraft Good() => new("S00001", null, "D0701", "L0701001", "Мектеп", "Школа", "ул. Ленина 1", 42.87, 74.6,
        SchoolTypes.State, ["ky", "ru"], true, null);

    private static List<(string Field, string Code)> Problems(SchoolDraft draft)
    {
        var problems = new List<(string, string)>();
        SchoolRules.Check(draft, Lookups, (field, code, _) => problems.Add((field, code)));
        return problems;
    }

    [Fact]
    public void A_complete_school_has_no_problem_and_takes_its_region_from_the_district()
    {
        var school = Good().ToSchool(Lookups.RegionOf("D0701"));

        Assert.Empty(Problems(Good()));
        Assert.Equal(("R07", "ky,ru", true, null), (school.RegionCode, school.Languages, school.ParticipatesInEnrollment, school.NonParticipationReason));
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once_with_its_code()
    {
        var draft = Good() with
        {
            Code = "", RegionCode = "R01", SettlementCode = "L0101001", NameRu = new string('ш', 301), Latitude = double.NaN, Longitude = 200,
            Type = "Private", Languages = ["fr"],
        };

        Assert.Equal(
            [("code", "REQUIRED"), ("regionCode", "REGION_MISMATCH"), ("settlementCode", "SETTLEMENT_OUTSIDE_DISTRICT"), ("nameRu", "TOO_LONG"),
             ("latitude", "OUT_OF_RANGE"), ("longitude", "OUT_OF_RANGE"), ("type", "INVALID_TYPE"), ("languages", "INVALID_LANGUAGE")],
            Problems(draft));
    }

    [Theory]
    [InlineData(false, null, "REASON_REQUIRED")]
    [InlineData(false, "Sport", "REASON_REQUIRED")]
    [InlineData(true, "Lyceum", "REASON_NOT_ALLOWED")]
    public void A_non_participating_school_needs_a_known_reason_and_a_participating_one_has_none(bool participates, string? reason, string code) =>
        Assert.Equal([("nonParticipationReason", code)], Problems(Good() with { Participates = participates, NonParticipationReason = reason }));

    [Fact]
    public void An_unknown_district_or_settlement_is_named()
    {
        Assert.Equal([("districtCode", "UNKNOWN_DISTRICT"), ("settlementCode", "UNKNOWN_SETTLEMENT")],
            Problems(Good() with { DistrictCode = "D9999", SettlementCode = "L9" }));
    }
}

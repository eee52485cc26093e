using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.SchoolList;

/// <summary>
/// A school's own data as entered (a CSV row, the admin form, a GraphQL mutation), before it is checked.
/// <paramref name="RegionCode"/> null: taken from the district. <paramref name="Participates"/> null: unreadable (CSV).
/// </summary>
internal sealed record SchoolDraft(
    string Code, string? RegionCode, string DistrictCode, string SettlementCode, string NameKy, string NameRu, string Address,
    double Latitude, double Longitude, string Type, IReadOnlyList<string> Languages, bool? Participates, string? NonParticipationReason)
{
    /// <summary>Copies the (checked) draft onto a school; the region follows the district.</summary>
    public void ApplyTo(School school, string regionCode)
    {
        school.RegionCode = regionCode;
        school.DistrictCode = DistrictCode;
        school.SettlementCode = SettlementCode;
        school.NameKy = NameKy;
        school.NameRu = NameRu;
        school.Address = Address;
        school.Latitude = Latitude;
        school.Longitude = Longitude;
        school.Type = Type;
        school.Languages = string.Join(',', Languages);
        school.ParticipatesInEnrollment = Participates == true;
        school.NonParticipationReason = Participates == false ? NonParticipationReason : null;
    }

    public School ToSchool(string regionCode)
    {
        var school = new School
        {
            Code = Code, RegionCode = regionCode, DistrictCode = DistrictCode, SettlementCode = SettlementCode, NameKy = NameKy, NameRu = NameRu,
            Address = Address, Type = Type, Languages = "",
        };
        ApplyTo(school, regionCode);
        return school;
    }

    public static SchoolDraft From(Contracts.SchoolDto s) => new(s.Code, s.RegionCode, s.DistrictCode, s.SettlementCode, s.NameKy, s.NameRu, s.Address,
        s.Latitude, s.Longitude, s.Type, s.Languages, s.ParticipatesInEnrollment, s.NonParticipationReason);
}

/// <summary>The districts (with their region) and settlements (with their district) a school may name.</summary>
internal sealed record SchoolLookups(IReadOnlyDictionary<string, string> DistrictRegions, IReadOnlyDictionary<string, string> SettlementDistricts)
{
    public static async Task<SchoolLookups> LoadAsync(SchoolsDbContext db, CancellationToken ct) => new(
        await db.Districts.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.RegionCode, StringComparer.Ordinal, ct),
        await db.Settlements.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.DistrictCode, StringComparer.Ordinal, ct));

    public string RegionOf(string districtCode) => DistrictRegions.TryGetValue(districtCode, out var region) ? region : "";
}

/// <summary>
/// The rules of a school's own data, shared by the CSV import and single-school create/edit. Each problem names its field
/// (camelCase, as in GraphQL; the CSV import maps it to its column) and a stable code.
/// </summary>
internal static class SchoolRules
{
    public static readonly IReadOnlyList<string> Languages = ["ky", "ru", "uz", "tg"];

    public delegate void Report(string field, string code, string message);

    public static void Check(SchoolDraft s, SchoolLookups lookups, Report error)
    {
        if (s.Code.Length is 0 or > 16)
        {
            error("code", "REQUIRED", "A school code of 1–16 characters is required.");
        }

        if (!lookups.DistrictRegions.TryGetValue(s.DistrictCode, out var districtRegion))
        {
            error("districtCode", "UNKNOWN_DISTRICT", $"Unknown district '{s.DistrictCode}'.");
        }
        else if (s.RegionCode is not null && districtRegion != s.RegionCode)
        {
            error("regionCode", "REGION_MISMATCH", $"District {s.DistrictCode} belongs to region {districtRegion}, not '{s.RegionCode}'.");
        }

        if (!lookups.SettlementDistricts.TryGetValue(s.SettlementCode, out var settlementDistrict))
        {
            error("settlementCode", "UNKNOWN_SETTLEMENT", $"Unknown settlement '{s.SettlementCode}'.");
        }
        else if (settlementDistrict != s.DistrictCode)
        {
            error("settlementCode", "SETTLEMENT_OUTSIDE_DISTRICT", $"Settlement {s.SettlementCode} belongs to district {settlementDistrict}, not '{s.DistrictCode}'.");
        }

        foreach (var (field, value) in new[] { ("nameKy", s.NameKy), ("nameRu", s.NameRu), ("address", s.Address) })
        {
            if (value.Length is 0 or > 300)
            {
                error(field, value.Length == 0 ? "REQUIRED" : "TOO_LONG", "A value of 1–300 characters is required.");
            }
        }

        if (!double.IsFinite(s.Latitude) || s.Latitude is < -90 or > 90)
        {
            error("latitude", "OUT_OF_RANGE", "A latitude is a number from -90 to 90 (with a decimal point).");
        }

        if (!double.IsFinite(s.Longitude) || s.Longitude is < -180 or > 180)
        {
            error("longitude", "OUT_OF_RANGE", "A longitude is a number from -180 to 180 (with a decimal point).");
        }

        if (s.Type is not SchoolTypes.State and not SchoolTypes.Municipal)
        {
            error("type", "INVALID_TYPE", $"'{s.Type}' is not a school type; expected State or Municipal.");
        }

        if (s.Languages.Count == 0 || s.Languages.Any(l => !Languages.Contains(l)))
        {
            error("languages", "INVALID_LANGUAGE", $"'{string.Join(";", s.Languages)}' is not a list of languages; use ky, ru, uz, tg.");
        }

        var reason = s.NonParticipationReason ?? "";
        if (s.Participates == false && !NonParticipationReasons.All.Contains(reason))
        {
            error("nonParticipationReason", "REASON_REQUIRED",
                $"A school that does not participate needs a reason: {string.Join(", ", NonParticipationReasons.All)}.");
        }
        else if (s.Participates == true && reason.Length > 0)
        {
            error("nonParticipationReason", "REASON_NOT_ALLOWED", "A participating school has no non-participation reason.");
        }
    }
}

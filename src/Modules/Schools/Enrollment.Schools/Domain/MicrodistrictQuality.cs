using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Domain;

/// <summary>A registered address claimed by several schools (overlap) or by none (gap).</summary>
internal sealed record AddressIssue(
    string SettlementCode, string Street, string House, double? Latitude, double? Longitude, int Residents, IReadOnlyList<string> SchoolCodes);

/// <summary>A map polygon that cannot be read or is geometrically invalid (e.g. self-intersecting).</summary>
internal sealed record PolygonIssue(string SchoolCode, IReadOnlyList<string> Problems);

/// <summary>An address rule whose house set cannot be read (it is left out of resolution).</summary>
internal sealed record RuleIssue(Guid RuleId, string SchoolCode, string Street, string HouseSet, string Problem);

/// <summary>What is wrong with the micro-districts of one district.</summary>
internal sealed record MicrodistrictQualityReport(
    string DistrictCode,
    int CheckedAddresses,
    IReadOnlyList<AddressIssue> Overlaps,
    IReadOnlyList<AddressIssue> Gaps,
    IReadOnlyList<string> SchoolsWithoutMicrodistrict,
    IReadOnlyList<PolygonIssue> InvalidPolygons,
    IReadOnlyList<RuleIssue> InvalidRules);

/// <summary>
/// The quality check of a district: every registered address of its settlements is resolved against the whole index
/// (an address claimed by two schools is an overlap, by none a gap); participating schools with neither a rule nor a
/// usable polygon have no micro-district; polygons are parsed and validated; house sets are parsed.
/// </summary>
internal static class MicrodistrictQualityCheck
{
    public static MicrodistrictQualityReport Run(
        string districtCode, MicrodistrictSnapshot snapshot, IReadOnlyCollection<School> districtSchools,
        IReadOnlyCollection<MicrodistrictRule> districtRules, IReadOnlyCollection<MicrodistrictPolygon> districtPolygons,
        IEnumerable<RegistryAddress> districtAddresses)
    {
        var overlaps = new List<AddressIssue>();
        var gaps = new List<AddressIssue>();
        var checkedAddresses = 0;
        foreach (var a in districtAddresses)
        {
            checkedAddresses++;
            var result = snapshot.Resolve(new AddressQuery(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude));
            if (result.Matches.Count == 1)
            {
                continue;
            }

            var issue = new AddressIssue(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude, a.Residents,
                [.. result.Matches.Select(m => snapshot.SchoolCode(m.SchoolId)).Order(StringComparer.Ordinal)]);
            (result.Matches.Count == 0 ? gaps : overlaps).Add(issue);
        }

        var invalidRules = new List<RuleIssue>();
        foreach (var rule in districtRules)
        {
            if (!HouseNumberSet.TryParse(rule.HouseSet, out _, out var error))
            {
                invalidRules.Add(new RuleIssue(rule.Id, rule.SchoolCode, rule.Street, rule.HouseSet, error));
            }
            else if (StreetNameNormalizer.Normalize(rule.Street).Length == 0)
            {
                invalidRules.Add(new RuleIssue(rule.Id, rule.SchoolCode, rule.Street, rule.HouseSet, "The street name is empty."));
            }
        }

        var invalidPolygons = new List<PolygonIssue>();
        var usablePolygons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var polygon in districtPolygons)
        {
            if (!GeoJsonPolygon.TryParse(polygon.GeoJson, out var parsed, out var error))
            {
                invalidPolygons.Add(new PolygonIssue(polygon.SchoolCode, [error]));
                continue;
            }

            usablePolygons.Add(polygon.SchoolCode);
            var problems = parsed.Validate();
            if (problems.Count > 0)
            {
                invalidPolygons.Add(new PolygonIssue(polygon.SchoolCode, [.. problems.Select(p => p.Message)]));
            }
        }

        var invalidRuleIds = invalidRules.Select(r => r.RuleId).ToHashSet();
        var withRules = districtRules.Where(r => !invalidRuleIds.Contains(r.Id)).Select(r => r.SchoolCode).ToHashSet(StringComparer.Ordinal);
        var without = districtSchools
            .Where(s => s.ParticipatesInEnrollment && !withRules.Contains(s.Code) && !usablePolygons.Contains(s.Code))
            .Select(s => s.Code).Order(StringComparer.Ordinal).ToArray();

        static IReadOnlyList<AddressIssue> Sorted(List<AddressIssue> list) => [.. list
            .OrderBy(i => i.SettlementCode, StringComparer.Ordinal).ThenBy(i => i.Street, StringComparer.Ordinal)
            .ThenBy(i => i.House, StringComparer.Ordinal)];

        return new MicrodistrictQualityReport(districtCode, checkedAddresses, Sorted(overlaps), Sorted(gaps), without,
            [.. invalidPolygons.OrderBy(p => p.SchoolCode, StringComparer.Ordinal)],
            [.. invalidRules.OrderBy(r => r.SchoolCode, StringComparer.Ordinal).ThenBy(r => r.Street, StringComparer.Ordinal)]);
    }
}

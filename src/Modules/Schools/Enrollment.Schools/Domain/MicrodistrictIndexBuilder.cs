using Enrollment.Schools.Domain.Addresses;
using IndexRule = Enrollment.Schools.Domain.Addresses.MicrodistrictRule;
using IndexPolygon = Enrollment.Schools.Domain.Addresses.MicrodistrictPolygon;

namespace Enrollment.Schools.Domain;

/// <summary>The index of all participating schools' micro-districts, with the ids it uses mapped back to school codes.</summary>
internal sealed class MicrodistrictSnapshot(
    MicrodistrictIndex index, IReadOnlyDictionary<Guid, string> schoolCodes, IReadOnlyDictionary<IndexRule, Guid> ruleIds, long revision)
{
    public MicrodistrictIndex Index { get; } = index;

    public long Revision { get; } = revision;

    public string SchoolCode(Guid schoolId) => schoolCodes[schoolId];

    public Guid? RuleId(IndexRule rule) => ruleIds.TryGetValue(rule, out var id) ? id : null;

    public ResolutionResult Resolve(AddressQuery query) => Index.Resolve(query);
}

/// <summary>
/// Builds the resolution index from the stored micro-districts. Only participating schools are indexed; a rule whose
/// house set cannot be read and a polygon that cannot be parsed are left out (the quality report lists them).
/// </summary>
internal static class MicrodistrictIndexBuilder
{
    public static MicrodistrictSnapshot Build(
        IEnumerable<School> schools, IEnumerable<MicrodistrictRule> rules, IEnumerable<MicrodistrictPolygon> polygons,
        IEnumerable<StreetNameAlias> aliases, long revision = 0)
    {
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var codes = new Dictionary<Guid, string>();
        foreach (var school in schools.Where(s => s.ParticipatesInEnrollment).OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            var id = SchoolId(ids.Count);
            ids[school.Code] = id;
            codes[id] = school.Code;
        }

        var ruleIds = new Dictionary<IndexRule, Guid>(ReferenceEqualityComparer.Instance);
        var indexRules = new List<IndexRule>();
        foreach (var rule in rules)
        {
            if (ids.TryGetValue(rule.SchoolCode, out var schoolId) && HouseNumberSet.TryParse(rule.HouseSet, out var houses, out _))
            {
                var indexRule = new IndexRule(schoolId, rule.SettlementCode, rule.Street, houses);
                indexRules.Add(indexRule);
                ruleIds[indexRule] = rule.Id;
            }
        }

        var indexPolygons = new List<IndexPolygon>();
        foreach (var polygon in polygons)
        {
            if (ids.TryGetValue(polygon.SchoolCode, out var schoolId) && GeoJsonPolygon.TryParse(polygon.GeoJson, out var parsed, out _))
            {
                indexPolygons.Add(new IndexPolygon(schoolId, parsed));
            }
        }

        var aliasTable = new StreetAliasTable(aliases
            .Where(a => StreetNameNormalizer.Normalize(a.Street).Length > 0 && StreetNameNormalizer.Normalize(a.Variant).Length > 0)
            .Select(a => new StreetAlias(a.SettlementCode, a.Street, a.Variant)));
        return new MicrodistrictSnapshot(new MicrodistrictIndex(indexRules, indexPolygons, aliasTable), codes, ruleIds, revision);
    }

    private static Guid SchoolId(int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, index + 1);
        return new Guid(bytes);
    }
}

using System.Globalization;
using System.Text.Json;

namespace Enrollment.DemoData.Tests;

/// <summary>Independent re-checks of a dataset's invariants, shared by the tiny and national tests.</summary>
internal static class Checks
{
    public static (double[] Lons, double[] Lats) Ring(string geoJson)
    {
        using var doc = JsonDocument.Parse(geoJson);
        var root = doc.RootElement;
        Assert.Equal("Polygon", root.GetProperty("type").GetString());
        var rings = root.GetProperty("coordinates");
        Assert.Equal(1, rings.GetArrayLength());
        var ring = rings[0];
        var lons = new double[ring.GetArrayLength()];
        var lats = new double[lons.Length];
        for (var i = 0; i < lons.Length; i++)
        {
            Assert.Equal(2, ring[i].GetArrayLength());
            lons[i] = ring[i][0].GetDouble();
            lats[i] = ring[i][1].GetDouble();
        }

        return (lons, lats);
    }

    public static bool Inside(double[] lons, double[] lats, double lon, double lat)
    {
        var inside = false;
        for (int i = 0, j = lons.Length - 1; i < lons.Length; j = i++)
        {
            if ((lats[i] > lat) != (lats[j] > lat) && lon < ((lons[j] - lons[i]) * (lat - lats[i]) / (lats[j] - lats[i])) + lons[i])
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>
    /// Resolves every registered address by exact (settlement, street, house set) matching — using the rule spelling for the
    /// listed spelling variants — and checks each address lands in exactly the anomaly list it should.
    /// </summary>
    public static void AnomaliesAgreeWithRules(DemoDataset d)
    {
        var rules = d.MicrodistrictRules
            .GroupBy(r => (r.SettlementCode, r.Street))
            .ToDictionary(g => g.Key, g => g.Select(r => (r.SchoolCode, Set: HouseSet.Parse(r.HouseSet))).ToArray());
        var polygons = d.MicrodistrictPolygons.Select(p => (p.SchoolCode, Ring: Ring(p.GeoJson))).ToArray();
        var variants = d.Anomalies.StreetSpellingVariants.ToDictionary(v => v.Pin, StringComparer.Ordinal);
        var overlaps = d.Anomalies.AddressesInTwoMicrodistricts.ToDictionary(v => v.Pin, StringComparer.Ordinal);
        var gaps = d.Anomalies.AddressesInNoMicrodistrict.ToDictionary(v => v.Pin, StringComparer.Ordinal);
        var polygonOnly = d.Anomalies.AddressesWithCoordinatesOnlyPolygonMatchPins.ToHashSet(StringComparer.Ordinal);

        foreach (var a in d.Addresses)
        {
            var street = a.Street;
            if (variants.TryGetValue(a.Pin, out var v))
            {
                Assert.Equal(a.Street, v.RegistrySpelling);
                Assert.NotEqual(v.RuleSpelling, v.RegistrySpelling);
                street = v.RuleSpelling;
            }

            var schools = rules.TryGetValue((a.SettlementCode, street), out var rs)
                ? rs.Where(r => r.Set.Contains(a.House)).Select(r => r.SchoolCode).Distinct().Order(StringComparer.Ordinal).ToArray()
                : [];

            if (schools.Length >= 2)
            {
                Assert.True(overlaps.TryGetValue(a.Pin, out var key), $"{a.Pin}: overlap not listed");
                Assert.Equal(schools, key!.SchoolCodes);
                Assert.False(variants.ContainsKey(a.Pin));
            }
            else if (schools.Length == 1)
            {
                Assert.False(overlaps.ContainsKey(a.Pin) || gaps.ContainsKey(a.Pin) || polygonOnly.Contains(a.Pin), $"{a.Pin}: resolves to one school but listed as an anomaly");
            }
            else
            {
                Assert.False(variants.ContainsKey(a.Pin));
                var hits = a.Latitude is { } lat && a.Longitude is { } lon
                    ? polygons.Count(p => Inside(p.Ring.Lons, p.Ring.Lats, lon, lat))
                    : 0;
                if (hits == 1)
                {
                    Assert.Contains(a.Pin, polygonOnly);
                }
                else
                {
                    Assert.True(hits == 0, $"{a.Pin}: a gap lies inside {hits} polygons, so the polygon fallback would name {hits} schools");
                    Assert.True(gaps.TryGetValue(a.Pin, out var key), $"{a.Pin}: gap not listed");
                    Assert.Empty(key!.SchoolCodes);
                    Assert.Equal(a.Street, key.Street);
                    Assert.Equal(a.House, key.House);
                }
            }
        }

        var pins = d.Addresses.Select(a => a.Pin).ToHashSet(StringComparer.Ordinal);
        Assert.All(overlaps.Keys.Concat(gaps.Keys).Concat(polygonOnly).Concat(variants.Keys), p => Assert.Contains(p, pins));
    }

    public static void PinsValid(DemoDataset d)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in d.Persons)
        {
            Assert.True(seen.Add(p.Pin), $"duplicate PIN {p.Pin}");
            Assert.Equal(14, p.Pin.Length);
            Assert.All(p.Pin, c => Assert.InRange(c, '0', '9'));
            Assert.Equal(p.Sex == 'F' ? '1' : '2', p.Pin[0]);
            Assert.Contains(p.Sex, "FM");
            var date = DateOnly.ParseExact(p.Pin[1..9], "ddMMyyyy", CultureInfo.InvariantCulture);
            Assert.Equal(p.BirthDate, date);
            Assert.NotEqual("00000", p.Pin[9..]);
        }
    }
}

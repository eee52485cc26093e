using System.Globalization;

namespace Enrollment.DemoData;

/// <summary>Builds one dataset. Part 1: regions, districts, settlements, schools, streets, rules and polygons.</summary>
internal sealed partial class Builder
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly DemoProfile _profile;
    private readonly int _seed;
    private readonly bool _tiny;

    private readonly List<DemoRegion> _regions = [];
    private readonly List<DemoDistrict> _districts = [];
    private readonly List<SettlementGen> _settlements = [];
    private readonly List<SchoolGen> _schools = [];
    private readonly List<RuleGen> _rules = [];

    public Builder(DemoProfile profile, int seed)
    {
        _profile = profile;
        _seed = seed;
        _tiny = profile == DemoProfile.Tiny;
    }

    private Prng Rng(ulong stream) => Prng.Derive(_seed, _profile, stream);

    private sealed class SettlementGen
    {
        public required int Index { get; init; }
        public required string Code { get; init; }
        public required int District { get; init; }
        public required RegionInfo Region { get; init; }
        public required string NameRu { get; init; }
        public required string NameKy { get; init; }
        public required string Kind { get; init; }
        public required double Lat { get; init; }
        public required double Lon { get; init; }
        public required int SchoolCount { get; init; }
        public required bool RulesInKyrgyz { get; init; }
        public List<int> Schools { get; } = [];
        public List<int> Participating { get; } = [];
        public List<StreetGen> Streets { get; } = [];
        public List<int> Uncovered { get; } = [];
        public int Children { get; set; }
    }

    private sealed class StreetGen
    {
        public required StreetType Type { get; init; }
        public required StreetBase Base { get; init; }
        public required string NameRu { get; init; }
        public required string NameKy { get; init; }
        public required int MaxHouse { get; init; }
        public required bool Covered { get; init; }
        public required string RuleSpelling { get; init; }
        public bool HasAll { get; set; }
    }

    private sealed class SchoolGen
    {
        public required int Index { get; init; }
        public required string Code { get; init; }
        public required int Settlement { get; init; }
        public double Lat { get; set; }
        public double Lon { get; set; }
        public double Radius { get; set; }
        public bool Participates { get; set; } = true;
        public string? Reason { get; set; }
        public int Seats { get; set; }
        public double Weight { get; set; }
        public List<int> Segments { get; } = [];
        public double[] PolygonLon { get; set; } = [];
        public double[] PolygonLat { get; set; } = [];
        public double MinLat { get; set; }
        public double MaxLat { get; set; }
        public double MinLon { get; set; }
        public double MaxLon { get; set; }
    }

    private sealed class RuleGen
    {
        public required int School { get; init; }
        public required int Settlement { get; init; }
        public required int Street { get; init; }
        public required HouseSet Houses { get; init; }

        /// <summary>True for rules added to plant overlaps (never used to place ordinary households).</summary>
        public bool Overlap { get; init; }
    }

    private sealed record SettlementPlan(string NameRu, string NameKy, string Kind, int Schools, double Lat, double Lon);

    // ---------------------------------------------------------------- geography

    private void BuildGeography()
    {
        var rng = Rng(1);
        var regionIndices = _tiny ? new[] { 6 } : Enumerable.Range(0, Geography.Regions.Count).ToArray();
        foreach (var ri in regionIndices)
        {
            var region = Geography.Regions[ri];
            var regionCode = "R" + (ri + 1).ToString("00", Inv);
            _regions.Add(new DemoRegion(regionCode, region.NameKy, region.NameRu, region.IsCity));

            var districtIndices = _tiny ? new[] { 0, 7 } : Enumerable.Range(0, region.Districts.Count).ToArray();
            var schoolCounts = _tiny ? Array.Empty<int>() : Apportion(region.Schools, region.Districts.Select(d => d.Weight).ToArray());
            foreach (var di in districtIndices)
            {
                var d = region.Districts[di];
                var districtCode = "D" + (ri + 1).ToString("00", Inv) + (di + 1).ToString("00", Inv);
                var districtIndex = _districts.Count;
                _districts.Add(new DemoDistrict(districtCode, regionCode, d.NameKy, d.NameRu));
                var plans = _tiny ? TinyPlans(di) : NationalPlans(d, schoolCounts[di], rng);
                var kyrgyzRules = d.Kind == DistrictKind.Raion && region.Russian < 0.05 && rng.Chance(0.5);
                for (var i = 0; i < plans.Count; i++)
                {
                    var p = plans[i];
                    _settlements.Add(new SettlementGen
                    {
                        Index = _settlements.Count,
                        Code = "L" + districtCode[1..] + (i + 1).ToString("000", Inv),
                        District = districtIndex,
                        Region = region,
                        NameRu = p.NameRu,
                        NameKy = p.NameKy,
                        Kind = p.Kind,
                        Lat = Math.Round(p.Lat, 6),
                        Lon = Math.Round(p.Lon, 6),
                        SchoolCount = p.Schools,
                        RulesInKyrgyz = kyrgyzRules,
                    });
                }
            }
        }
    }

    private static List<SettlementPlan> TinyPlans(int districtIndex) => districtIndex == 0
        ? [new("Лебединовка", "Лебединовка", "Town", 2, 42.885, 74.680)]
        : [new("Кант", "Кант", "Town", 4, 42.891, 74.851), new("Ивановка", "Ивановка", "Village", 2, 42.887, 75.083)];

    private static List<SettlementPlan> NationalPlans(DistrictInfo d, int schools, Prng rng)
    {
        if (d.Kind != DistrictKind.Raion)
        {
            return [new(d.CentreRu, d.CentreKy, "City", schools, d.Lat, d.Lon)];
        }

        var centreSchools = Math.Max(2, (int)Math.Round(schools * 0.15));
        var plans = new List<SettlementPlan> { new(d.CentreRu, d.CentreKy, "Town", centreSchools, d.Lat, d.Lon) };
        var used = new HashSet<string>(StringComparer.Ordinal) { d.CentreKy };
        var left = schools - centreSchools;
        var russianVillages = d.Lat > 42.3 && d.Lon > 73.5;
        var cosLat = Math.Cos(d.Lat * Math.PI / 180);
        while (left > 0)
        {
            var r = rng.NextDouble();
            var n = Math.Min(left, r < 0.55 ? 1 : r < 0.85 ? 2 : 3);
            left -= n;
            string ky;
            string ru;
            do
            {
                if (russianVillages && rng.Chance(0.35))
                {
                    ky = ru = rng.Pick(NamePools.RussianVillages);
                }
                else
                {
                    ky = rng.Pick(NamePools.VillagePrefixes) + "-" + rng.Pick(NamePools.VillageSuffixes);
                    ru = NamePools.KyToRu(ky);
                }
            }
            while (!used.Add(ky));

            var angle = rng.NextDouble() * 2 * Math.PI;
            var dist = rng.Between(0.03, 0.16);
            var lat = Math.Clamp(d.Lat + (dist * Math.Sin(angle)), Geography.MinLat + 0.05, Geography.MaxLat - 0.05);
            var lon = Math.Clamp(d.Lon + (dist * Math.Cos(angle) / cosLat), Geography.MinLon + 0.05, Geography.MaxLon - 0.05);
            plans.Add(new(ru, ky, "Village", n, lat, lon));
        }

        return plans;
    }

    /// <summary>Largest-remainder apportionment of <paramref name="total"/> by weights.</summary>
    internal static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var result = new int[weights.Count];
        var rema = new (double Rem, int Index)[weights.Count];
        var given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = total * weights[i] / sum;
            result[i] = (int)Math.Floor(exact);
            given += result[i];
            rema[i] = (exact - result[i], i);
        }

        var order = rema.OrderByDescending(x => x.Rem).ThenBy(x => x.Index).ToArray();
        for (var k = 0; given < total; k++, given++)
        {
            result[order[k % order.Length].Index]++;
        }

        return result;
    }

    // ---------------------------------------------------------------- schools

    private void BuildSchools()
    {
        var rng = Rng(2);
        foreach (var s in _settlements)
        {
            var g = s.NameRu == "Бишкек" ? 0.009 : 0.012;
            var cols = (int)Math.Ceiling(Math.Sqrt(s.SchoolCount));
            var rows = (int)Math.Ceiling(s.SchoolCount / (double)cols);
            var cosLat = Math.Cos(s.Lat * Math.PI / 180);
            for (var i = 0; i < s.SchoolCount; i++)
            {
                var row = i / cols;
                var col = i % cols;
                var dy = ((row - ((rows - 1) / 2.0)) * g) + rng.Between(-0.05 * g, 0.05 * g);
                var dx = ((col - ((cols - 1) / 2.0)) * g) + rng.Between(-0.05 * g, 0.05 * g);
                var school = new SchoolGen
                {
                    Index = _schools.Count,
                    Code = "S" + (_schools.Count + 1).ToString("00000", Inv),
                    Settlement = s.Index,
                    Lat = Math.Round(s.Lat + dy, 6),
                    Lon = Math.Round(s.Lon + (dx / cosLat), 6),
                    Radius = 0.4 * g,
                };
                var kindWeight = s.Kind switch { "City" => 4.0, "Town" => 2.2, _ => 1.0 };
                school.Weight = kindWeight * rng.Between(0.6, 1.4);
                s.Schools.Add(school.Index);
                _schools.Add(school);
            }
        }

        PickNonParticipating(rng);

        foreach (var s in _settlements)
        {
            s.Participating.AddRange(s.Schools.Where(i => _schools[i].Participates));
        }

        AssignSeats();
    }

    private void PickNonParticipating(Prng rng)
    {
        var target = _tiny ? 2 : (int)Math.Round(_schools.Count * 0.045);
        var left = _settlements.Select(s => s.SchoolCount).ToArray();
        var weights = _schools.Select(sc => _settlements[sc.Settlement].Kind switch { "City" => 6.0, "Town" => 2.0, _ => 0.3 }).ToArray();
        for (var picked = 0; picked < target;)
        {
            var i = rng.PickWeighted(weights);
            var school = _schools[i];
            var settlement = _settlements[school.Settlement];
            weights[i] = 0;
            if (left[settlement.Index] <= 1)
            {
                continue;
            }

            left[settlement.Index]--;
            school.Participates = false;
            var r = rng.NextDouble();
            school.Reason = settlement.Kind == "Village"
                ? (r < 0.5 ? "Boarding" : r < 0.8 ? "SpecialPmpk" : "Evening")
                : (r < 0.4 ? "Lyceum" : r < 0.6 ? "SpecialPmpk" : r < 0.75 ? "Boarding" : r < 0.9 ? "Evening" : "Music");
            if (_tiny)
            {
                school.Reason = picked == 0 ? "Lyceum" : "SpecialPmpk";
            }

            picked++;
        }
    }

    private void AssignSeats()
    {
        if (_tiny)
        {
            foreach (var sc in _schools.Where(s => s.Participates))
            {
                sc.Seats = (int)Math.Round(28 * sc.Weight);
            }

            return;
        }

        foreach (var region in Geography.Regions)
        {
            var schools = _schools.Where(s => s.Participates && _settlements[s.Settlement].Region == region).ToArray();
            var seats = Apportion(region.Seats - (schools.Length * 8), schools.Select(s => s.Weight).ToArray());
            for (var i = 0; i < schools.Length; i++)
            {
                schools[i].Seats = 8 + seats[i];
            }
        }
    }

    // ---------------------------------------------------------------- streets and rules

    private void BuildStreetsAndRules()
    {
        var rng = Rng(3);
        foreach (var s in _settlements)
        {
            var p = s.Participating.Count;
            var perSchool = s.Kind switch { "City" => 5, "Town" => 5, _ => 4 };
            var uncovered = s.Kind switch { "City" => 3, "Town" => 2, _ => 1 };
            var pool = StreetPool(s, p, rng);
            var covered = Math.Min(Math.Max(3, p * perSchool), pool.Count - uncovered);
            for (var i = 0; i < covered + uncovered; i++)
            {
                var (type, b) = pool[i];
                var isCovered = i < covered;
                var max = type switch
                {
                    StreetType.Lane => rng.Between(10, 40),
                    StreetType.Avenue => rng.Between(80, 250),
                    StreetType.Microdistrict => rng.Between(12, 60),
                    _ => s.Kind switch { "City" => rng.Between(40, 200), "Town" => rng.Between(25, 120), _ => rng.Between(15, 60) },
                };
                var street = new StreetGen
                {
                    Type = type,
                    Base = b,
                    NameRu = NamePools.StreetNameRu(type, b),
                    NameKy = NamePools.StreetNameKy(type, b),
                    MaxHouse = max,
                    Covered = isCovered,
                    RuleSpelling = s.RulesInKyrgyz ? NamePools.StreetNameKy(type, b) : NamePools.StreetNameRu(type, b),
                };
                if (!isCovered)
                {
                    s.Uncovered.Add(s.Streets.Count);
                }

                s.Streets.Add(street);
            }

            if (p == 0)
            {
                continue;
            }

            for (var i = 0; i < covered; i++)
            {
                var owner = s.Participating[i * p / covered];
                var next = s.Participating[((i * p / covered) + 1) % p];
                AddStreetRules(s, i, owner, next, p, rng);
            }
        }
    }

    private List<(StreetType Type, StreetBase Base)> StreetPool(SettlementGen s, int participating, Prng rng)
    {
        var streets = NamePools.StreetBases.ToList();
        rng.Shuffle(streets);

        // Make sure a street with "ё" is present in every town and city (for ё/е spelling variants).
        var yo = streets.FindIndex(b => b.Ru.Contains('ё', StringComparison.Ordinal));
        (streets[0], streets[yo]) = (streets[yo], streets[0]);

        var pool = new List<(StreetType, StreetBase)>();
        if (s.Kind == "Village")
        {
            pool.AddRange(streets.Select(b => (StreetType.Street, b)));
            return pool;
        }

        var avenues = NamePools.AvenueBases.ToList();
        rng.Shuffle(avenues);
        var mkr = NamePools.MicrodistrictBases.ToList();
        rng.Shuffle(mkr);
        var nAvenues = s.Kind == "City" ? Math.Min(4, (participating / 3) + 1) : 1;
        var nMkr = s.Kind == "City" ? Math.Min(8, (participating / 3) + 1) : 1;
        var special = avenues.Take(nAvenues).Select(b => (StreetType.Avenue, b))
            .Concat(mkr.Take(nMkr).Select(b => (StreetType.Microdistrict, b))).ToList();
        var lanes = streets.Where(b => !b.Adjective).Select(b => (StreetType.Lane, b)).ToList();
        rng.Shuffle(lanes);

        // Interleave so that avenues and micro-rayons are spread over schools, then streets, then lanes.
        pool.Add((StreetType.Street, streets[0]));
        var rest = streets.Skip(1).Select(b => (StreetType.Street, b)).ToList();
        var step = Math.Max(2, Math.Min(rest.Count, participating * 5) / Math.Max(1, special.Count));
        for (var i = 0; i < special.Count; i++)
        {
            rest.Insert(Math.Min(rest.Count, (i * step) + 1), special[i]);
        }

        pool.AddRange(rest);
        pool.AddRange(lanes);
        return pool;
    }

    private void AddStreetRules(SettlementGen s, int street, int owner, int next, int participating, Prng rng)
    {
        var st = s.Streets[street];
        var max = st.MaxHouse;
        var r = rng.NextDouble();
        if (participating == 1)
        {
            if (r < 0.7)
            {
                AddRule(owner, s, street, HouseSet.All);
            }
            else
            {
                AddRule(owner, s, street, HouseSet.Range(1, max));
            }

            return;
        }

        if (r < 0.55)
        {
            AddRule(owner, s, street, HouseSet.All);
        }
        else if (r < 0.75)
        {
            var k = rng.Between(max / 3, 2 * max / 3);
            AddRule(owner, s, street, HouseSet.Range(1, k));
            AddRule(next, s, street, HouseSet.Range(k + 1, max));
        }
        else if (r < 0.87 || max < 12)
        {
            AddRule(owner, s, street, HouseSet.Odd(1, max % 2 == 1 ? max : max + 1));
            AddRule(next, s, street, HouseSet.Even(2, max % 2 == 0 ? max : max + 1));
        }
        else
        {
            var k = rng.Between(max / 2, max - 6);
            AddRule(owner, s, street, HouseSet.Range(1, k));
            var items = new List<string>();
            var numbers = Enumerable.Range(k + 1, max - k).ToList();
            rng.Shuffle(numbers);
            var count = Math.Min(numbers.Count, rng.Between(3, 5));
            numbers = numbers.Take(count).Order().ToList();
            for (var i = 0; i < numbers.Count; i++)
            {
                var n = numbers[i].ToString(Inv);
                items.Add((i % 4) switch { 0 => n, 1 => n + "А", 2 => n + "/2", _ => n + " корп. 2" });
            }

            AddRule(next, s, street, HouseSet.List(items));
        }
    }

    private void AddRule(int school, SettlementGen s, int street, HouseSet houses, bool overlap = false)
    {
        if (houses.Kind == HouseSetKind.All)
        {
            s.Streets[street].HasAll = true;
        }

        if (!overlap)
        {
            _schools[school].Segments.Add(_rules.Count);
        }

        _rules.Add(new RuleGen { School = school, Settlement = s.Index, Street = street, Houses = houses, Overlap = overlap });
    }

    // ---------------------------------------------------------------- polygons

    private void BuildPolygons()
    {
        foreach (var sc in _schools.Where(s => s.Participates))
        {
            var cosLat = Math.Cos(sc.Lat * Math.PI / 180);
            var lons = new double[7];
            var lats = new double[7];
            for (var k = 0; k < 6; k++)
            {
                var a = k * Math.PI / 3;
                lons[k] = Math.Round(sc.Lon + (sc.Radius * Math.Cos(a) / cosLat), 6);
                lats[k] = Math.Round(sc.Lat + (sc.Radius * Math.Sin(a)), 6);
            }

            lons[6] = lons[0];
            lats[6] = lats[0];
            sc.PolygonLon = lons;
            sc.PolygonLat = lats;
            sc.MinLat = lats.Min();
            sc.MaxLat = lats.Max();
            sc.MinLon = lons.Min();
            sc.MaxLon = lons.Max();
        }
    }

    private static string PolygonGeoJson(SchoolGen sc)
    {
        var sb = new System.Text.StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (var k = 0; k < sc.PolygonLon.Length; k++)
        {
            if (k > 0)
            {
                sb.Append(',');
            }

            sb.Append('[').Append(sc.PolygonLon[k].ToString("0.######", Inv)).Append(',')
                .Append(sc.PolygonLat[k].ToString("0.######", Inv)).Append(']');
        }

        return sb.Append("]]}").ToString();
    }

    /// <summary>Even-odd ray casting over the (rounded) polygon ring.</summary>
    internal static bool InsideRing(IReadOnlyList<double> lons, IReadOnlyList<double> lats, double lon, double lat)
    {
        var inside = false;
        for (int i = 0, j = lons.Count - 1; i < lons.Count; j = i++)
        {
            if ((lats[i] > lat) != (lats[j] > lat)
                && lon < ((lons[j] - lons[i]) * (lat - lats[i]) / (lats[j] - lats[i])) + lons[i])
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private int CountPolygonsContaining(double lat, double lon, out int school)
    {
        school = -1;
        var count = 0;
        foreach (var sc in _schools)
        {
            if (!sc.Participates || lat < sc.MinLat || lat > sc.MaxLat || lon < sc.MinLon || lon > sc.MaxLon)
            {
                continue;
            }

            if (InsideRing(sc.PolygonLon, sc.PolygonLat, lon, lat))
            {
                count++;
                school = sc.Index;
            }
        }

        return count;
    }
}

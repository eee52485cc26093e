namespace Enrollment.Schools.Domain.Addresses;

/// <summary>One address rule of a school's micro-district: the street as written by the district officer and its houses.</summary>
internal sealed record MicrodistrictRule(Guid SchoolId, string SettlementCode, string Street, HouseNumberSet Houses)
{
    public override string ToString() => $"{Street}: {Houses}";
}

/// <summary>The map territory of a school's micro-district.</summary>
internal sealed record MicrodistrictPolygon(Guid SchoolId, GeoJsonPolygon Polygon);

/// <summary>An address to resolve, e.g. a parent's registered address from the population registry.</summary>
internal sealed record AddressQuery(string? SettlementCode, string? Street, string? House, double? Latitude = null, double? Longitude = null);

/// <summary>Overall result of a resolution.</summary>
internal enum ResolutionOutcome
{
    /// <summary>At least one school serves the address.</summary>
    Matched,

    /// <summary>The settlement is known but no rule covers the street and house (and no polygon contains the point).</summary>
    NoMatchingRule,

    /// <summary>The street has rules, but the house number cannot be read and no "*" rule or polygon applies.</summary>
    HouseNumberUnreadable,

    /// <summary>No micro-district rules exist for the settlement (and no polygon contains the point).</summary>
    UnknownSettlement,
}

/// <summary>How a school matched.</summary>
internal enum MatchSource
{
    Rule,
    Polygon,
}

/// <summary>A school that serves the address and why: the matching rule, or the polygon containing the coordinates.</summary>
internal sealed record SchoolMatch(Guid SchoolId, MatchSource Source, MicrodistrictRule? Rule, MicrodistrictPolygon? Polygon)
{
    /// <summary>Human-readable reason, e.g. "rule 'ул. Ленина' houses 1-49" or "map polygon".</summary>
    public string Explanation => Source == MatchSource.Rule && Rule is not null
        ? $"rule '{Rule.Street}' houses {Rule.Houses}"
        : "map polygon (no address rule matched)";
}

/// <summary>Result of <see cref="MicrodistrictIndex.Resolve"/>: all schools whose micro-district contains the address.</summary>
internal sealed record ResolutionResult(ResolutionOutcome Outcome, IReadOnlyList<SchoolMatch> Matches, string StreetKey, HouseNumber? House)
{
    public bool IsMatched => Outcome == ResolutionOutcome.Matched;
}

/// <summary>
/// Finds the schools whose micro-district contains an address. Rules are indexed by (settlement, canonical street key),
/// so a resolution is one normalization, one dictionary lookup and a few range checks. Polygons are used only when no
/// rule matches and the address has coordinates; they are indexed by a uniform grid over their bounding boxes.
/// Immutable after construction and safe for concurrent use.
/// </summary>
internal sealed class MicrodistrictIndex
{
    /// <summary>A polygon covering more grid cells than this is kept in a short list checked by bounding box.</summary>
    private const int MaxCellsPerPolygon = 4096;

    private static readonly IReadOnlyList<SchoolMatch> NoMatches = [];

    private readonly Dictionary<(string Settlement, string Street), MicrodistrictRule[]> _rules;

    /// <summary>Street kinds of the rules, for the keys whose rules name different kinds ("улица Ленина", "проспект Ленина").</summary>
    private readonly Dictionary<(string Settlement, string Street), StreetKind[]> _mixedKinds;

    /// <summary>The one street kind of the keys whose rules all name the same kind (none: absent).</summary>
    private readonly Dictionary<(string Settlement, string Street), StreetKind> _ruleKinds;
    private readonly HashSet<string> _settlements;
    private readonly StreetAliasTable _aliases;
    private readonly MicrodistrictPolygon[] _polygons;
    private readonly Dictionary<long, int[]> _grid;
    private readonly int[] _largePolygons;
    private readonly double _cellSize;
    private readonly double _originLatitude;
    private readonly double _originLongitude;

    public MicrodistrictIndex(
        IEnumerable<MicrodistrictRule> rules,
        IEnumerable<MicrodistrictPolygon>? polygons = null,
        StreetAliasTable? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _aliases = aliases ?? StreetAliasTable.Empty;

        var grouped = new Dictionary<(string, string), List<MicrodistrictRule>>();
        _settlements = new HashSet<string>(StringComparer.Ordinal);
        foreach (MicrodistrictRule rule in rules)
        {
            string settlement = StreetAliasTable.NormalizeSettlement(rule.SettlementCode);
            string key = _aliases.CanonicalKeyOfNormalized(settlement, StreetNameNormalizer.Normalize(rule.Street));
            _settlements.Add(settlement);
            if (key.Length == 0)
            {
                continue;
            }

            if (!grouped.TryGetValue((settlement, key), out List<MicrodistrictRule>? list))
            {
                grouped[(settlement, key)] = list = [];
            }

            list.Add(rule);
            RuleCount++;
        }

        _rules = grouped.ToDictionary(g => g.Key, g => g.Value.ToArray());
        _mixedKinds = [];
        _ruleKinds = [];
        foreach (var (key, list) in _rules)
        {
            StreetKind[] kinds = [.. list.Select(r => StreetKinds.Of(r.Street))];
            if (kinds.Where(k => k != StreetKind.None).Distinct().Count() > 1)
            {
                _mixedKinds[key] = kinds;
            }
            else if (kinds.All(k => k == kinds[0]) && kinds[0] != StreetKind.None)
            {
                _ruleKinds[key] = kinds[0];
            }
        }

        _polygons = polygons?.ToArray() ?? [];
        (_grid, _largePolygons, _cellSize, _originLatitude, _originLongitude) = BuildGrid(_polygons);
    }

    /// <summary>Number of indexed rules.</summary>
    public int RuleCount { get; }

    /// <summary>Number of indexed polygons.</summary>
    public int PolygonCount => _polygons.Length;

    /// <summary>All schools serving the address, each with how it matched; never throws.</summary>
    public ResolutionResult Resolve(AddressQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string settlement = StreetAliasTable.NormalizeSettlement(query.SettlementCode);
        string key = _aliases.CanonicalKeyOfNormalized(settlement, StreetNameNormalizer.Normalize(query.Street));
        bool houseRead = HouseNumber.TryParse(query.House, out HouseNumber house);
        bool settlementKnown = _settlements.Contains(settlement);
        bool streetHasRules = false;

        List<SchoolMatch>? matches = null;
        if (settlementKnown && key.Length > 0 && _rules.TryGetValue((settlement, key), out MicrodistrictRule[]? rules))
        {
            streetHasRules = true;
            StreetKind[]? kinds = null;
            StreetKind queryKind = StreetKind.None;
            if (_ruleKinds.TryGetValue((settlement, key), out StreetKind single) && single != StreetKind.None)
            {
                // Every rule of the name is of one kind ("улица Тыныстанова"): an address naming another kind
                // ("переулок Тыныстанова") is another street, which no rule covers.
                queryKind = StreetKinds.Of(query.Street);
                if (queryKind != StreetKind.None && queryKind != single)
                {
                    rules = [];
                }
            }
            else if (_mixedKinds.Count > 0 && _mixedKinds.TryGetValue((settlement, key), out kinds))
            {
                // One name, several streets ("улица Ленина", "проспект Ленина"): an address naming its kind matches
                // only rules of that kind (and rules that name none); an address naming none stays ambiguous.
                queryKind = StreetKinds.Of(query.Street);
                if (queryKind == StreetKind.None || Array.IndexOf(kinds, queryKind) < 0)
                {
                    kinds = null;
                }
            }

            for (int i = 0; i < rules.Length; i++)
            {
                MicrodistrictRule rule = rules[i];
                if (kinds is not null && kinds[i] != queryKind && kinds[i] != StreetKind.None)
                {
                    continue;
                }

                if ((rule.Houses.IsAll || (houseRead && rule.Houses.Contains(house))) && !HasSchool(matches, rule.SchoolId))
                {
                    (matches ??= []).Add(new SchoolMatch(rule.SchoolId, MatchSource.Rule, rule, null));
                }
            }
        }

        if (matches is null && query.Latitude is double latitude && query.Longitude is double longitude)
        {
            matches = FindPolygons(latitude, longitude);
        }

        HouseNumber? parsedHouse = houseRead ? house : null;
        if (matches is not null)
        {
            return new ResolutionResult(ResolutionOutcome.Matched, matches, key, parsedHouse);
        }

        ResolutionOutcome outcome =
            !settlementKnown ? ResolutionOutcome.UnknownSettlement
            : streetHasRules && !houseRead ? ResolutionOutcome.HouseNumberUnreadable
            : ResolutionOutcome.NoMatchingRule;
        return new ResolutionResult(outcome, NoMatches, key, parsedHouse);
    }

    private static bool HasSchool(List<SchoolMatch>? matches, Guid schoolId)
    {
        if (matches is null)
        {
            return false;
        }

        foreach (SchoolMatch match in matches)
        {
            if (match.SchoolId == schoolId)
            {
                return true;
            }
        }

        return false;
    }

    private List<SchoolMatch>? FindPolygons(double latitude, double longitude)
    {
        if (_polygons.Length == 0 || !double.IsFinite(latitude) || !double.IsFinite(longitude))
        {
            return null;
        }

        List<SchoolMatch>? matches = null;
        if (TryCell(latitude, longitude, out long cell) && _grid.TryGetValue(cell, out int[]? candidates))
        {
            foreach (int index in candidates)
            {
                AddIfInside(index, latitude, longitude, ref matches);
            }
        }

        foreach (int index in _largePolygons)
        {
            AddIfInside(index, latitude, longitude, ref matches);
        }

        return matches;
    }

    private void AddIfInside(int index, double latitude, double longitude, ref List<SchoolMatch>? matches)
    {
        MicrodistrictPolygon polygon = _polygons[index];
        if (polygon.Polygon.Contains(latitude, longitude) && !HasSchool(matches, polygon.SchoolId))
        {
            (matches ??= []).Add(new SchoolMatch(polygon.SchoolId, MatchSource.Polygon, null, polygon));
        }
    }

    private bool TryCell(double latitude, double longitude, out long cell)
    {
        double x = Math.Floor((longitude - _originLongitude) / _cellSize);
        double y = Math.Floor((latitude - _originLatitude) / _cellSize);
        if (x < 0 || y < 0 || x > int.MaxValue || y > int.MaxValue)
        {
            cell = 0;
            return false;
        }

        cell = CellKey((int)x, (int)y);
        return true;
    }

    private static long CellKey(int x, int y) => ((long)x << 32) | (uint)y;

    private static (Dictionary<long, int[]> Grid, int[] Large, double CellSize, double OriginLatitude, double OriginLongitude) BuildGrid(
        MicrodistrictPolygon[] polygons)
    {
        if (polygons.Length == 0)
        {
            return ([], [], 1, 0, 0);
        }

        double originLat = double.PositiveInfinity, originLon = double.PositiveInfinity;
        var sizes = new double[polygons.Length];
        for (int i = 0; i < polygons.Length; i++)
        {
            GeoBoundingBox box = polygons[i].Polygon.Bounds;
            originLat = Math.Min(originLat, box.MinLatitude);
            originLon = Math.Min(originLon, box.MinLongitude);
            sizes[i] = Math.Max(box.MaxLatitude - box.MinLatitude, box.MaxLongitude - box.MinLongitude);
        }

        // Cells about the size of a typical micro-district: each polygon falls into a handful of cells.
        Array.Sort(sizes);
        double cellSize = Math.Clamp(sizes[sizes.Length / 2], 0.001, 1.0);
        if (!double.IsFinite(cellSize))
        {
            cellSize = 1.0;
        }

        var cells = new Dictionary<long, List<int>>();
        var large = new List<int>();
        for (int i = 0; i < polygons.Length; i++)
        {
            GeoBoundingBox box = polygons[i].Polygon.Bounds;
            double x0 = Math.Floor((box.MinLongitude - originLon) / cellSize);
            double x1 = Math.Floor((box.MaxLongitude - originLon) / cellSize);
            double y0 = Math.Floor((box.MinLatitude - originLat) / cellSize);
            double y1 = Math.Floor((box.MaxLatitude - originLat) / cellSize);
            double cellCount = (x1 - x0 + 1) * (y1 - y0 + 1);
            if (!double.IsFinite(cellCount) || cellCount > MaxCellsPerPolygon)
            {
                large.Add(i);
                continue;
            }

            for (int x = (int)x0; x <= (int)x1; x++)
            {
                for (int y = (int)y0; y <= (int)y1; y++)
                {
                    long key = CellKey(x, y);
                    if (!cells.TryGetValue(key, out List<int>? list))
                    {
                        cells[key] = list = [];
                    }

                    list.Add(i);
                }
            }
        }

        return (cells.ToDictionary(c => c.Key, c => c.Value.ToArray()), [.. large], cellSize, originLat, originLon);
    }
}

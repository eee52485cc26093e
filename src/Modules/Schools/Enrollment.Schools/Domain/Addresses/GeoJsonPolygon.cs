using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Enrollment.Schools.Domain.Addresses;

/// <summary>A latitude/longitude rectangle.</summary>
internal readonly record struct GeoBoundingBox(double MinLatitude, double MinLongitude, double MaxLatitude, double MaxLongitude)
{
    public bool Contains(double latitude, double longitude) =>
        latitude >= MinLatitude && latitude <= MaxLatitude && longitude >= MinLongitude && longitude <= MaxLongitude;

    public bool Intersects(GeoBoundingBox other) =>
        MinLatitude <= other.MaxLatitude && other.MinLatitude <= MaxLatitude
        && MinLongitude <= other.MaxLongitude && other.MinLongitude <= MaxLongitude;
}

/// <summary>What <see cref="GeoJsonPolygon.Validate"/> found wrong with a ring.</summary>
internal enum GeoJsonProblemKind
{
    TooFewPositions,
    RingNotClosed,
    CoordinateOutOfRange,
    SelfIntersection,

    /// <summary>Edges of two rings of one polygon cross (touching at a point is allowed).</summary>
    RingsCross,

    /// <summary>A hole lies outside its outer ring.</summary>
    HoleOutsideOuterRing,
}

/// <summary>A problem of one ring: <paramref name="Polygon"/> is the index in a MultiPolygon (0 for a Polygon),
/// <paramref name="Ring"/> 0 for the outer ring and 1.. for holes.</summary>
internal sealed record GeoJsonProblem(GeoJsonProblemKind Kind, int Polygon, int Ring, string Message);

/// <summary>
/// A micro-district territory read from GeoJSON: a <c>Polygon</c> or <c>MultiPolygon</c> geometry, or a <c>Feature</c>
/// wrapping one. Positions are [longitude, latitude] (extra members such as altitude are ignored). Holes are supported.
/// <see cref="Contains"/> uses ray casting with the even-odd rule over the rings of each polygon after a bounding-box check.
/// Parsing checks the structure only; <see cref="Validate"/> reports geometric problems. Immutable.
/// </summary>
internal sealed class GeoJsonPolygon
{
    private const int MaxDepth = 16;

    private readonly Part[] _parts;

    private GeoJsonPolygon(Part[] parts)
    {
        _parts = parts;
        Bounds = Union(parts.Select(p => p.Bounds));
    }

    /// <summary>Bounding box of all positions.</summary>
    public GeoBoundingBox Bounds { get; }

    /// <summary>Number of polygons (1 for a Polygon).</summary>
    public int PolygonCount => _parts.Length;

    /// <summary>Rings of a polygon as (latitude, longitude) positions, outer ring first.</summary>
    public IReadOnlyList<IReadOnlyList<(double Latitude, double Longitude)>> Rings(int polygon) =>
        _parts[polygon].Rings
            .Select(r => (IReadOnlyList<(double, double)>)r.Lat.Zip(r.Lon).ToArray())
            .ToArray();

    /// <summary>Reads a GeoJSON geometry; never throws.</summary>
    public static bool TryParse(
        string? geoJson,
        [NotNullWhen(true)] out GeoJsonPolygon? polygon,
        [NotNullWhen(false)] out string? error)
    {
        polygon = null;
        if (string.IsNullOrWhiteSpace(geoJson))
        {
            error = "The GeoJSON text is empty.";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(geoJson, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return TryReadGeometry(document.RootElement, allowFeature: true, out polygon, out error);
        }
        catch (JsonException ex)
        {
            error = "The text is not valid JSON: " + ex.Message;
            return false;
        }
        catch (ArgumentException ex)
        {
            // Invalid UTF-16 (lone surrogates) cannot be transcoded to UTF-8.
            error = "The text is not valid JSON: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            error = "The text is not valid JSON: " + ex.Message;
            return false;
        }
    }

    /// <summary>Creates a polygon from rings of (latitude, longitude) positions; the first ring is the outer one.</summary>
    public static GeoJsonPolygon FromRings(params IReadOnlyList<(double Latitude, double Longitude)>[] rings)
    {
        if (rings.Length == 0)
        {
            throw new ArgumentException("A polygon needs an outer ring.", nameof(rings));
        }

        if (rings.Any(r => r.Count == 0))
        {
            throw new ArgumentException("A ring needs at least one position.", nameof(rings));
        }

        var converted = rings
            .Select(r => new Ring(r.Select(p => p.Latitude).ToArray(), r.Select(p => p.Longitude).ToArray()))
            .ToArray();
        return new GeoJsonPolygon([new Part(converted)]);
    }

    /// <summary>True when the point is inside the territory (inside an outer ring and not in one of its holes).</summary>
    public bool Contains(double latitude, double longitude)
    {
        if (!Bounds.Contains(latitude, longitude))
        {
            return false;
        }

        foreach (Part part in _parts)
        {
            if (part.Bounds.Contains(latitude, longitude) && part.Contains(latitude, longitude))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Geometric problems: too few positions, unclosed rings, coordinates out of range, self-intersecting rings.</summary>
    public IReadOnlyList<GeoJsonProblem> Validate()
    {
        var problems = new List<GeoJsonProblem>();
        for (int p = 0; p < _parts.Length; p++)
        {
            Ring[] rings = _parts[p].Rings;
            for (int r = 0; r < rings.Length; r++)
            {
                ValidateRing(rings[r], p, r, problems);
            }

            ValidateHoles(rings, p, problems);
        }

        return problems;
    }

    private static void ValidateRing(Ring ring, int polygon, int index, List<GeoJsonProblem> problems)
    {
        string where = index == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, outer ring")
            : string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, hole {index}");
        int n = ring.Lat.Length;

        for (int i = 0; i < n; i++)
        {
            if (ring.Lat[i] is < -90 or > 90 || ring.Lon[i] is < -180 or > 180)
            {
                problems.Add(new GeoJsonProblem(
                    GeoJsonProblemKind.CoordinateOutOfRange,
                    polygon,
                    index,
                    string.Create(CultureInfo.InvariantCulture, $"{where}: position {i} [{ring.Lon[i]}, {ring.Lat[i]}] is outside longitude −180..180 / latitude −90..90 (GeoJSON order is [longitude, latitude]).")));
                break;
            }
        }

        if (n < 4)
        {
            problems.Add(new GeoJsonProblem(
                GeoJsonProblemKind.TooFewPositions,
                polygon,
                index,
                string.Create(CultureInfo.InvariantCulture, $"{where}: has {n} positions; a ring needs at least 4 (the last equal to the first).")));
        }

        if (n > 0 && (ring.Lat[0] != ring.Lat[n - 1] || ring.Lon[0] != ring.Lon[n - 1]))
        {
            problems.Add(new GeoJsonProblem(
                GeoJsonProblemKind.RingNotClosed,
                polygon,
                index,
                $"{where}: is not closed; the last position must equal the first."));
        }

        if (FindSelfIntersection(ring) is (int first, int second))
        {
            problems.Add(new GeoJsonProblem(
                GeoJsonProblemKind.SelfIntersection,
                polygon,
                index,
                string.Create(CultureInfo.InvariantCulture, $"{where}: intersects itself (edge {first} crosses edge {second}).")));
        }
    }

    private static void ValidateHoles(Ring[] rings, int polygon, List<GeoJsonProblem> problems)
    {
        for (int r = 1; r < rings.Length; r++)
        {
            bool crossesOuter = false;
            for (int other = 0; other < r; other++)
            {
                if (RingsCross(rings[r], rings[other]))
                {
                    crossesOuter |= other == 0;
                    string what = other == 0
                        ? "the outer ring"
                        : string.Create(CultureInfo.InvariantCulture, $"hole {other}");
                    problems.Add(new GeoJsonProblem(
                        GeoJsonProblemKind.RingsCross,
                        polygon,
                        r,
                        string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, hole {r}: crosses {what}.")));
                }
            }

            Ring hole = rings[r];
            if (!crossesOuter && !rings[0].Crossings(hole.Lat[0], hole.Lon[0]))
            {
                problems.Add(new GeoJsonProblem(
                    GeoJsonProblemKind.HoleOutsideOuterRing,
                    polygon,
                    r,
                    string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, hole {r}: lies outside the outer ring.")));
            }
        }
    }

    /// <summary>True when an edge of one ring properly crosses an edge of the other (O(n·m)).</summary>
    private static bool RingsCross(Ring a, Ring b)
    {
        if (!a.Bounds.Intersects(b.Bounds))
        {
            return false;
        }

        int n = a.Lat.Length;
        int m = b.Lat.Length;
        for (int i = 0; i < n; i++)
        {
            int i2 = (i + 1) % n;
            for (int j = 0; j < m; j++)
            {
                int j2 = (j + 1) % m;
                if (ProperlyCross(a.Lon[i], a.Lat[i], a.Lon[i2], a.Lat[i2], b.Lon[j], b.Lat[j], b.Lon[j2], b.Lat[j2]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ProperlyCross(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
    {
        int o1 = Orientation(ax, ay, bx, by, cx, cy);
        int o2 = Orientation(ax, ay, bx, by, dx, dy);
        int o3 = Orientation(cx, cy, dx, dy, ax, ay);
        int o4 = Orientation(cx, cy, dx, dy, bx, by);
        return o1 * o2 < 0 && o3 * o4 < 0;
    }

    /// <summary>First pair of non-adjacent edges that touch or cross (O(n²)), or null.</summary>
    private static (int First, int Second)? FindSelfIntersection(Ring ring)
    {
        // Distinct consecutive vertices of the ring without the closing repetition.
        var xs = new List<double>(ring.Lon.Length);
        var ys = new List<double>(ring.Lat.Length);
        for (int i = 0; i < ring.Lon.Length; i++)
        {
            if (xs.Count > 0 && xs[^1] == ring.Lon[i] && ys[^1] == ring.Lat[i])
            {
                continue;
            }

            xs.Add(ring.Lon[i]);
            ys.Add(ring.Lat[i]);
        }

        if (xs.Count > 1 && xs[0] == xs[^1] && ys[0] == ys[^1])
        {
            xs.RemoveAt(xs.Count - 1);
            ys.RemoveAt(ys.Count - 1);
        }

        int m = xs.Count;
        if (m < 3)
        {
            return null;
        }

        for (int i = 0; i < m; i++)
        {
            int i2 = (i + 1) % m;
            for (int j = i + 1; j < m; j++)
            {
                int j2 = (j + 1) % m;
                bool adjacent = j == i + 1 || (i == 0 && j == m - 1);
                if (adjacent)
                {
                    // Adjacent edges share one vertex; they are a problem only if they fold back over each other.
                    if (m > 3 && FoldsBack(xs, ys, i, i2, j, j2))
                    {
                        return (i, j);
                    }

                    continue;
                }

                if (SegmentsIntersect(xs[i], ys[i], xs[i2], ys[i2], xs[j], ys[j], xs[j2], ys[j2]))
                {
                    return (i, j);
                }
            }
        }

        return null;
    }

    private static bool FoldsBack(List<double> xs, List<double> ys, int a1, int a2, int b1, int b2)
    {
        // Shared vertex s; the other ends p and q. Folding back: s, p, q collinear and p, q on the same side of s.
        int s = a2 == b1 ? a2 : a1;
        int p = s == a1 ? a2 : a1;
        int q = s == b1 ? b2 : b1;
        double cross = ((xs[p] - xs[s]) * (ys[q] - ys[s])) - ((ys[p] - ys[s]) * (xs[q] - xs[s]));
        if (cross != 0)
        {
            return false;
        }

        double dot = ((xs[p] - xs[s]) * (xs[q] - xs[s])) + ((ys[p] - ys[s]) * (ys[q] - ys[s]));
        return dot > 0;
    }

    private static bool SegmentsIntersect(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
    {
        if (Math.Max(ax, bx) < Math.Min(cx, dx) || Math.Max(cx, dx) < Math.Min(ax, bx)
            || Math.Max(ay, by) < Math.Min(cy, dy) || Math.Max(cy, dy) < Math.Min(ay, by))
        {
            return false;
        }

        int o1 = Orientation(ax, ay, bx, by, cx, cy);
        int o2 = Orientation(ax, ay, bx, by, dx, dy);
        int o3 = Orientation(cx, cy, dx, dy, ax, ay);
        int o4 = Orientation(cx, cy, dx, dy, bx, by);
        if (o1 != o2 && o3 != o4)
        {
            return true;
        }

        // Collinear touching cases (bounding boxes already overlap).
        return (o1 == 0 && OnSegment(ax, ay, bx, by, cx, cy))
            || (o2 == 0 && OnSegment(ax, ay, bx, by, dx, dy))
            || (o3 == 0 && OnSegment(cx, cy, dx, dy, ax, ay))
            || (o4 == 0 && OnSegment(cx, cy, dx, dy, bx, by));
    }

    private static int Orientation(double ax, double ay, double bx, double by, double cx, double cy)
    {
        double cross = ((bx - ax) * (cy - ay)) - ((by - ay) * (cx - ax));
        return cross > 0 ? 1 : cross < 0 ? -1 : 0;
    }

    private static bool OnSegment(double ax, double ay, double bx, double by, double px, double py) =>
        px >= Math.Min(ax, bx) && px <= Math.Max(ax, bx) && py >= Math.Min(ay, by) && py <= Math.Max(ay, by);

    private static GeoBoundingBox Union(IEnumerable<GeoBoundingBox> boxes)
    {
        double minLat = double.PositiveInfinity, minLon = double.PositiveInfinity;
        double maxLat = double.NegativeInfinity, maxLon = double.NegativeInfinity;
        foreach (GeoBoundingBox box in boxes)
        {
            minLat = Math.Min(minLat, box.MinLatitude);
            minLon = Math.Min(minLon, box.MinLongitude);
            maxLat = Math.Max(maxLat, box.MaxLatitude);
            maxLon = Math.Max(maxLon, box.MaxLongitude);
        }

        return new GeoBoundingBox(minLat, minLon, maxLat, maxLon);
    }

    private static bool TryReadGeometry(
        JsonElement element,
        bool allowFeature,
        [NotNullWhen(true)] out GeoJsonPolygon? polygon,
        [NotNullWhen(false)] out string? error)
    {
        polygon = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "Expected a GeoJSON object with a \"type\".";
            return false;
        }

        if (!element.TryGetProperty("type", out JsonElement typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            error = "The GeoJSON object has no \"type\" string.";
            return false;
        }

        string? type = typeElement.GetString();
        switch (type)
        {
            case "Feature" when allowFeature:
                if (!element.TryGetProperty("geometry", out JsonElement geometry) || geometry.ValueKind != JsonValueKind.Object)
                {
                    error = "The Feature has no \"geometry\" object.";
                    return false;
                }

                return TryReadGeometry(geometry, allowFeature: false, out polygon, out error);

            case "Polygon":
            case "MultiPolygon":
                if (!element.TryGetProperty("coordinates", out JsonElement coordinates) || coordinates.ValueKind != JsonValueKind.Array)
                {
                    error = $"The {type} has no \"coordinates\" array.";
                    return false;
                }

                var parts = new List<Part>();
                if (type == "Polygon")
                {
                    if (!TryReadPart(coordinates, 0, out Part? part, out error))
                    {
                        return false;
                    }

                    parts.Add(part);
                }
                else
                {
                    int index = 0;
                    foreach (JsonElement item in coordinates.EnumerateArray())
                    {
                        if (!TryReadPart(item, index++, out Part? part, out error))
                        {
                            return false;
                        }

                        parts.Add(part);
                    }

                    if (parts.Count == 0)
                    {
                        error = "The MultiPolygon has no polygons.";
                        return false;
                    }
                }

                polygon = new GeoJsonPolygon([.. parts]);
                error = null;
                return true;

            default:
                error = $"Unsupported GeoJSON type '{type}'; expected Polygon, MultiPolygon or a Feature with one of them.";
                return false;
        }
    }

    private static bool TryReadPart(
        JsonElement element,
        int polygon,
        [NotNullWhen(true)] out Part? part,
        [NotNullWhen(false)] out string? error)
    {
        part = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}: expected an array of rings.");
            return false;
        }

        var rings = new List<Ring>();
        foreach (JsonElement ringElement in element.EnumerateArray())
        {
            if (ringElement.ValueKind != JsonValueKind.Array)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, ring {rings.Count}: expected an array of positions.");
                return false;
            }

            var lat = new List<double>();
            var lon = new List<double>();
            foreach (JsonElement position in ringElement.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || !TryReadCoordinate(position[0], out double x) || !TryReadCoordinate(position[1], out double y))
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, ring {rings.Count}, position {lat.Count}: expected [longitude, latitude] numbers.");
                    return false;
                }

                lon.Add(x);
                lat.Add(y);
            }

            if (lat.Count == 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}, ring {rings.Count}: has no positions.");
                return false;
            }

            rings.Add(new Ring([.. lat], [.. lon]));
        }

        if (rings.Count == 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Polygon {polygon}: has no rings.");
            return false;
        }

        part = new Part([.. rings]);
        error = null;
        return true;
    }

    private static bool TryReadCoordinate(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    private sealed class Ring
    {
        public Ring(double[] lat, double[] lon)
        {
            Lat = lat;
            Lon = lon;
            double minLat = double.PositiveInfinity, minLon = double.PositiveInfinity;
            double maxLat = double.NegativeInfinity, maxLon = double.NegativeInfinity;
            for (int i = 0; i < lat.Length; i++)
            {
                minLat = Math.Min(minLat, lat[i]);
                maxLat = Math.Max(maxLat, lat[i]);
                minLon = Math.Min(minLon, lon[i]);
                maxLon = Math.Max(maxLon, lon[i]);
            }

            Bounds = new GeoBoundingBox(minLat, minLon, maxLat, maxLon);
        }

        public double[] Lat { get; }

        public double[] Lon { get; }

        public GeoBoundingBox Bounds { get; }

        /// <summary>Even-odd crossing count of a horizontal ray; the closing edge is implied.</summary>
        public bool Crossings(double latitude, double longitude)
        {
            bool inside = false;
            double[] lat = Lat;
            double[] lon = Lon;
            for (int i = 0, j = lat.Length - 1; i < lat.Length; j = i++)
            {
                if ((lat[i] > latitude) != (lat[j] > latitude)
                    && longitude < ((lon[j] - lon[i]) * (latitude - lat[i]) / (lat[j] - lat[i])) + lon[i])
                {
                    inside = !inside;
                }
            }

            return inside;
        }
    }

    private sealed class Part
    {
        public Part(Ring[] rings)
        {
            Rings = rings;
            Bounds = rings[0].Bounds;
        }

        public Ring[] Rings { get; }

        /// <summary>Bounding box of the outer ring (holes lie inside it).</summary>
        public GeoBoundingBox Bounds { get; }

        public bool Contains(double latitude, double longitude)
        {
            bool inside = false;
            foreach (Ring ring in Rings)
            {
                if (ring.Bounds.Contains(latitude, longitude) && ring.Crossings(latitude, longitude))
                {
                    inside = !inside;
                }
            }

            return inside;
        }
    }
}

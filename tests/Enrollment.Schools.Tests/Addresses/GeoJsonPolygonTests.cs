using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class GeoJsonPolygonTests
{
    // A 0.02° square around central Bishkek with a 0.004° hole in the middle. GeoJSON order is [lon, lat].
    internal const string SquareWithHole = """
        {"type":"Polygon","coordinates":[
          [[74.58,42.86],[74.60,42.86],[74.60,42.88],[74.58,42.88],[74.58,42.86]],
          [[74.588,42.868],[74.592,42.868],[74.592,42.872],[74.588,42.872],[74.588,42.868]]
        ]}
        """;

    private static GeoJsonPolygon Read(string json)
    {
        Assert.True(GeoJsonPolygon.TryParse(json, out GeoJsonPolygon? polygon, out string? error), error);
        return polygon;
    }

    [Fact]
    public void Point_inside_the_outer_ring_is_contained()
    {
        Assert.True(Read(SquareWithHole).Contains(42.862, 74.582));
    }

    [Fact]
    public void Point_outside_is_not_contained()
    {
        GeoJsonPolygon polygon = Read(SquareWithHole);
        Assert.False(polygon.Contains(42.85, 74.59));
        Assert.False(polygon.Contains(42.87, 74.61));
    }

    [Fact]
    public void Point_in_a_hole_is_not_contained()
    {
        Assert.False(Read(SquareWithHole).Contains(42.870, 74.590));
    }

    [Fact]
    public void Latitude_and_longitude_are_not_swapped()
    {
        Assert.False(Read(SquareWithHole).Contains(74.582, 42.862));
    }

    [Fact]
    public void Feature_wrapping_a_multipolygon_is_read_and_every_part_counts()
    {
        const string json = """
            {"type":"Feature","properties":{"school":"№ 5"},"geometry":{"type":"MultiPolygon","coordinates":[
              [[[0,0],[1,0],[1,1],[0,1],[0,0]]],
              [[[10,10],[11,10],[11,11],[10,11],[10,10]]]
            ]}}
            """;
        GeoJsonPolygon polygon = Read(json);
        Assert.Equal(2, polygon.PolygonCount);
        Assert.True(polygon.Contains(0.5, 0.5));
        Assert.True(polygon.Contains(10.5, 10.5));
        Assert.False(polygon.Contains(5, 5));
        Assert.Equal(new GeoBoundingBox(0, 0, 11, 11), polygon.Bounds);
    }

    [Fact]
    public void Concave_polygon_uses_ray_casting_not_the_bounding_box()
    {
        // A "U" shape: the notch at the top middle is inside the bounding box but outside the polygon.
        GeoJsonPolygon polygon = Read("""
            {"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]]}
            """);
        Assert.True(polygon.Contains(2, 0.5));
        Assert.False(polygon.Contains(2, 1.5));
        Assert.Empty(polygon.Validate());
    }

    [Fact]
    public void Valid_polygon_has_no_problems()
    {
        Assert.Empty(Read(SquareWithHole).Validate());
    }

    [Fact]
    public void Self_intersecting_bow_tie_is_reported()
    {
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}""");
        GeoJsonProblem problem = Assert.Single(polygon.Validate());
        Assert.Equal(GeoJsonProblemKind.SelfIntersection, problem.Kind);
        Assert.Contains("intersects itself", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ring_touching_itself_at_a_vertex_is_reported()
    {
        // Figure eight through (1,1).
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,0],[2,2],[1,1],[0,2],[0,0]]]}""");
        Assert.Contains(polygon.Validate(), p => p.Kind == GeoJsonProblemKind.SelfIntersection);
    }

    [Fact]
    public void Spike_folding_back_over_an_edge_is_reported()
    {
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[2,0],[1,0],[1,1],[0,1],[0,0]]]}""");
        Assert.Contains(polygon.Validate(), p => p.Kind == GeoJsonProblemKind.SelfIntersection);
    }

    [Fact]
    public void Repeated_consecutive_positions_are_not_a_self_intersection()
    {
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,0],[1,1],[0,1],[0,0]]]}""");
        Assert.Empty(polygon.Validate());
    }

    [Fact]
    public void Unclosed_ring_is_reported_but_still_contains_points()
    {
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""");
        GeoJsonProblem problem = Assert.Single(polygon.Validate());
        Assert.Equal(GeoJsonProblemKind.RingNotClosed, problem.Kind);
        Assert.True(polygon.Contains(0.5, 0.5));
    }

    [Fact]
    public void Ring_with_fewer_than_four_positions_is_reported()
    {
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}""");
        Assert.Contains(polygon.Validate(), p => p.Kind == GeoJsonProblemKind.TooFewPositions);
    }

    [Fact]
    public void Coordinates_out_of_range_are_reported_with_the_hint_about_order()
    {
        GeoJsonPolygon polygon = Read("""{"type":"Polygon","coordinates":[[[0,0],[200,0],[200,95],[0,95],[0,0]]]}""");
        GeoJsonProblem problem = Assert.Single(polygon.Validate());
        Assert.Equal(GeoJsonProblemKind.CoordinateOutOfRange, problem.Kind);
        Assert.Contains("[longitude, latitude]", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_in_a_hole_name_the_hole()
    {
        GeoJsonPolygon polygon = Read("""
            {"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,2],[2,1],[1,2],[1,1]]]}
            """);
        GeoJsonProblem problem = Assert.Single(polygon.Validate());
        Assert.Equal(1, problem.Ring);
        Assert.Contains("hole 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hole_crossing_the_outer_ring_is_reported()
    {
        GeoJsonPolygon polygon = Read("""
            {"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[3,1],[5,1],[5,2],[3,2],[3,1]]]}
            """);
        GeoJsonProblem problem = Assert.Single(polygon.Validate());
        Assert.Equal(GeoJsonProblemKind.RingsCross, problem.Kind);
    }

    [Fact]
    public void Hole_outside_the_outer_ring_is_reported()
    {
        GeoJsonPolygon polygon = Read("""
            {"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[6,6],[7,6],[7,7],[6,7],[6,6]]]}
            """);
        GeoJsonProblem problem = Assert.Single(polygon.Validate());
        Assert.Equal(GeoJsonProblemKind.HoleOutsideOuterRing, problem.Kind);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "\"type\"")]
    [InlineData("""{"type":"Point","coordinates":[1,2]}""", "Unsupported GeoJSON type 'Point'")]
    [InlineData("""{"type":"Polygon"}""", "no \"coordinates\"")]
    [InlineData("""{"type":"Polygon","coordinates":[]}""", "no rings")]
    [InlineData("""{"type":"Polygon","coordinates":[[]]}""", "no positions")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,"a"]]]}""", "[longitude, latitude]")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0]]]}""", "[longitude, latitude]")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,1e999]]]}""", "[longitude, latitude]")]
    [InlineData("""{"type":"MultiPolygon","coordinates":[]}""", "no polygons")]
    [InlineData("""{"type":"Feature","geometry":null}""", "no \"geometry\"")]
    [InlineData("""{"type":"Feature","geometry":{"type":"Feature","geometry":{}}}""", "Unsupported")]
    public void Malformed_geojson_gives_an_error_not_an_exception(string json, string expectedFragment)
    {
        Assert.False(GeoJsonPolygon.TryParse(json, out GeoJsonPolygon? polygon, out string? error));
        Assert.Null(polygon);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Very_deep_nesting_is_refused_as_invalid_json()
    {
        string json = new string('[', 10_000) + new string(']', 10_000);
        Assert.False(GeoJsonPolygon.TryParse(json, out _, out string? error));
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }
}

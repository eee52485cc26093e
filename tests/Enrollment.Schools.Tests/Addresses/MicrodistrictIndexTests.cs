using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class MicrodistrictIndexTests
{
    private const string Bishkek = "41711000000000";
    private const string Osh = "41721000000000";
    private const string Village = "41702210000000";

    private static readonly Guid School5 = new("00000000-0000-0000-0000-000000000005");
    private static readonly Guid School12 = new("00000000-0000-0000-0000-000000000012");
    private static readonly Guid School30 = new("00000000-0000-0000-0000-000000000030");
    private static readonly Guid School61 = new("00000000-0000-0000-0000-000000000061");
    private static readonly Guid VillageSchool = new("00000000-0000-0000-0000-000000000100");
    private static readonly Guid MapOnlySchool = new("00000000-0000-0000-0000-000000000200");

    private static readonly MicrodistrictIndex Index = CreateIndex();

    private static MicrodistrictIndex CreateIndex()
    {
        MicrodistrictRule Rule(Guid school, string settlement, string street, string houses) =>
            new(school, settlement, street, HouseNumberSet.Parse(houses));

        MicrodistrictRule[] rules =
        [
            Rule(School5, Bishkek, "ул. Ленина", "odd:1-49"),
            Rule(School12, Bishkek, "Ленин көчөсү", "even:2-50"),
            Rule(School12, Bishkek, "ул. Ленина", "list:51,51А,53/1,55 корп. 2"),
            Rule(School5, Bishkek, "проспект Чуй", "1-100"),
            Rule(School30, Bishkek, "Чүй проспектиси", "80-200"), // overlaps School5 on 80-100
            Rule(School30, Bishkek, "мкр. 5", "*"),
            Rule(School61, Bishkek, "ул. Семёнова", "*"),
            Rule(School61, Osh, "ул. Ленина", "*"),
            Rule(VillageSchool, Village, "Манас көчөсү", "*"),
        ];
        StreetAliasTable aliases = new(
        [
            new StreetAlias(Bishkek, "улица Ленина", "Ленин көчөсү"),
        ]);
        Assert.True(GeoJsonPolygon.TryParse(GeoJsonPolygonTests.SquareWithHole, out GeoJsonPolygon? square, out _));
        return new MicrodistrictIndex(rules, [new MicrodistrictPolygon(MapOnlySchool, square)], aliases);
    }

    private static ResolutionResult Resolve(string settlement, string street, string house, double? lat = null, double? lon = null) =>
        Index.Resolve(new AddressQuery(settlement, street, house, lat, lon));

    private static Guid OnlySchool(ResolutionResult result)
    {
        Assert.Equal(ResolutionOutcome.Matched, result.Outcome);
        return Assert.Single(result.Matches).SchoolId;
    }

    [Theory]
    [InlineData("ул. Ленина", "15")]
    [InlineData("улица  ЛЕНИНА", "15")]
    [InlineData("Ленина ул", "15А")]
    [InlineData("yл. Лeнинa", "15")] // Latin look-alikes from the registry
    [InlineData("ЛЕНИН КӨЧӨСҮ", "д. 15")] // Kyrgyz name, linked by an alias
    [InlineData("Ленин кочосу", "15/2")]
    public void Registry_spellings_in_both_languages_match_the_rule(string street, string house)
    {
        Assert.Equal(School5, OnlySchool(Resolve(Bishkek, street, house)));
    }

    [Fact]
    public void Odd_and_even_sides_of_a_street_belong_to_different_schools()
    {
        Assert.Equal(School5, OnlySchool(Resolve(Bishkek, "Ленина", "17")));
        Assert.Equal(School12, OnlySchool(Resolve(Bishkek, "Ленина", "18")));
        Assert.Equal(School12, OnlySchool(Resolve(Bishkek, "Ленина", "18Б")));
    }

    [Fact]
    public void Explicit_list_matches_exact_house_numbers()
    {
        Assert.Equal(School12, OnlySchool(Resolve(Bishkek, "ул. Ленина", "51а")));
        Assert.Equal(School12, OnlySchool(Resolve(Bishkek, "ул. Ленина", "53/1")));
        Assert.Equal(School12, OnlySchool(Resolve(Bishkek, "ул. Ленина", "55 к2")));
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Resolve(Bishkek, "ул. Ленина", "51Б").Outcome);
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Resolve(Bishkek, "ул. Ленина", "55").Outcome);
    }

    [Fact]
    public void An_address_in_two_microdistricts_returns_both_schools_with_their_rules()
    {
        ResolutionResult result = Resolve(Bishkek, "пр. Чуй", "90");
        Assert.Equal(ResolutionOutcome.Matched, result.Outcome);
        Assert.Equal([School5, School30], result.Matches.Select(m => m.SchoolId).ToArray());
        Assert.All(result.Matches, m => Assert.Equal(MatchSource.Rule, m.Source));
        Assert.Equal("проспект Чуй", result.Matches[0].Rule!.Street);
        Assert.Equal("1-100", result.Matches[0].Rule!.Houses.ToString());
        Assert.Equal("Чүй проспектиси", result.Matches[1].Rule!.Street);
        Assert.Contains("80-200", result.Matches[1].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Kyrgyz_and_russian_letters_of_a_street_match_without_an_alias()
    {
        Assert.Equal(School30, OnlySchool(Resolve(Bishkek, "Чуй пр-т", "150")));
    }

    [Theory]
    [InlineData("мкр 5")]
    [InlineData("5 мкр")]
    [InlineData("5-й микрорайон")]
    [InlineData("5-кичи району")]
    public void Microrayon_spellings_match_and_any_house_is_inside_a_star_rule(string street)
    {
        Assert.Equal(School30, OnlySchool(Resolve(Bishkek, street, "12")));
    }

    [Fact]
    public void A_street_called_5_is_not_microrayon_5()
    {
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Resolve(Bishkek, "ул. 5", "12").Outcome);
    }

    [Fact]
    public void Yo_and_ye_spellings_match()
    {
        Assert.Equal(School61, OnlySchool(Resolve(Bishkek, "Семенова", "3")));
    }

    [Fact]
    public void Rules_are_scoped_to_their_settlement()
    {
        Assert.Equal(School61, OnlySchool(Resolve(Osh, "ул. Ленина", "17")));
    }

    [Fact]
    public void Star_rule_matches_a_village_address_without_a_house_number()
    {
        Assert.Equal(VillageSchool, OnlySchool(Resolve(Village, "Манас көч.", "б/н")));
        Assert.Equal(VillageSchool, OnlySchool(Resolve(Village, "ул. Манаса"[..^1], "")));
    }

    [Fact]
    public void Unknown_street_gives_no_matching_rule()
    {
        ResolutionResult result = Resolve(Bishkek, "ул. Несуществующая", "1");
        Assert.Equal(ResolutionOutcome.NoMatchingRule, result.Outcome);
        Assert.Empty(result.Matches);
        Assert.False(result.IsMatched);
        Assert.Equal("несуществующая", result.StreetKey);
    }

    [Fact]
    public void Unreadable_house_on_a_ruled_street_gives_house_number_unreadable()
    {
        ResolutionResult result = Resolve(Bishkek, "ул. Ленина", "кв. 5");
        Assert.Equal(ResolutionOutcome.HouseNumberUnreadable, result.Outcome);
        Assert.Empty(result.Matches);
        Assert.Null(result.House);
    }

    [Fact]
    public void Unknown_settlement_is_reported()
    {
        Assert.Equal(ResolutionOutcome.UnknownSettlement, Resolve("00000000000000", "ул. Ленина", "1").Outcome);
    }

    [Fact]
    public void Empty_and_null_queries_give_a_reason_not_an_exception()
    {
        Assert.Equal(ResolutionOutcome.UnknownSettlement, Index.Resolve(new AddressQuery(null, null, null)).Outcome);
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Index.Resolve(new AddressQuery(Bishkek, null, null)).Outcome);
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Index.Resolve(new AddressQuery(Bishkek, "\uD800", "\u0000")).Outcome);
    }

    [Fact]
    public void Polygon_is_used_when_no_rule_matches_and_coordinates_are_given()
    {
        ResolutionResult result = Resolve(Bishkek, "ул. Несуществующая", "1", 42.862, 74.582);
        SchoolMatch match = Assert.Single(result.Matches);
        Assert.Equal(ResolutionOutcome.Matched, result.Outcome);
        Assert.Equal(MapOnlySchool, match.SchoolId);
        Assert.Equal(MatchSource.Polygon, match.Source);
        Assert.Null(match.Rule);
        Assert.NotNull(match.Polygon);
    }

    [Fact]
    public void Polygon_is_not_used_when_a_rule_matches()
    {
        Assert.Equal(School5, OnlySchool(Resolve(Bishkek, "ул. Ленина", "15", 42.862, 74.582)));
    }

    [Fact]
    public void Polygon_fallback_also_covers_unknown_settlements_and_unreadable_houses()
    {
        Assert.Equal(MapOnlySchool, OnlySchool(Resolve("00000000000000", "ул. Ленина", "1", 42.862, 74.582)));
        Assert.Equal(MapOnlySchool, OnlySchool(Resolve(Bishkek, "ул. Ленина", "???", 42.862, 74.582)));
    }

    [Fact]
    public void Point_outside_every_polygon_or_in_a_hole_keeps_the_rule_reason()
    {
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Resolve(Bishkek, "ул. Несуществующая", "1", 42.9, 74.7).Outcome);
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Resolve(Bishkek, "ул. Несуществующая", "1", 42.870, 74.590).Outcome);
        Assert.Equal(ResolutionOutcome.NoMatchingRule, Resolve(Bishkek, "ул. Несуществующая", "1", double.NaN, 74.590).Outcome);
    }

    [Fact]
    public void Grid_finds_polygons_of_many_schools_including_a_very_large_one()
    {
        var polygons = new List<MicrodistrictPolygon>();
        var ids = new Guid[400];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.NewGuid();
            double lat = 40 + ((i / 20) * 0.01);
            double lon = 72 + ((i % 20) * 0.01);
            polygons.Add(new MicrodistrictPolygon(ids[i], GeoJsonPolygon.FromRings(
                [(lat, lon), (lat, lon + 0.01), (lat + 0.01, lon + 0.01), (lat + 0.01, lon), (lat, lon)])));
        }

        Guid region = Guid.NewGuid();
        polygons.Add(new MicrodistrictPolygon(region, GeoJsonPolygon.FromRings(
            [(39, 69), (39, 81), (44, 81), (44, 69), (39, 69)])));
        var index = new MicrodistrictIndex([], polygons);

        for (int i = 0; i < ids.Length; i += 37)
        {
            double lat = 40 + ((i / 20) * 0.01) + 0.005;
            double lon = 72 + ((i % 20) * 0.01) + 0.005;
            ResolutionResult result = index.Resolve(new AddressQuery("x", "y", "1", lat, lon));
            Assert.Equal([ids[i], region], result.Matches.Select(m => m.SchoolId).ToArray());
        }

        Assert.Equal([region], index.Resolve(new AddressQuery("x", "y", "1", 43.5, 80)).Matches.Select(m => m.SchoolId));
        Assert.Empty(index.Resolve(new AddressQuery("x", "y", "1", 10, 10)).Matches);
    }
}

using Enrollment.Schools.Domain;

namespace Enrollment.Schools.Tests.Microdistricts;

public sealed class MicrodistrictQualityCheckTests
{
    private static School School(string code, bool participates = true) => new()
    {
        Code = code, RegionCode = "R07", DistrictCode = "D0701", SettlementCode = "L0701001", NameKy = code, NameRu = code,
        Address = "", Type = SchoolTypes.State, Languages = "ky", ParticipatesInEnrollment = participates,
    };

    private static MicrodistrictRule Rule(string school, string street, string houses) => new()
    {
        Id = Guid.NewGuid(), SchoolCode = school, SettlementCode = "L0701001", Street = street, HouseSet = houses,
    };

    private static RegistryAddress Address(string street, string house, double? lat = null, double? lon = null) => new()
    {
        SettlementCode = "L0701001", Street = street, House = house, Latitude = lat, Longitude = lon, Residents = 2,
    };

    private const string Square = """{"type":"Polygon","coordinates":[[[74.0,42.0],[74.01,42.0],[74.01,42.01],[74.0,42.01],[74.0,42.0]]]}""";
    private const string BowTie = """{"type":"Polygon","coordinates":[[[74.1,42.1],[74.11,42.11],[74.11,42.1],[74.1,42.11],[74.1,42.1]]]}""";

    private static MicrodistrictQualityReport Run(School[] schools, MicrodistrictRule[] rules, MicrodistrictPolygon[] polygons, RegistryAddress[] addresses,
        StreetNameAlias[]? aliases = null)
    {
        var snapshot = MicrodistrictIndexBuilder.Build(schools, rules, polygons, aliases ?? []);
        return MicrodistrictQualityCheck.Run("D0701", snapshot, schools, rules, polygons, addresses);
    }

    [Fact]
    public void An_address_claimed_by_two_schools_is_an_overlap_and_one_claimed_by_none_a_gap()
    {
        var report = Run(
            [School("S1"), School("S2")],
            [Rule("S1", "улица Ленина", "1-20"), Rule("S2", "ул. Ленина", "odd:15-41")],
            [],
            [Address("Ленина", "17"), Address("улица Ленина", "10"), Address("улица Ленина", "43"), Address("улица Манаса", "1")]);

        var overlap = Assert.Single(report.Overlaps);
        Assert.Equal("17", overlap.House);
        Assert.Equal(["S1", "S2"], overlap.SchoolCodes);
        Assert.Equal(["43", "1"], report.Gaps.Select(g => g.House).OrderDescending());
        Assert.Equal(4, report.CheckedAddresses);
    }

    [Fact]
    public void An_address_with_coordinates_inside_one_polygon_is_no_gap()
    {
        var report = Run([School("S1")], [Rule("S1", "улица Ленина", "*")],
            [new MicrodistrictPolygon { SchoolCode = "S1", GeoJson = Square }],
            [Address("улица Новая", "3", 42.005, 74.005), Address("улица Новая", "4", 43, 75)]);

        Assert.Equal(["4"], report.Gaps.Select(g => g.House));
    }

    [Fact]
    public void A_self_intersecting_polygon_is_reported_and_a_school_with_only_an_unreadable_polygon_has_no_microdistrict()
    {
        var report = Run([School("S1"), School("S2"), School("S3"), School("S4", participates: false)],
            [Rule("S1", "улица Ленина", "*")],
            [new MicrodistrictPolygon { SchoolCode = "S2", GeoJson = BowTie }, new MicrodistrictPolygon { SchoolCode = "S3", GeoJson = "{not json" }],
            []);

        Assert.Equal(["S2", "S3"], report.InvalidPolygons.Select(p => p.SchoolCode));
        Assert.Contains("intersects itself", report.InvalidPolygons[0].Problems[0], StringComparison.Ordinal);
        Assert.Equal(["S3"], report.SchoolsWithoutMicrodistrict);
    }

    [Fact]
    public void A_rule_with_an_unreadable_house_set_is_reported_and_does_not_count_as_a_microdistrict()
    {
        var report = Run([School("S1")], [Rule("S1", "улица Ленина", "from 1 to 9")], [], []);

        Assert.Single(report.InvalidRules);
        Assert.Equal(["S1"], report.SchoolsWithoutMicrodistrict);
    }

    [Fact]
    public void Kyrgyz_and_Russian_street_names_linked_as_aliases_resolve_alike()
    {
        var snapshot = MicrodistrictIndexBuilder.Build([School("S1")], [Rule("S1", "улица Ленина", "*")], [],
            [new StreetNameAlias { SettlementCode = "L0701001", Street = "улица Ленина", Variant = "Ленин көчөсү" }]);

        var result = snapshot.Resolve(new Domain.Addresses.AddressQuery("L0701001", "Ленин көч.", "5"));

        Assert.Equal("S1", snapshot.SchoolCode(Assert.Single(result.Matches).SchoolId));
    }

    [Fact]
    public void Schools_that_do_not_participate_are_never_resolved()
    {
        var snapshot = MicrodistrictIndexBuilder.Build([School("S1", participates: false)], [Rule("S1", "улица Ленина", "*")], [], []);

        Assert.Empty(snapshot.Resolve(new Domain.Addresses.AddressQuery("L0701001", "улица Ленина", "5")).Matches);
    }
}

public sealed class StreetKindTests
{
    private static MicrodistrictRule Rule(string school, string street, string houses) => new()
    {
        Id = Guid.NewGuid(), SchoolCode = school, SettlementCode = "L1", Street = street, HouseSet = houses,
    };

    private static School School(string code) => new()
    {
        Code = code, RegionCode = "R07", DistrictCode = "D0701", SettlementCode = "L1", NameKy = code, NameRu = code,
        Address = "", Type = SchoolTypes.State, Languages = "ky", ParticipatesInEnrollment = true,
    };

    [Theory]
    [InlineData("улица Ленина", "S2")]
    [InlineData("ул. Ленина", "S2")]
    [InlineData("Ленин көчөсү", "S2")]
    [InlineData("проспект Ленина", "S1")]
    [InlineData("пр-т Ленина", "S1")]
    [InlineData("Ленин проспектиси", "S1")]
    public void A_street_and_an_avenue_of_the_same_name_in_one_settlement_are_told_apart_by_their_type_word(string street, string school)
    {
        var snapshot = MicrodistrictIndexBuilder.Build([School("S1"), School("S2")],
            [Rule("S1", "проспект Ленина", "*"), Rule("S2", "улица Ленина", "*")], [],
            [new StreetNameAlias { SettlementCode = "L1", Street = "улица Ленина", Variant = "Ленин көчөсү" },
             new StreetNameAlias { SettlementCode = "L1", Street = "проспект Ленина", Variant = "Ленин проспектиси" }]);

        var result = snapshot.Resolve(new Domain.Addresses.AddressQuery("L1", street, "5"));

        Assert.Equal(school, snapshot.SchoolCode(Assert.Single(result.Matches).SchoolId));
    }

    [Fact]
    public void A_bare_name_shared_by_a_street_and_an_avenue_stays_ambiguous()
    {
        var snapshot = MicrodistrictIndexBuilder.Build([School("S1"), School("S2")],
            [Rule("S1", "проспект Ленина", "*"), Rule("S2", "улица Ленина", "*")], [], []);

        Assert.Equal(2, snapshot.Resolve(new Domain.Addresses.AddressQuery("L1", "Ленина", "5")).Matches.Count);
    }
}

public sealed class StreetKindStrictnessTests
{
    [Fact]
    public void A_lane_is_not_served_by_the_rules_of_the_street_of_the_same_name()
    {
        var school = new School
        {
            Code = "S1", RegionCode = "R07", DistrictCode = "D0701", SettlementCode = "L1", NameKy = "S1", NameRu = "S1",
            Address = "", Type = SchoolTypes.State, Languages = "ky", ParticipatesInEnrollment = true,
        };
        var snapshot = MicrodistrictIndexBuilder.Build([school],
            [new MicrodistrictRule { Id = Guid.NewGuid(), SchoolCode = "S1", SettlementCode = "L1", Street = "улица Тыныстанова", HouseSet = "1-124" }], [], []);

        Assert.Empty(snapshot.Resolve(new Domain.Addresses.AddressQuery("L1", "переулок Тыныстанова", "12")).Matches);
        Assert.Single(snapshot.Resolve(new Domain.Addresses.AddressQuery("L1", "Тыныстанова", "12")).Matches);
        Assert.Single(snapshot.Resolve(new Domain.Addresses.AddressQuery("L1", "ул. Тыныстанова", "12")).Matches);
    }
}

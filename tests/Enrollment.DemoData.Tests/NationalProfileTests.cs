using Xunit.Abstractions;

namespace Enrollment.DemoData.Tests;

[Collection(NationalCollection.Name)]
public sealed class NationalProfileTests(NationalFixture fixture, ITestOutputHelper output)
{
    private readonly DemoDataset _d = fixture.Dataset;

    [Fact]
    public void National_counts_are_in_the_expected_ranges()
    {
        var children = _d.ParentLinks.Select(l => l.ChildPin).Distinct(StringComparer.Ordinal).Count();
        var participating = _d.Schools.Count(s => s.ParticipatesInEnrollment);
        var a = _d.Anomalies;
        output.WriteLine($"generated in {fixture.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"regions {_d.Regions.Count}, districts {_d.Districts.Count}, settlements {_d.Settlements.Count}, streets {_d.Streets.Count}");
        output.WriteLine($"schools {_d.Schools.Count} (participating {participating}), rules {_d.MicrodistrictRules.Count}, polygons {_d.MicrodistrictPolygons.Count}");
        output.WriteLine($"persons {_d.Persons.Count}, children {children}, links {_d.ParentLinks.Count}, priority docs {_d.PriorityDocuments.Count}, seats {_d.Schools.Sum(s => s.ExpectedFirstGradeSeats)}");
        output.WriteLine($"spelling {a.StreetSpellingVariants.Count}, overlaps {a.AddressesInTwoMicrodistricts.Count}, gaps {a.AddressesInNoMicrodistrict.Count}, polygon-only {a.AddressesWithCoordinatesOnlyPolygonMatchPins.Count}");
        output.WriteLine($"over-age {a.OverAgeChildPins.Count}, no certificate {a.ChildrenWithoutBirthCertificatePins.Count}, no passport {a.ParentsWithoutPassportPins.Count}, privileged {a.PrivilegedChildPins.Count}");

        Assert.Equal(9, _d.Regions.Count);
        Assert.Equal(2, _d.Regions.Count(r => r.IsCity));
        Assert.InRange(_d.Districts.Count, 50, 60);
        Assert.InRange(_d.Schools.Count, 2_200, 2_400);
        Assert.InRange(participating, 2_150, 2_250);
        Assert.InRange(children, 240_000, 260_000);
        Assert.InRange(_d.Persons.Count, 600_000, 720_000);

        var addresses = _d.Addresses.Count;
        Assert.InRange(a.AddressesInTwoMicrodistricts.Count, addresses * 0.003, addresses * 0.008);
        Assert.InRange(a.AddressesInNoMicrodistrict.Count, addresses * 0.003, addresses * 0.008);
        Assert.InRange(a.StreetSpellingVariants.Count, addresses * 0.007, addresses * 0.015);
        Assert.InRange(a.AddressesWithCoordinatesOnlyPolygonMatchPins.Count, addresses * 0.0015, addresses * 0.005);
        Assert.InRange(a.OverAgeChildPins.Count, children * 0.01, children * 0.05);
        Assert.InRange(a.ChildrenWithoutBirthCertificatePins.Count, children * 0.007, children * 0.015);
        Assert.InRange(a.PrivilegedChildPins.Count, children * 0.02, children * 0.04);
        Assert.InRange(a.ParentsWithoutPassportPins.Count, (_d.Persons.Count - children) * 0.007, (_d.Persons.Count - children) * 0.015);
    }

    [Fact]
    public void National_school_seats_sum_to_about_190000()
    {
        var seats = _d.Schools.Sum(s => s.ExpectedFirstGradeSeats);
        Assert.InRange(seats, 171_000, 209_000);
    }

    [Fact]
    public void National_every_participating_school_has_rules_and_a_closed_polygon() => CommonRules.SchoolsRulesAndPolygonsAreConsistent(_d);

    [Fact]
    public void National_pins_are_valid_and_unique() => Checks.PinsValid(_d);

    [Fact]
    public void National_every_child_is_linked_to_a_parent_and_everyone_has_an_address() =>
        CommonRules.EveryChildHasParentsAndEveryoneAnAddress(_d);

    [Fact]
    public void National_anomaly_lists_agree_with_exact_matching_of_the_rules() => Checks.AnomaliesAgreeWithRules(_d);

    [Fact]
    public void National_document_and_age_anomaly_lists_match_the_persons() => CommonRules.OverAgeAndDocumentListsMatchPersons(_d);

    [Fact]
    public void National_accounts_are_complete_and_meet_the_password_policy()
    {
        CommonRules.AccountsAreComplete(_d);
        CommonRules.PasswordsMeetPolicy(_d);
    }

    [Fact]
    public void National_languages_are_realistic()
    {
        var bySchool = _d.Schools.ToDictionary(s => s.Code, StringComparer.Ordinal);
        var regionOf = _d.Districts.ToDictionary(x => x.Code, x => x.RegionCode, StringComparer.Ordinal);
        Assert.True(_d.Schools.Count(s => s.Languages.Contains("ky")) > _d.Schools.Count * 0.8);
        var uzRegions = _d.Schools.Where(s => s.Languages.Contains("uz")).Select(s => regionOf[s.DistrictCode]).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("R09", uzRegions);
        var tg = _d.Schools.Count(s => s.Languages.Contains("tg"));
        Assert.InRange(tg, 0, 10);
        Assert.True(bySchool.Count > 0);
    }

    [Fact]
    public void National_profile_is_deterministic()
    {
        var again = DemoDataGenerator.Generate(DemoProfile.National);
        Assert.Equal(Canonical.Hash(_d), Canonical.Hash(again));
    }
}

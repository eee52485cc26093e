namespace Enrollment.DemoData.Tests;

public sealed class TinyProfileTests
{
    private static readonly DemoDataset Tiny = DemoDataGenerator.Generate(DemoProfile.Tiny);

    [Fact]
    public void Tiny_profile_has_one_region_two_districts_three_settlements_and_about_eight_schools()
    {
        Assert.Single(Tiny.Regions);
        Assert.Equal(2, Tiny.Districts.Count);
        Assert.Equal(3, Tiny.Settlements.Count);
        Assert.Equal(8, Tiny.Schools.Count);
        Assert.InRange(Tiny.Schools.Count(s => !s.ParticipatesInEnrollment), 1, 2);
        Assert.Equal(60, Tiny.ParentLinks.Select(l => l.ChildPin).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Tiny.Schools, s => Assert.Equal(Tiny.Regions[0].Code, Tiny.Districts.Single(d => d.Code == s.DistrictCode).RegionCode));
    }

    [Fact]
    public void Tiny_profile_has_every_anomaly_kind()
    {
        var a = Tiny.Anomalies;
        Assert.NotEmpty(a.StreetSpellingVariants);
        Assert.NotEmpty(a.AddressesInTwoMicrodistricts);
        Assert.NotEmpty(a.AddressesInNoMicrodistrict);
        Assert.NotEmpty(a.OverAgeChildPins);
        Assert.NotEmpty(a.ChildrenWithoutBirthCertificatePins);
        Assert.NotEmpty(a.ParentsWithoutPassportPins);
        Assert.NotEmpty(a.PrivilegedChildPins);
        Assert.NotEmpty(a.AddressesWithCoordinatesOnlyPolygonMatchPins);
        Assert.Contains(Tiny.ParentLinks, l => l.Relation == "LegalRepresentative");
        Assert.Equal(
            ["DifficultLifeSituation", "Disability", "Kairylman", "MilitaryFamily"],
            Tiny.PriorityDocuments.Select(d => d.Category).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Tiny_profile_has_every_kind_of_street_spelling_variant()
    {
        var v = Tiny.Anomalies.StreetSpellingVariants;
        Assert.Contains(v, x => x.RegistrySpelling.StartsWith("ул. ", StringComparison.Ordinal) || x.RegistrySpelling.StartsWith("пер. ", StringComparison.Ordinal)
            || x.RegistrySpelling.EndsWith(" көч.", StringComparison.Ordinal));
        Assert.Contains(v, x => x.RegistrySpelling.EndsWith("көчөсү", StringComparison.Ordinal) != x.RuleSpelling.EndsWith("көчөсү", StringComparison.Ordinal)
            || x.RegistrySpelling.EndsWith("тыкыры", StringComparison.Ordinal) != x.RuleSpelling.EndsWith("тыкыры", StringComparison.Ordinal)
            || x.RegistrySpelling.EndsWith("проспектиси", StringComparison.Ordinal) != x.RuleSpelling.EndsWith("проспектиси", StringComparison.Ordinal)
            || x.RegistrySpelling.EndsWith("кичи району", StringComparison.Ordinal) != x.RuleSpelling.EndsWith("кичи району", StringComparison.Ordinal));
        Assert.Contains(v, x => x.RegistrySpelling.Contains("  ", StringComparison.Ordinal));
        Assert.Contains(v, x => x.RuleSpelling.Contains('ё', StringComparison.Ordinal) && x.RegistrySpelling == x.RuleSpelling.Replace('ё', 'е'));
        Assert.Contains(v, x => x.RegistrySpelling.Any(c => c is 'a' or 'e' or 'o' or 'p' or 'c'));
        Assert.Contains(v, x => x.RegistrySpelling.StartsWith("пр. ", StringComparison.Ordinal) || x.RegistrySpelling.StartsWith("пр-т ", StringComparison.Ordinal));
        Assert.Contains(v, x => x.RegistrySpelling.StartsWith("мкр", StringComparison.Ordinal));
    }

    [Fact]
    public void Tiny_anomaly_lists_agree_with_exact_matching_of_the_rules() => Checks.AnomaliesAgreeWithRules(Tiny);

    [Fact]
    public void Tiny_pins_are_valid_and_unique() => Checks.PinsValid(Tiny);

    [Fact]
    public void Tiny_profile_is_deterministic_and_depends_on_the_seed()
    {
        var again = DemoDataGenerator.Generate(DemoProfile.Tiny);
        Assert.Equal(Canonical.Hash(Tiny), Canonical.Hash(again));
        Assert.NotEqual(Canonical.Hash(Tiny), Canonical.Hash(DemoDataGenerator.Generate(DemoProfile.Tiny, seed: 7)));
    }

    [Fact]
    public void Tiny_profile_has_all_accounts() => CommonRules.AccountsAreComplete(Tiny);
}

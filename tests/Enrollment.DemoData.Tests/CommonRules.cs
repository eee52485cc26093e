namespace Enrollment.DemoData.Tests;

/// <summary>Rules checked on both profiles.</summary>
internal static class CommonRules
{
    public static void AccountsAreComplete(DemoDataset d)
    {
        var roles = d.Accounts.Select(a => a.Role).ToArray();
        foreach (var role in new[] { "MinistryAdmin", "DistrictOfficer", "SchoolAdmin", "Analyst" })
        {
            Assert.Single(roles, role);
        }

        Assert.Equal(3, roles.Count(r => r == "Parent"));
        Assert.Equal(d.Districts[0].Code, d.Accounts.Single(a => a.Role == "DistrictOfficer").DistrictCode);
        Assert.Equal(d.Schools.First(s => s.ParticipatesInEnrollment).Code, d.Accounts.Single(a => a.Role == "SchoolAdmin").SchoolCode);
        var parents = d.ParentLinks.Select(l => l.ParentPin).ToHashSet(StringComparer.Ordinal);
        foreach (var account in d.Accounts.Where(a => a.Role == "Parent"))
        {
            Assert.Equal(account.UserName, account.Pin);
            Assert.Contains(account.Pin!, parents);
        }

        Assert.Equal(d.Accounts.Count, d.Accounts.Select(a => a.UserName).Distinct(StringComparer.Ordinal).Count());

        // The parent accounts belong to three different families.
        var families = d.Accounts.Where(a => a.Role == "Parent")
            .Select(a => d.ParentLinks.Where(l => l.ParentPin == a.Pin).Select(l => l.ChildPin).ToArray())
            .ToArray();
        Assert.Equal(families.Sum(f => f.Length), families.SelectMany(f => f).Distinct(StringComparer.Ordinal).Count());
    }

    public static void PasswordsMeetPolicy(DemoDataset d) => Assert.All(d.Accounts, a =>
    {
        Assert.True(a.Password.Length >= 12, a.UserName);
        Assert.Contains(a.Password, char.IsUpper);
        Assert.Contains(a.Password, char.IsLower);
        Assert.Contains(a.Password, char.IsDigit);
        Assert.Contains(a.Password, c => !char.IsLetterOrDigit(c));
    });

    public static void EveryChildHasParentsAndEveryoneAnAddress(DemoDataset d)
    {
        var persons = d.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
        var childPins = d.ParentLinks.Select(l => l.ChildPin).ToHashSet(StringComparer.Ordinal);
        var parentPins = d.ParentLinks.Select(l => l.ParentPin).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(childPins.Intersect(parentPins));
        Assert.Equal(d.Persons.Count, childPins.Count + parentPins.Count);
        Assert.All(d.ParentLinks, l => Assert.Contains(l.Relation, new[] { "Mother", "Father", "LegalRepresentative" }));
        Assert.All(d.ParentLinks.Where(l => l.Relation == "Mother"), l => Assert.Equal('F', persons[l.ParentPin].Sex));
        Assert.All(d.ParentLinks.Where(l => l.Relation == "Father"), l => Assert.Equal('M', persons[l.ParentPin].Sex));
        foreach (var g in d.ParentLinks.GroupBy(l => l.ChildPin))
        {
            Assert.InRange(g.Count(), 1, 2);
            Assert.Equal(g.Count(), g.Select(l => l.Relation).Distinct().Count());
        }

        Assert.Equal(d.Persons.Select(p => p.Pin), d.Addresses.Select(a => a.Pin));
        var settlements = d.Settlements.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        Assert.All(d.Addresses, a => Assert.Contains(a.SettlementCode, settlements));

        foreach (var pin in childPins)
        {
            var c = persons[pin];
            Assert.Null(c.PassportNumber);
            Assert.True(c.BirthDate >= new DateOnly(2017, 1, 1) && c.BirthDate <= new DateOnly(2020, 12, 31));
        }

        foreach (var pin in parentPins)
        {
            var p = persons[pin];
            Assert.Null(p.BirthCertificateNumber);
            Assert.True(p.BirthDate.Year < 2005);
        }
    }

    public static void OverAgeAndDocumentListsMatchPersons(DemoDataset d)
    {
        var children = d.ParentLinks.Select(l => l.ChildPin).ToHashSet(StringComparer.Ordinal);
        var persons = d.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
        var limit = new DateOnly(2026, 9, 1).AddYears(-8);
        Assert.Equal(
            d.Persons.Where(p => children.Contains(p.Pin) && p.BirthDate < limit).Select(p => p.Pin),
            d.Anomalies.OverAgeChildPins);
        var overAge = d.Anomalies.OverAgeChildPins.ToHashSet(StringComparer.Ordinal);
        Assert.All(d.Persons.Where(p => children.Contains(p.Pin) && !overAge.Contains(p.Pin)),
            p => Assert.InRange(p.BirthDate, new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31)));
        Assert.Equal(
            d.Persons.Where(p => children.Contains(p.Pin) && p.BirthCertificateNumber is null).Select(p => p.Pin),
            d.Anomalies.ChildrenWithoutBirthCertificatePins);
        Assert.Equal(
            d.Persons.Where(p => !children.Contains(p.Pin) && p.PassportNumber is null).Select(p => p.Pin),
            d.Anomalies.ParentsWithoutPassportPins);
        Assert.Equal(d.PriorityDocuments.Select(x => x.ChildPin), d.Anomalies.PrivilegedChildPins);
        Assert.All(d.PriorityDocuments, x => Assert.Contains(x.ChildPin, children));
        Assert.Equal(d.PriorityDocuments.Count, d.PriorityDocuments.Select(x => x.DocumentNumber).Distinct().Count());
        Assert.All(d.Anomalies.ChildrenWithoutBirthCertificatePins, p => Assert.True(persons.ContainsKey(p)));
    }

    public static void SchoolsRulesAndPolygonsAreConsistent(DemoDataset d)
    {
        var ruleSchools = d.MicrodistrictRules.Select(r => r.SchoolCode).ToHashSet(StringComparer.Ordinal);
        var polygonSchools = d.MicrodistrictPolygons.Select(p => p.SchoolCode).ToList();
        Assert.Equal(polygonSchools.Count, polygonSchools.Distinct(StringComparer.Ordinal).Count());
        var streets = d.Streets.Select(s => (s.SettlementCode, s.NameRu)).Concat(d.Streets.Select(s => (s.SettlementCode, s.NameKy)))
            .ToHashSet();
        foreach (var s in d.Schools)
        {
            Assert.Matches("^S[0-9]{5}$", s.Code);
            Assert.NotEmpty(s.Languages);
            Assert.All(s.Languages, l => Assert.Contains(l, new[] { "ky", "ru", "uz", "tg" }));
            Assert.Contains(s.Type, new[] { "State", "Municipal" });
            Assert.InRange(s.Latitude, 39.17, 43.27);
            Assert.InRange(s.Longitude, 69.25, 80.30);
            if (s.ParticipatesInEnrollment)
            {
                Assert.Null(s.NonParticipationReason);
                Assert.Contains(s.Code, ruleSchools);
                Assert.Contains(s.Code, polygonSchools);
                Assert.InRange(s.ExpectedFirstGradeSeats, 8, 1000);
            }
            else
            {
                Assert.Contains(s.NonParticipationReason, new[] { "Lyceum", "SpecialPmpk", "Boarding", "Evening", "Music" });
                Assert.DoesNotContain(s.Code, ruleSchools);
                Assert.DoesNotContain(s.Code, polygonSchools);
                Assert.Equal(0, s.ExpectedFirstGradeSeats);
            }
        }

        Assert.All(d.MicrodistrictRules, r =>
        {
            Assert.Contains((r.SettlementCode, r.Street), streets);
            _ = HouseSet.Parse(r.HouseSet);
        });

        var schools = d.Schools.ToDictionary(s => s.Code, StringComparer.Ordinal);
        foreach (var p in d.MicrodistrictPolygons)
        {
            var (lons, lats) = Checks.Ring(p.GeoJson);
            Assert.True(lons.Length >= 4);
            Assert.Equal(lons[0], lons[^1]);
            Assert.Equal(lats[0], lats[^1]);
            Assert.All(lons, x => Assert.InRange(x, 69.25, 80.30));
            Assert.All(lats, x => Assert.InRange(x, 39.17, 43.27));
            var s = schools[p.SchoolCode];
            Assert.True(Checks.Inside(lons, lats, s.Longitude, s.Latitude), $"{s.Code} is outside its own polygon");

            // Counter-clockwise exterior ring (RFC 7946): positive signed area.
            var area = 0.0;
            for (var i = 0; i < lons.Length - 1; i++)
            {
                area += (lons[i] * lats[i + 1]) - (lons[i + 1] * lats[i]);
            }

            Assert.True(area > 0);
        }
    }
}

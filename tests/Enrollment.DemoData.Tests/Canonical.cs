using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Enrollment.DemoData.Tests;

/// <summary>SHA-256 over a canonical, culture-independent serialization of a dataset.</summary>
internal static class Canonical
{
    public static string Hash(DemoDataset d)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sb = new StringBuilder();

        void Flush()
        {
            hash.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
            sb.Clear();
        }

        void Line(params object?[] values)
        {
            foreach (var v in values)
            {
                sb.Append(v switch
                {
                    null => "∅",
                    double x => x.ToString("R", CultureInfo.InvariantCulture),
                    DateOnly x => x.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    IEnumerable<string> xs => string.Join(",", xs),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => v.ToString(),
                }).Append('|');
            }

            sb.Append('\n');
            if (sb.Length > 1 << 16)
            {
                Flush();
            }
        }

        Line(d.Profile, d.Seed);
        foreach (var x in d.Regions) { Line(x.Code, x.NameKy, x.NameRu, x.IsCity); }
        foreach (var x in d.Districts) { Line(x.Code, x.RegionCode, x.NameKy, x.NameRu); }
        foreach (var x in d.Settlements) { Line(x.Code, x.DistrictCode, x.NameKy, x.NameRu, x.Kind, x.Latitude, x.Longitude); }
        foreach (var x in d.Streets) { Line(x.SettlementCode, x.NameRu, x.NameKy); }
        foreach (var x in d.Schools)
        {
            Line(x.Code, x.DistrictCode, x.SettlementCode, x.NameKy, x.NameRu, x.Address, x.Latitude, x.Longitude, x.Type,
                x.Languages, x.ParticipatesInEnrollment, x.NonParticipationReason, x.ExpectedFirstGradeSeats);
        }

        foreach (var x in d.MicrodistrictRules) { Line(x.SchoolCode, x.SettlementCode, x.Street, x.HouseSet); }
        foreach (var x in d.MicrodistrictPolygons) { Line(x.SchoolCode, x.GeoJson); }
        foreach (var x in d.Persons)
        {
            Line(x.Pin, x.LastName, x.FirstName, x.Patronymic, x.Sex, x.BirthDate, x.BirthCertificateNumber, x.PassportNumber, x.Phone, x.Email);
        }

        foreach (var x in d.Addresses) { Line(x.Pin, x.SettlementCode, x.Street, x.House, x.Apartment, x.Latitude, x.Longitude); }
        foreach (var x in d.ParentLinks) { Line(x.ParentPin, x.ChildPin, x.Relation); }
        foreach (var x in d.PriorityDocuments) { Line(x.ChildPin, x.Category, x.DocumentNumber); }
        foreach (var x in d.Accounts) { Line(x.UserName, x.Password, x.Role, x.DistrictCode, x.SchoolCode, x.Pin); }
        var a = d.Anomalies;
        foreach (var x in a.StreetSpellingVariants) { Line("sv", x.Pin, x.RegistrySpelling, x.RuleSpelling); }
        foreach (var x in a.AddressesInTwoMicrodistricts) { Line("ov", x.Pin, x.SettlementCode, x.Street, x.House, x.SchoolCodes); }
        foreach (var x in a.AddressesInNoMicrodistrict) { Line("gap", x.Pin, x.SettlementCode, x.Street, x.House, x.SchoolCodes); }
        Line("oa", a.OverAgeChildPins);
        Line("nbc", a.ChildrenWithoutBirthCertificatePins);
        Line("npp", a.ParentsWithoutPassportPins);
        Line("prv", a.PrivilegedChildPins);
        Line("poly", a.AddressesWithCoordinatesOnlyPolygonMatchPins);
        Flush();
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

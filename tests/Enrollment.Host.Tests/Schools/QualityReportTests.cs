using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Schools;

/// <summary>The micro-district quality report lists exactly the anomalies the demo generator planted.</summary>
[Collection(HostCollection.Name)]
public sealed class QualityReportTests(EnrollmentFactory factory)
{
    private const string Query = """
        query($d: String!) { microdistrictQualityReport(districtCode: $d) {
          districtCode checkedAddresses
          overlaps { settlementCode street house schoolCodes residents }
          gaps { settlementCode street house schoolCodes residents }
          schoolsWithoutMicrodistrict invalidPolygons { schoolCode problems } invalidRules { schoolCode problem } } }
        """;

    private static string Key(string settlement, string street, string house, IEnumerable<string> schools) =>
        $"{settlement}|{street}|{house}|{string.Join(",", schools.Order(StringComparer.Ordinal))}";

    private static string Key(JsonNode n) => Key(n["settlementCode"]!.GetValue<string>(), n["street"]!.GetValue<string>(),
        n["house"]!.GetValue<string>(), n["schoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()));

    [Fact]
    public async Task Report_lists_exactly_the_planted_overlaps_and_gaps_and_no_other_problem()
    {
        var client = factory.CreateClient();
        var token = await client.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);
        var settlementDistrict = Tiny.Data.Settlements.ToDictionary(s => s.Code, s => s.DistrictCode, StringComparer.Ordinal);

        foreach (var district in Tiny.Data.Districts)
        {
            var reply = await client.QueryAsync(Query, new { d = district.Code }, token);
            Assert.True(reply.Json["errors"] is null, reply.Text);
            var report = reply.Json["data"]!["microdistrictQualityReport"]!;

            var expectedOverlaps = Tiny.Data.Anomalies.AddressesInTwoMicrodistricts.Where(a => settlementDistrict[a.SettlementCode] == district.Code)
                .Select(a => Key(a.SettlementCode, a.Street, a.House, a.SchoolCodes)).Distinct().Order(StringComparer.Ordinal).ToArray();
            var expectedGaps = Tiny.Data.Anomalies.AddressesInNoMicrodistrict.Where(a => settlementDistrict[a.SettlementCode] == district.Code)
                .Select(a => Key(a.SettlementCode, a.Street, a.House, [])).Distinct().Order(StringComparer.Ordinal).ToArray();

            Assert.Equal(expectedOverlaps, report["overlaps"]!.AsArray().Select(n => Key(n!)).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal(expectedGaps, report["gaps"]!.AsArray().Select(n => Key(n!)).Order(StringComparer.Ordinal).ToArray());
            Assert.Empty(report["schoolsWithoutMicrodistrict"]!.AsArray());
            Assert.Empty(report["invalidPolygons"]!.AsArray());
            Assert.Empty(report["invalidRules"]!.AsArray());
            var residents = Tiny.Data.Addresses.Count(a => settlementDistrict[a.SettlementCode] == district.Code);
            Assert.Equal(residents, report["overlaps"]!.AsArray().Concat(report["gaps"]!.AsArray()).Sum(n => n!["residents"]!.GetValue<int>())
                + Tiny.Data.Addresses.Count(a => settlementDistrict[a.SettlementCode] == district.Code
                    && !Tiny.Data.Anomalies.AddressesInTwoMicrodistricts.Any(x => x.Pin == a.Pin)
                    && !Tiny.Data.Anomalies.AddressesInNoMicrodistrict.Any(x => x.Pin == a.Pin)));
        }

        Assert.NotEmpty(Tiny.Data.Anomalies.AddressesInTwoMicrodistricts);
        Assert.NotEmpty(Tiny.Data.Anomalies.AddressesInNoMicrodistrict);
    }

    [Fact]
    public async Task A_district_officer_sees_only_their_own_districts_report()
    {
        var client = factory.CreateClient();
        var officer = Tiny.Account("DistrictOfficer");
        var token = await client.LoginAsync(officer.UserName, officer.Password);
        var other = Tiny.Data.Districts.First(d => d.Code != officer.DistrictCode).Code;

        var own = await client.QueryAsync(Query, new { d = officer.DistrictCode }, token);
        var foreign = await client.QueryAsync(Query, new { d = other }, token);
        var anonymous = await client.QueryAsync(Query, new { d = officer.DistrictCode });

        Assert.True(own.Json["errors"] is null, own.Text);
        Assert.Equal("ACCESS_DENIED", JsonNode.Parse(foreign.Text)!.ErrorCode());
        Assert.Equal("UNAUTHENTICATED", JsonNode.Parse(anonymous.Text)!.ErrorCode());
    }

    [Fact]
    public async Task The_admin_quality_page_shows_the_officers_district_report()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var client = await factory.SignedInAsync(officer.UserName, officer.Password);
        var settlementDistrict = Tiny.Data.Settlements.ToDictionary(s => s.Code, s => s.DistrictCode, StringComparer.Ordinal);
        var gaps = Tiny.Data.Anomalies.AddressesInNoMicrodistrict.Where(a => settlementDistrict[a.SettlementCode] == officer.DistrictCode)
            .Select(a => (a.SettlementCode, a.Street, a.House)).Distinct().Count();

        var response = await client.GetAsync("/admin/schools/quality?district=" + Tiny.Data.Districts.First(d => d.Code != officer.DistrictCode).Code);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(officer.DistrictCode!, html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"badge bg-secondary\" id=\"gap-count\">{gaps}</span>", html, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Schools;

/// <summary>School list CSV: export, re-import, and an all-or-nothing import that reports every bad row (own host: it writes).</summary>
public sealed class SchoolCsvTests : IClassFixture<SchoolCsvTests.Host>
{
    public sealed class Host : EnrollmentFactory;

    private const string Import = "mutation($csv: String!) { importSchools(csv: $csv) { imported added updated errors { line column message } } }";

    private readonly Host _factory;

    public SchoolCsvTests(Host factory) => _factory = factory;

    private async Task<(HttpClient Client, string Token)> MinistryAsync()
    {
        var client = _factory.CreateClient();
        var ministry = Tiny.Account("MinistryAdmin");
        return (client, await client.LoginAsync(ministry.UserName, ministry.Password));
    }

    private static async Task<JsonNode> DataAsync(HttpClient client, string query, object? variables, string token)
    {
        var reply = await client.QueryAsync(query, variables, token);
        Assert.True(reply.Json["errors"] is null, reply.Text);
        return reply.Json["data"]!;
    }

    [Fact]
    public async Task The_exported_list_has_every_school_and_imports_back_without_changes()
    {
        var (client, token) = await MinistryAsync();

        var csv = (await DataAsync(client, "{ schoolsCsv }", null, token))["schoolsCsv"]!.GetValue<string>();
        var result = (await DataAsync(client, Import, new { csv }, token))["importSchools"]!;

        Assert.True(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length >= Tiny.Data.Schools.Count + 1, csv); // other tests of the class may add one
        Assert.All(Tiny.Data.Schools, s => Assert.Contains(s.Code, csv, StringComparison.Ordinal));
        Assert.True(result["imported"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(0, result["added"]!.GetValue<int>());
        Assert.Equal(0, result["updated"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_file_with_bad_rows_imports_nothing_and_reports_every_error_with_its_line()
    {
        var (client, token) = await MinistryAsync();
        var s = Tiny.Data.Schools[0];
        var district = Tiny.Data.Districts.Single(d => d.Code == s.DistrictCode);
        var good = $"S90001,{district.RegionCode},{s.DistrictCode},{s.SettlementCode},Жаңы мектеп,\"Новая школа, №1\",ул. Новая 1,42.8,74.6,State,ky;ru,true,";
        var csv = string.Join("\r\n",
            "code,region_code,district_code,settlement_code,name_ky,name_ru,address,latitude,longitude,type,languages,participates,non_participation_reason",
            good,
            $"S90002,{district.RegionCode},D9999,{s.SettlementCode},А,Б,В,42.8,74.6,State,ky,true,",
            $"S90003,{district.RegionCode},{s.DistrictCode},{s.SettlementCode},А,Б,В,42,8,74.6,State,ky,true,",
            $"S90004,{district.RegionCode},{s.DistrictCode},{s.SettlementCode},А,Б,В,42.8,74.6,Private,fr,false,",
            good);

        var result = (await DataAsync(client, Import, new { csv }, token))["importSchools"]!;
        var errors = result["errors"]!.AsArray().Select(e => (Line: e!["line"]!.GetValue<int>(), Column: e["column"]!.GetValue<string>())).ToList();
        var school = await client.QueryAsync("{ school(code: \"S90001\") { code } }");

        Assert.False(result["imported"]!.GetValue<bool>());
        Assert.Contains((3, "district_code"), errors);
        Assert.Contains((4, ""), errors); // 14 fields: the unquoted decimal comma split the latitude
        Assert.Contains((5, "type"), errors);
        Assert.Contains((5, "languages"), errors);
        Assert.Contains((5, "non_participation_reason"), errors);
        Assert.Contains((6, "code"), errors); // S90001 again
        Assert.DoesNotContain(errors, e => e.Line == 2);
        Assert.Null(school.Json["data"]!["school"]);
    }

    [Fact]
    public async Task A_valid_file_adds_new_schools_and_updates_known_ones()
    {
        var (client, token) = await MinistryAsync();
        var s = Tiny.Data.Schools[0];
        var region = Tiny.Data.Districts.Single(d => d.Code == s.DistrictCode).RegionCode;
        static string Q(string v) => "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        string Row(string code) => string.Join(',', code, region, s.DistrictCode, s.SettlementCode, Q(s.NameKy), Q(s.NameRu), Q("ул. Переименованная 5"),
            s.Latitude.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Longitude.ToString(System.Globalization.CultureInfo.InvariantCulture),
            s.Type, string.Join(';', s.Languages), s.ParticipatesInEnrollment ? "true" : "false", s.NonParticipationReason ?? "");
        string[] lines = ["code,region_code,district_code,settlement_code,name_ky,name_ru,address,latitude,longitude,type,languages,participates,non_participation_reason"];
        string[] first = [s.Code];

        var result = (await DataAsync(client, Import, new { csv = string.Join("\n", lines[0], Row(s.Code), Row("S90100")) }, token))["importSchools"]!;
        var school = (await DataAsync(client, "{ a: school(code: \"S90100\") { address } b: school(code: \"" + first[0] + "\") { address } }", null, token));

        Assert.True(result["imported"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal((1, 1), (result["added"]!.GetValue<int>(), result["updated"]!.GetValue<int>()));
        Assert.Equal("ул. Переименованная 5", school["a"]!["address"]!.GetValue<string>());
        Assert.Equal("ул. Переименованная 5", school["b"]!["address"]!.GetValue<string>());

        // The update is in the school's history with who and the old value, and a revert restores it.
        var history = (await DataAsync(client, "query($s: String!) { microdistrictHistory(schoolCode: $s) { id kind changedBy before after } }", new { s = s.Code }, token))["microdistrictHistory"]!;
        var change = history[0]!;
        Assert.Equal(("SchoolChanged", "ministry"), (change["kind"]!.GetValue<string>(), change["changedBy"]!.GetValue<string>()));
        Assert.Equal(s.Address, JsonNode.Parse(change["before"]!.GetValue<string>())!["address"]!.GetValue<string>());
        await DataAsync(client, "mutation($id: ID!) { revertMicrodistrictChange(changeId: $id) }", new { id = change["id"]!.GetValue<string>() }, token);
        var reverted = await DataAsync(client, "{ school(code: \"" + s.Code + "\") { address } }", null, token);
        Assert.Equal(s.Address, reverted["school"]!["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_ministry_imports_and_the_admin_page_offers_the_export()
    {
        var client = _factory.CreateClient();
        var officer = Tiny.Account("DistrictOfficer");
        var token = await client.LoginAsync(officer.UserName, officer.Password);
        var refused = await client.QueryAsync(Import, new { csv = "code\n" }, token);
        var admin = await _factory.SignedInAsync(officer.UserName, officer.Password);
        var export = await admin.GetAsync("/admin/schools/import?handler=Export");
        var text = await export.Content.ReadAsStringAsync();

        Assert.Equal("ACCESS_DENIED", JsonNode.Parse(refused.Text)!.ErrorCode());
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.All(Tiny.Data.Schools.Where(s => s.DistrictCode == officer.DistrictCode), s => Assert.Contains(s.Code, text, StringComparison.Ordinal));
        Assert.All(Tiny.Data.Schools.Where(s => s.DistrictCode != officer.DistrictCode), s => Assert.DoesNotContain(s.Code, text, StringComparison.Ordinal));
    }
}

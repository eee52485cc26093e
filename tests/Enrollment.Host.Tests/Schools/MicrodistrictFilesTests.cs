using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>A district's micro-districts as CSV (rules) and GeoJSON (polygons): round trip, all-or-nothing imports (own host: it writes).</summary>
public sealed partial class MicrodistrictFilesTests : IClassFixture<MicrodistrictFilesTests.Host>
{
    public sealed class Host : EnrollmentFactory;

    private const string ImportCsv = """
        mutation($d: String!, $f: String!) { importMicrodistrictRulesCsv(districtCode: $d, csv: $f) { imported added changed deleted proposed errors { line feature field message } } }
        """;

    private const string ImportGeoJson = """
        mutation($d: String!, $f: String!) { importMicrodistrictPolygonsGeoJson(districtCode: $d, geoJson: $f) { imported added changed deleted proposed errors { line feature field message } } }
        """;

    private readonly Host _factory;

    public MicrodistrictFilesTests(Host factory) => _factory = factory;

    private async Task<(HttpClient Client, string Token)> LoginAsync(string role)
    {
        var client = _factory.CreateClient();
        var account = Tiny.Account(role);
        return (client, await client.LoginAsync(account.UserName, account.Password));
    }

    private static async Task<JsonNode> DataAsync(HttpClient client, string query, object variables, string token)
    {
        var reply = await client.QueryAsync(query, variables, token);
        Assert.True(reply.Json["errors"] is null, reply.Text);
        return reply.Json["data"]!;
    }

    private async Task<AddressResolutionDto> ResolveAsync(string settlement, string street, string house, double? lat = null, double? lon = null)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(settlement, street, house, lat, lon)));
    }

    private static (int, int, int, int) Counts(JsonNode r) =>
        (r["added"]!.GetValue<int>(), r["changed"]!.GetValue<int>(), r["deleted"]!.GetValue<int>(), r["proposed"]!.GetValue<int>());

    [Fact]
    public async Task Exported_rules_import_back_unchanged_and_an_edited_file_adds_and_deletes_exactly_the_differences()
    {
        var (client, token) = await LoginAsync("DistrictOfficer");
        var district = Tiny.Account("DistrictOfficer").DistrictCode!;
        var csv = (await DataAsync(client, "query($d: String!) { microdistrictRulesCsv(districtCode: $d) }", new { d = district }, token))["microdistrictRulesCsv"]!.GetValue<string>();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Equal("school_code,settlement_code,street,house_set", lines[0]);
        Assert.True(lines.Count > 2, csv);

        var same = (await DataAsync(client, ImportCsv, new { d = district, f = csv }, token))["importMicrodistrictRulesCsv"]!;
        Assert.True(same["imported"]!.GetValue<bool>(), same.ToJsonString());
        Assert.Equal((0, 0, 0, 0), Counts(same));

        var removed = lines[1];
        var school = removed.Split(',')[0];
        var settlement = removed.Split(',')[1];
        var edited = string.Join("\r\n", lines.Where(l => l != removed).Append($"{school},{settlement},улица Из Файла,even:2-20"));
        var result = (await DataAsync(client, ImportCsv, new { d = district, f = edited }, token))["importMicrodistrictRulesCsv"]!;

        Assert.True(result["imported"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal((1, 0, 1, 0), Counts(result));
        Assert.Equal(school, Assert.Single((await ResolveAsync(settlement, "ул. Из Файла", "4")).Matches).SchoolCode);
        Assert.Empty((await ResolveAsync(settlement, "ул. Из Файла", "5")).Matches);
        var again = (await DataAsync(client, "query($d: String!) { microdistrictRulesCsv(districtCode: $d) }", new { d = district }, token))["microdistrictRulesCsv"]!.GetValue<string>();
        Assert.DoesNotContain(removed + "\r\n", again, StringComparison.Ordinal);
        Assert.Contains("улица Из Файла,even:2-20", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rules_file_with_bad_rows_imports_nothing_and_lists_every_error_with_its_line()
    {
        var (client, token) = await LoginAsync("DistrictOfficer");
        var officer = Tiny.Account("DistrictOfficer");
        var own = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var foreign = Tiny.Data.Schools.First(s => s.DistrictCode != officer.DistrictCode && s.ParticipatesInEnrollment);
        var csv = string.Join("\n",
            "school_code,settlement_code,street,house_set",
            $"{own.Code},{own.SettlementCode},улица Хорошая,*",
            $"{foreign.Code},{own.SettlementCode},улица Чужая,*",
            $"{own.Code},L999999,улица Где,*",
            $"{own.Code},{own.SettlementCode},...,*",
            $"{own.Code},{own.SettlementCode},улица Плохая,odd:9-1x",
            $"{own.Code},{own.SettlementCode},улица Хорошая,*");

        var result = (await DataAsync(client, ImportCsv, new { d = officer.DistrictCode, f = csv }, token))["importMicrodistrictRulesCsv"]!;
        var errors = result["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();

        Assert.False(result["imported"]!.GetValue<bool>());
        Assert.Equal([(3, "school_code"), (4, "settlement_code"), (5, "street"), (6, "house_set"), (7, "")], errors);
        Assert.Empty((await ResolveAsync(own.SettlementCode, "улица Хорошая", "1")).Matches);
        var foreignImport = await client.QueryAsync(ImportCsv, new { d = foreign.DistrictCode, f = csv }, token);
        Assert.Equal("ACCESS_DENIED", JsonNode.Parse(foreignImport.Text)!.ErrorCode());
    }

    [Fact]
    public async Task Exported_polygons_import_back_unchanged_a_moved_polygon_resolves_and_bad_features_import_nothing()
    {
        var (client, token) = await LoginAsync("MinistryAdmin");
        var polygonSchool = Tiny.Data.Schools.First(s => s.ParticipatesInEnrollment && Tiny.Data.MicrodistrictPolygons.Any(p => p.SchoolCode == s.Code));
        var district = polygonSchool.DistrictCode;
        var text = (await DataAsync(client, "query($d: String!) { microdistrictPolygonsGeoJson(districtCode: $d) }", new { d = district }, token))["microdistrictPolygonsGeoJson"]!.GetValue<string>();
        var collection = JsonNode.Parse(text)!;
        Assert.Equal("FeatureCollection", collection["type"]!.GetValue<string>());
        Assert.Contains(collection["features"]!.AsArray(), f => f!["properties"]!["schoolCode"]!.GetValue<string>() == polygonSchool.Code);

        var same = (await DataAsync(client, ImportGeoJson, new { d = district, f = text }, token))["importMicrodistrictPolygonsGeoJson"]!;
        Assert.True(same["imported"]!.GetValue<bool>(), same.ToJsonString());
        Assert.Equal((0, 0, 0, 0), Counts(same));

        // Move the school's polygon to a small square far from everything else and check that the polygon fallback follows it.
        var square = JsonNode.Parse("""{"type":"Polygon","coordinates":[[[70.001,40.001],[70.003,40.001],[70.003,40.003],[70.001,40.003],[70.001,40.001]]]}""");
        var moved = JsonNode.Parse(text)!;
        var feature = moved["features"]!.AsArray().First(f => f!["properties"]!["schoolCode"]!.GetValue<string>() == polygonSchool.Code)!;
        feature["geometry"] = square;
        var result = (await DataAsync(client, ImportGeoJson, new { d = district, f = moved.ToJsonString() }, token))["importMicrodistrictPolygonsGeoJson"]!;
        Assert.True(result["imported"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal((0, 1, 0, 0), Counts(result));
        Assert.Equal(polygonSchool.Code, Assert.Single((await ResolveAsync(polygonSchool.SettlementCode, "нет такой улицы", "1", 40.002, 70.002)).Matches).SchoolCode);

        var foreign = Tiny.Data.Schools.First(s => s.DistrictCode != district);
        var bad = $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"schoolCode":"{{{polygonSchool.Code}}}"},"geometry":{"type":"Polygon","coordinates":[[[71,41],[71.01,41],[71.01,41.01],[71,41.01],[71,41]]]}},
              {"type":"Feature","properties":{"schoolCode":"{{{foreign.Code}}}"},"geometry":null},
              {"type":"Feature","properties":{"schoolCode":"{{{polygonSchool.Code}}}"},"geometry":{"type":"Polygon","coordinates":[[[71,41],[71.01,41.01],[71.01,41],[71,41.01],[71,41]]]}},
              {"type":"Point"}
            ]}
            """;
        var refused = (await DataAsync(client, ImportGeoJson, new { d = district, f = bad }, token))["importMicrodistrictPolygonsGeoJson"]!;
        var errors = refused["errors"]!.AsArray().Select(e => (e!["feature"]!.GetValue<int>(), e["field"]!.GetValue<string>())).ToList();

        Assert.False(refused["imported"]!.GetValue<bool>());
        Assert.Equal([(2, "properties.schoolCode"), (3, "geometry"), (3, "properties.schoolCode"), (4, "type")], errors);
        Assert.Single((await ResolveAsync(polygonSchool.SettlementCode, "нет такой улицы", "1", 40.002, 70.002)).Matches);
    }
}

/// <summary>The admin page: download both files of the officer's district, upload a bad and a good rules file.</summary>
public sealed partial class MicrodistrictFilesTests
{
    [Fact]
    public async Task The_files_page_downloads_the_districts_files_and_an_upload_reports_every_error_or_the_result()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var admin = await _factory.SignedInAsync(officer.UserName, officer.Password);
        var page = await admin.GetStringAsync("/admin/schools/microdistrictfiles");
        var rules = await admin.GetAsync("/admin/schools/microdistrictfiles?handler=Rules");
        var polygons = await admin.GetAsync("/admin/schools/microdistrictfiles?handler=Polygons");
        var foreign = await admin.GetAsync("/admin/schools/microdistrictfiles?handler=Rules&district=" + Tiny.Data.Districts.First(d => d.Code != officer.DistrictCode).Code);
        var csv = await rules.Content.ReadAsStringAsync();

        async Task<string> UploadAsync(string text)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(FormToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
                { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "file", "rules.csv" },
            };
            var response = await admin.PostAsync("/admin/schools/microdistrictfiles?handler=Rules", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var bad = await UploadAsync(csv + "S99999,L999999,улица Нет,*\r\n");
        var same = await UploadAsync(csv);

        Assert.Contains("id=\"upload-rules\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        Assert.StartsWith("school_code,settlement_code,street,house_set", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, polygons.StatusCode);
        Assert.Equal("FeatureCollection", JsonNode.Parse(await polygons.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        Assert.NotEqual(HttpStatusCode.OK, foreign.StatusCode);
        Assert.Contains("id=\"files-errors\"", bad, StringComparison.Ordinal);
        Assert.Contains("school_code", bad, StringComparison.Ordinal);
        Assert.Contains("id=\"files-done\"", same, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}

/// <summary>While Stage One runs, a district officer's micro-district import is filed as proposals, not applied.</summary>
public sealed class MicrodistrictFilesDuringStageOneTests : IClassFixture<MicrodistrictProposalTests.StageOneHost>
{
    private readonly MicrodistrictProposalTests.StageOneHost _factory;

    public MicrodistrictFilesDuringStageOneTests(MicrodistrictProposalTests.StageOneHost factory) => _factory = factory;

    [Fact]
    public async Task A_district_officers_rules_import_during_Stage_One_becomes_proposals_for_the_ministry()
    {
        var client = _factory.CreateClient();
        var officer = Tiny.Account("DistrictOfficer");
        var token = await client.LoginAsync(officer.UserName, officer.Password);
        var own = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var existing = Tiny.Data.MicrodistrictRules.Where(r => r.SchoolCode == own.Code)
            .Select(r => $"{r.SchoolCode},{r.SettlementCode},\"{r.Street}\",\"{r.HouseSet}\"");
        var csv = string.Join("\n", existing.Prepend("school_code,settlement_code,street,house_set").Append($"{own.Code},{own.SettlementCode},улица Проектная,*"));

        var reply = await client.QueryAsync("""
            mutation($d: String!, $f: String!) { importMicrodistrictRulesCsv(districtCode: $d, csv: $f) { imported added deleted proposed } }
            """, new { d = officer.DistrictCode, f = csv }, token);
        var proposals = await client.QueryAsync("{ microdistrictProposals(status: \"Pending\") { schoolCode kind payload } }", null, token);
        await using var scope = _factory.Services.CreateAsyncScope();
        var resolved = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(own.SettlementCode, "улица Проектная", "1")));

        Assert.True(reply.Json["errors"] is null, reply.Text);
        var result = reply.Json["data"]!["importMicrodistrictRulesCsv"]!;
        Assert.Equal((true, 0, 0, 1), (result["imported"]!.GetValue<bool>(), result["added"]!.GetValue<int>(), result["deleted"]!.GetValue<int>(), result["proposed"]!.GetValue<int>()));
        Assert.Contains(proposals.Json["data"]!["microdistrictProposals"]!.AsArray(),
            p => p!["kind"]!.GetValue<string>() == "SaveRule" && JsonNode.Parse(p["payload"]!.GetValue<string>())!["street"]!.GetValue<string>() == "улица Проектная");
        Assert.Empty(resolved.Matches);
    }
}

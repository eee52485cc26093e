using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>Single-school create and edit (GraphQL and the admin form): scope, typed errors, history, revert (own host: it writes).</summary>
public sealed partial class SchoolEditingTests : IClassFixture<SchoolEditingTests.Host>
{
    public sealed class Host : EnrollmentFactory;

    private const string Create = """
        mutation($code: String!, $school: SchoolInput!) { createSchool(code: $code, school: $school) { code regionCode districtCode participatesInEnrollment languages } }
        """;

    private const string Update = """
        mutation($code: String!, $school: SchoolInput!) { updateSchool(code: $code, school: $school) { code participatesInEnrollment nonParticipationReason languages } }
        """;

    private readonly Host _factory;

    public SchoolEditingTests(Host factory) => _factory = factory;

    private static object Input(DemoSchoolLike s, bool participates = true, string? reason = null, string[]? languages = null, string? nameRu = null) => new
    {
        districtCode = s.DistrictCode, settlementCode = s.SettlementCode, nameKy = s.NameKy, nameRu = nameRu ?? s.NameRu, address = s.Address,
        latitude = s.Latitude, longitude = s.Longitude, type = s.Type, languages = languages ?? s.Languages,
        participatesInEnrollment = participates, nonParticipationReason = reason,
    };

    private sealed record DemoSchoolLike(string DistrictCode, string SettlementCode, string NameKy, string NameRu, string Address, double Latitude, double Longitude, string Type, string[] Languages);

    private static DemoSchoolLike Like(string code)
    {
        var s = Tiny.Data.Schools.Single(x => x.Code == code);
        return new(s.DistrictCode, s.SettlementCode, s.NameKy, s.NameRu, s.Address, s.Latitude, s.Longitude, s.Type, [.. s.Languages]);
    }

    private async Task<(HttpClient Client, string Token)> LoginAsync(string role)
    {
        var client = _factory.CreateClient();
        var account = Tiny.Account(role);
        return (client, await client.LoginAsync(account.UserName, account.Password));
    }

    private async Task<AddressResolutionDto> ResolveAsync(string settlement, string street, string house)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(settlement, street, house)));
    }

    [Fact]
    public async Task The_ministry_creates_a_school_anywhere_with_its_region_from_the_district_and_it_is_in_the_history()
    {
        var (client, token) = await LoginAsync("MinistryAdmin");
        var like = Tiny.Data.Schools[^1];

        var reply = await client.QueryAsync(Create, new { code = "S91001", school = Input(Like(like.Code), languages: ["ru", "KY"]) }, token);
        var again = await client.QueryAsync(Create, new { code = "S91001", school = Input(Like(like.Code)) }, token);
        var history = await client.QueryAsync("{ microdistrictHistory(schoolCode: \"S91001\") { kind changedBy } }", null, token);

        Assert.True(reply.Json["errors"] is null, reply.Text);
        var created = reply.Json["data"]!["createSchool"]!;
        Assert.Equal(Tiny.Data.Districts.Single(d => d.Code == like.DistrictCode).RegionCode, created["regionCode"]!.GetValue<string>());
        Assert.Equal(["ru", "ky"], created["languages"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("SCHOOL_EXISTS", JsonNode.Parse(again.Text)!.ErrorCode());
        Assert.Equal(("SchoolAdded", "ministry"), (history.Json["data"]!["microdistrictHistory"]![0]!["kind"]!.GetValue<string>(),
            history.Json["data"]!["microdistrictHistory"]![0]!["changedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_every_bad_field_and_nothing_is_saved()
    {
        var (client, token) = await LoginAsync("MinistryAdmin");
        var like = Like(Tiny.Data.Schools[0].Code);
        var foreignSettlement = Tiny.Data.Schools.First(s => s.DistrictCode != like.DistrictCode).SettlementCode;
        var school = new
        {
            districtCode = like.DistrictCode, settlementCode = foreignSettlement, nameKy = "", nameRu = "Школа", address = "ул. 1",
            latitude = 142.0, longitude = 74.6, type = "Private", languages = new[] { "fr" }, participatesInEnrollment = false, nonParticipationReason = (string?)null,
        };

        var reply = await client.QueryAsync(Create, new { code = "S91002", school }, token);
        var found = await client.QueryAsync("{ school(code: \"S91002\") { code } }");

        Assert.Equal("VALIDATION_FAILED", JsonNode.Parse(reply.Text)!.ErrorCode());
        var fields = reply.Json["errors"]![0]!["extensions"]!["fields"]!.AsArray()
            .Select(f => (f!["field"]!.GetValue<string>(), f["code"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [("settlementCode", "SETTLEMENT_OUTSIDE_DISTRICT"), ("nameKy", "REQUIRED"), ("latitude", "OUT_OF_RANGE"), ("type", "INVALID_TYPE"),
             ("languages", "INVALID_LANGUAGE"), ("nonParticipationReason", "REASON_REQUIRED")],
            fields);
        Assert.Null(found.Json["data"]!["school"]);
    }

    [Fact]
    public async Task A_district_officer_edits_only_own_district_and_taking_a_school_out_of_enrollment_is_versioned_and_revertible()
    {
        var (client, token) = await LoginAsync("DistrictOfficer");
        var officer = Tiny.Account("DistrictOfficer");
        var own = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var foreign = Tiny.Data.Schools.First(s => s.DistrictCode != officer.DistrictCode);
        var rule = await client.QueryAsync("""
            mutation($s: String!, $l: String!) { saveMicrodistrictRule(schoolCode: $s, settlementCode: $l, street: "улица Участия", houseSet: "*") { applied } }
            """, new { s = own.Code, l = own.SettlementCode }, token);
        Assert.True(rule.Json["errors"] is null, rule.Text);
        Assert.Contains((await ResolveAsync(own.SettlementCode, "улица Участия", "1")).Matches, m => m.SchoolCode == own.Code);

        var intoForeign = await client.QueryAsync(Create, new { code = "S91003", school = Input(Like(foreign.Code)) }, token);
        var editForeign = await client.QueryAsync(Update, new { code = foreign.Code, school = Input(Like(foreign.Code)) }, token);
        var moveOut = await client.QueryAsync(Update, new { code = own.Code, school = Input(Like(foreign.Code)) }, token);
        var unknown = await client.QueryAsync(Update, new { code = "S99999", school = Input(Like(own.Code)) }, token);
        var updated = await client.QueryAsync(Update, new { code = own.Code, school = Input(Like(own.Code), participates: false, reason: "Lyceum") }, token);

        Assert.Equal("ACCESS_DENIED", JsonNode.Parse(intoForeign.Text)!.ErrorCode());
        Assert.Equal("ACCESS_DENIED", JsonNode.Parse(editForeign.Text)!.ErrorCode());
        Assert.Equal("ACCESS_DENIED", JsonNode.Parse(moveOut.Text)!.ErrorCode());
        Assert.Equal("NOT_FOUND", JsonNode.Parse(unknown.Text)!.ErrorCode());
        Assert.True(updated.Json["errors"] is null, updated.Text);
        Assert.Equal("Lyceum", updated.Json["data"]!["updateSchool"]!["nonParticipationReason"]!.GetValue<string>());
        Assert.DoesNotContain((await ResolveAsync(own.SettlementCode, "улица Участия", "1")).Matches, m => m.SchoolCode == own.Code);

        var history = await client.QueryAsync("query($s: String!) { microdistrictHistory(schoolCode: $s) { id kind before after } }", new { s = own.Code }, token);
        var change = history.Json["data"]!["microdistrictHistory"]![0]!;
        Assert.Equal("SchoolChanged", change["kind"]!.GetValue<string>());
        Assert.True(JsonNode.Parse(change["before"]!.GetValue<string>())!["participatesInEnrollment"]!.GetValue<bool>());
        var reverted = await client.QueryAsync("mutation($id: ID!) { revertMicrodistrictChange(changeId: $id) }", new { id = change["id"]!.GetValue<string>() }, token);
        Assert.True(reverted.Json["errors"] is null, reverted.Text);
        Assert.Contains((await ResolveAsync(own.SettlementCode, "улица Участия", "1")).Matches, m => m.SchoolCode == own.Code);
    }

    [Fact]
    public async Task The_admin_form_shows_a_message_next_to_each_bad_field_and_saves_a_good_form()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var own = Tiny.Data.Schools.Last(s => s.DistrictCode == officer.DistrictCode);
        var foreign = Tiny.Data.Schools.First(s => s.DistrictCode != officer.DistrictCode);
        var admin = await _factory.SignedInAsync(officer.UserName, officer.Password);
        var page = "/admin/schools/edit?code=" + own.Code;
        var form = await admin.GetStringAsync(page);
        Dictionary<string, string> Fields(string nameRu, string latitude) => new()
        {
            ["__RequestVerificationToken"] = Token().Match(form).Groups[1].Value,
            ["DistrictCode"] = own.DistrictCode, ["SettlementCode"] = own.SettlementCode, ["NameKy"] = own.NameKy, ["NameRu"] = nameRu,
            ["Address"] = own.Address, ["Latitude"] = latitude, ["Longitude"] = "74,6", ["Type"] = own.Type, ["Languages"] = own.Languages[0],
            ["Participates"] = "true",
        };

        var bad = await admin.PostAsync(page, new FormUrlEncodedContent(Fields("", "north")));
        var badHtml = await bad.Content.ReadAsStringAsync();
        var unchanged = (await _factory.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<IMediator>().Send(new GetSchoolsByCodes([own.Code])))[0];
        var good = await admin.PostAsync(page, new FormUrlEncodedContent(Fields("Школа из формы", "42.5")));
        var saved = (await _factory.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<IMediator>().Send(new GetSchoolsByCodes([own.Code])))[0];
        var foreignForm = await admin.GetAsync("/admin/schools/edit?code=" + foreign.Code);

        Assert.Contains("id=\"school-form\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("data-field=\"nameRu\" data-code=\"REQUIRED\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("data-field=\"latitude\" data-code=\"OUT_OF_RANGE\"", badHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("data-field=\"longitude\"", badHtml, StringComparison.Ordinal); // a decimal comma is read
        Assert.Equal(own.NameRu, unchanged.NameRu);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(("Школа из формы", 42.5, 74.6), (saved.NameRu, saved.Latitude, saved.Longitude));
        Assert.True(foreignForm.StatusCode == HttpStatusCode.Forbidden
            || (foreignForm.StatusCode == HttpStatusCode.Found && foreignForm.Headers.Location!.OriginalString.Contains("/admin/account/denied", StringComparison.Ordinal)),
            foreignForm.StatusCode.ToString());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

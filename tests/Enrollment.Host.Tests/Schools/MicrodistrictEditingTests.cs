using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>Editing changes resolution at once, is recorded with who and when, and can be reverted (own host: it writes).</summary>
public sealed class MicrodistrictEditingTests : IClassFixture<MicrodistrictEditingTests.Host>
{
    public sealed class Host : EnrollmentFactory;

    private readonly Host _factory;

    public MicrodistrictEditingTests(Host factory) => _factory = factory;

    private async Task<AddressResolutionDto> ResolveAsync(string settlement, string street, string house, double? lat = null, double? lon = null)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(settlement, street, house, lat, lon)));
    }

    private const string SaveRule = """
        mutation($s: String!, $id: ID, $l: String!, $st: String!, $h: String!) {
          saveMicrodistrictRule(schoolCode: $s, ruleId: $id, settlementCode: $l, street: $st, houseSet: $h) { applied ruleId proposalId } }
        """;

    [Fact]
    public async Task A_saved_rule_resolves_at_once_is_in_the_history_and_a_revert_undoes_it()
    {
        var client = _factory.CreateClient();
        var officer = Tiny.Account("DistrictOfficer");
        var token = await client.LoginAsync(officer.UserName, officer.Password);
        var school = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        Assert.Empty((await ResolveAsync(school.SettlementCode, "улица Новостроек", "5")).Matches);

        var saved = await client.QueryAsync(SaveRule, new { s = school.Code, id = (string?)null, l = school.SettlementCode, st = "улица Новостроек", h = "odd:1-9" }, token);
        Assert.True(saved.Json["errors"] is null, saved.Text);
        Assert.True(saved.Json["data"]!["saveMicrodistrictRule"]!["applied"]!.GetValue<bool>()); // the demo campaign is closed: no approval needed
        var match = Assert.Single((await ResolveAsync(school.SettlementCode, "ул. НОВОСТРОЕК", "5")).Matches);
        Assert.Equal(school.Code, match.SchoolCode);
        Assert.Empty((await ResolveAsync(school.SettlementCode, "улица Новостроек", "6")).Matches);

        var history = await client.QueryAsync("query($s: String!) { microdistrictHistory(schoolCode: $s) { id kind changedBy before after } }", new { s = school.Code }, token);
        Assert.True(history.Json["errors"] is null, history.Text);
        var change = history.Json["data"]!["microdistrictHistory"]![0]!;
        Assert.Equal("RuleAdded", change["kind"]!.GetValue<string>());
        Assert.Equal(officer.UserName, change["changedBy"]!.GetValue<string>());
        Assert.Contains("odd:1-9", change["after"]!.GetValue<string>(), StringComparison.Ordinal);

        var reverted = await client.QueryAsync("mutation($id: ID!) { revertMicrodistrictChange(changeId: $id) }", new { id = change["id"]!.GetValue<string>() }, token);
        Assert.True(reverted.Json["errors"] is null, reverted.Text);
        Assert.Empty((await ResolveAsync(school.SettlementCode, "улица Новостроек", "5")).Matches);
    }

    [Fact]
    public async Task Rule_and_polygon_edits_are_refused_with_typed_codes()
    {
        var client = _factory.CreateClient();
        var officer = Tiny.Account("DistrictOfficer");
        var token = await client.LoginAsync(officer.UserName, officer.Password);
        var school = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var foreign = Tiny.Data.Schools.First(s => s.DistrictCode != officer.DistrictCode && s.ParticipatesInEnrollment);
        var foreignSettlement = Tiny.Data.Settlements.First(s => s.DistrictCode != officer.DistrictCode).Code;
        const string Polygon = "mutation($s: String!, $g: String) { saveMicrodistrictPolygon(schoolCode: $s, geoJson: $g) { applied } }";

        async Task<string?> Code(string query, object variables, string? bearer) =>
            JsonNode.Parse((await client.QueryAsync(query, variables, bearer)).Text)!.ErrorCode();

        Assert.Equal("INVALID_HOUSE_SET", await Code(SaveRule, new { s = school.Code, id = (string?)null, l = school.SettlementCode, st = "улица Ленина", h = "1 to 9" }, token));
        Assert.Equal("SETTLEMENT_OUTSIDE_DISTRICT", await Code(SaveRule, new { s = school.Code, id = (string?)null, l = foreignSettlement, st = "улица Ленина", h = "*" }, token));
        Assert.Equal("ACCESS_DENIED", await Code(SaveRule, new { s = foreign.Code, id = (string?)null, l = foreign.SettlementCode, st = "улица Ленина", h = "*" }, token));
        Assert.Equal("INVALID_POLYGON", await Code(Polygon, new { s = school.Code, g = """{"type":"Polygon","coordinates":[[[74.1,42.1],[74.11,42.11],[74.11,42.1],[74.1,42.11],[74.1,42.1]]]}""" }, token));
        Assert.Equal("INVALID_POLYGON", await Code(Polygon, new { s = school.Code, g = "{nope" }, token));
        Assert.Equal("UNAUTHENTICATED", await Code(Polygon, new { s = school.Code, g = (string?)null }, null));
    }

    [Fact]
    public async Task A_saved_polygon_serves_addresses_with_coordinates_that_match_no_rule()
    {
        var client = _factory.CreateClient();
        var ministry = Tiny.Account("MinistryAdmin");
        var token = await client.LoginAsync(ministry.UserName, ministry.Password);
        var school = Tiny.Data.Schools.Last(s => s.ParticipatesInEnrollment);
        const string Square = """{"type":"Polygon","coordinates":[[[70.0,40.0],[70.01,40.0],[70.01,40.01],[70.0,40.01],[70.0,40.0]]]}""";

        var saved = await client.QueryAsync("mutation($s: String!, $g: String) { saveMicrodistrictPolygon(schoolCode: $s, geoJson: $g) { applied } }", new { s = school.Code, g = Square }, token);

        Assert.True(saved.Json["errors"] is null, saved.Text);
        var match = Assert.Single((await ResolveAsync(school.SettlementCode, "улица Без Правил", "1", 40.005, 70.005)).Matches);
        Assert.Equal((school.Code, "Polygon"), (match.SchoolCode, match.Source));
    }
}

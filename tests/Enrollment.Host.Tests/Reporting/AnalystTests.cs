using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Reporting;

/// <summary>The analyst's ad-hoc GraphQL: pseudonymized facts, filters, paging, aggregates — and no way to personal data.</summary>
[Collection(HostCollection.Name)]
public sealed class AnalystTests : IClassFixture<ReportingFactory>
{
    private static readonly DateTimeOffset Day = new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
    private readonly ReportingFactory _factory;
    private readonly HttpClient _client;

    public AnalystTests(ReportingFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
        factory.AnalystSeason ??= PublishAsync(new ReportingEvents(factory));
    }

    /// <summary>School A: 6 applications (5 F, 1 M), school B: 2 — so some groups are under 5 children.</summary>
    private static async Task PublishAsync(ReportingEvents events)
    {
        var a = ReportingEvents.Participating[0];
        var b = ReportingEvents.Participating[1];
        for (var i = 0; i < 6; i++) await events.SubmitAsync(a, Day.AddMinutes(i), sex: i == 5 ? 'M' : 'F', priority: i == 0 ? "military" : null);
        for (var i = 0; i < 2; i++) await events.SubmitAsync(b, Day.AddMinutes(10 + i));
    }

    private async Task<(HttpStatusCode, JsonNode)> AsAnalyst(string query, object? variables = null)
    {
        await _factory.AnalystSeason!;
        var token = await _client.LoginAsync(Tiny.Account("Analyst").UserName, Tiny.Account("Analyst").Password);
        return await _client.PostAsync(query, variables, token);
    }

    [Fact]
    public async Task Analyst_filters_orders_and_pages_facts_with_a_total_count()
    {
        var a = ReportingEvents.Participating[0].Code;
        const string q = "query($w: ApplicationFactWhere, $after: String) { applicationFacts(where: $w, order: [{field: childKey, direction: DESC}], first: 4, after: $after) "
            + "{ totalCount hasNextPage endCursor nodes { childKey birthYear sex status schoolCode districtCode regionCode choices } } }";
        var where = new { schoolCode = new { eq = a }, or = new object[] { new { sex = new { eq = "F" } }, new { birthYear = new { gte = 2020 } } } };
        var (status, body) = await AsAnalyst(q, new { w = where });
        Assert.Equal(HttpStatusCode.OK, status);
        var page = body["data"]!["applicationFacts"]!;
        Assert.Equal(5, page["totalCount"]!.GetValue<int>());
        Assert.True(page["hasNextPage"]!.GetValue<bool>());
        var keys = page["nodes"]!.AsArray().Select(n => n!["childKey"]!.GetValue<string>()).ToList();
        Assert.Equal(keys.OrderByDescending(k => k, StringComparer.Ordinal), keys);

        var (_, next) = await AsAnalyst(q, new { w = where, after = page["endCursor"]!.GetValue<string>() });
        Assert.Single(next["data"]!["applicationFacts"]!["nodes"]!.AsArray());
        Assert.False(next["data"]!["applicationFacts"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Aggregates_suppress_groups_under_five_children_for_analysts()
    {
        var (_, body) = await AsAnalyst(
            "{ applicationFacts { aggregate(groupBy: [schoolCode, sex], measures: [{op: COUNT}, {op: SUM, field: choiceCount}]) { groupBy measures suppressedGroups rows { key count sums } } } }");
        var aggregate = body["data"]!["applicationFacts"]!["aggregate"]!;
        var rows = aggregate["rows"]!.AsArray();
        Assert.All(rows, r => Assert.True(r!["count"]!.GetValue<int>() >= 5, body.Pretty()));
        Assert.Contains(rows, r => r!["key"]![0]!.GetValue<string>() == ReportingEvents.Participating[0].Code && r["key"]![1]!.GetValue<string>() == "F");
        Assert.True(aggregate["suppressedGroups"]!.GetValue<int>() >= 2); // school A boys (1) and school B (2)
        Assert.Equal(["COUNT", "SUM(choiceCount)"], aggregate["measures"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task The_ministry_sees_small_groups()
    {
        await _factory.AnalystSeason!;
        var token = await _client.LoginAsync(Tiny.Account("MinistryAdmin").UserName, Tiny.Account("MinistryAdmin").Password);
        var (_, body) = await _client.PostAsync("{ applicationFacts { aggregate(groupBy: [schoolCode, sex]) { suppressedGroups rows { count } } } }", bearer: token);
        Assert.Equal(0, body["data"]!["applicationFacts"]!["aggregate"]!["suppressedGroups"]!.GetValue<int>());
        Assert.Contains(body["data"]!["applicationFacts"]!["aggregate"]!["rows"]!.AsArray(), r => r!["count"]!.GetValue<int>() < 5);
    }

    [Theory]
    [InlineData("{ applicationFacts { nodes { firstName } } }")]
    [InlineData("{ applicationFacts { nodes { lastName patronymic } } }")]
    [InlineData("{ applicationFacts { nodes { pin childPin applicantPin } } }")]
    [InlineData("{ applicationFacts { nodes { phone email } } }")]
    [InlineData("{ applicationFacts { nodes { address street house birthDate } } }")]
    [InlineData("{ applicationFacts(where: { pin: { eq: \"12345678901234\" } }) { totalCount } }")]
    [InlineData("{ applicationFacts(where: { lastName: { contains: \"а\" } }) { totalCount } }")]
    [InlineData("{ applicationFacts { aggregate(groupBy: [address]) { rows { count } } } }")]
    [InlineData("{ applicationFacts { aggregate(groupBy: [childKey]) { rows { count } } } }")]
    [InlineData("{ applicationFacts(order: [{field: phone}]) { totalCount } }")]
    public async Task Analysts_cannot_reach_names_pins_contacts_or_addresses(string query)
    {
        var (_, body) = await AsAnalyst(query);
        Assert.Null(body["data"]?["applicationFacts"]?["nodes"]);
        Assert.NotNull(body["errors"]);
        Assert.DoesNotContain("Айгерим", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fact_types_expose_no_personal_field()
    {
        var (_, body) = await AsAnalyst("{ __type(name: \"ApplicationFact\") { fields { name } } }");
        var fields = body["data"]!["__type"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>().ToLowerInvariant()).ToList();
        Assert.NotEmpty(fields);
        Assert.DoesNotContain(fields, f => f.Contains("pin") || f.Contains("name") || f.Contains("phone") || f.Contains("email")
            || f.Contains("address") || f.Contains("birthdate") || f.Contains("applicationid"));
    }

    [Theory]
    [InlineData("{ applicationFacts(first: 201) { totalCount } }", "PAGE_SIZE_OUT_OF_RANGE")]
    [InlineData("{ applicationFacts(after: \"bm9wZQ==\") { totalCount } }", "BAD_CURSOR")]
    [InlineData("{ applicationFacts(where: {and: [{and: [{and: [{and: [{sex: {eq: \"F\"}}]}]}]}]}) { totalCount } }", "FILTER_TOO_DEEP")]
    [InlineData("{ applicationFacts(where: {status: {eq: \"Flying\"}}) { totalCount } }", "FILTER_INVALID")]
    [InlineData("{ applicationFacts { aggregate(groupBy: [sex, birthYear, regionCode, districtCode, language]) { suppressedGroups } } }", "AGGREGATE_TOO_COMPLEX")]
    [InlineData("{ applicationFacts { aggregate(groupBy: [sex], measures: [{op: SUM, field: sex}]) { suppressedGroups } } }", "AGGREGATE_INVALID")]
    public async Task Limits_on_page_size_depth_and_aggregates_are_typed_errors(string query, string code)
    {
        var (_, body) = await AsAnalyst(query);
        Assert.Equal(code, body.ErrorCode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("SchoolAdmin")]
    [InlineData("DistrictOfficer")]
    public async Task Only_analysts_and_the_ministry_query_facts(string? role)
    {
        var token = role is null ? null : await _client.LoginAsync(Tiny.Account(role).UserName, Tiny.Account(role).Password);
        var (_, body) = await _client.PostAsync("{ applicationFacts { totalCount } }", bearer: token);
        Assert.Null(body["data"]?["applicationFacts"]);
        Assert.NotNull(body["errors"]);
    }

    [Fact]
    public async Task Program_facts_aggregate_sums_seats_by_region_and_language()
    {
        var (status, body) = await AsAnalyst(
            "{ programFacts(where: { approvedSeats: { gt: 0 } }) { totalCount aggregate(groupBy: [regionCode, language], measures: [{op: SUM, field: approvedSeats}, {op: COUNT}]) { rows { key count sums } } } }");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["errors"]);
        var rows = body["data"]!["programFacts"]!["aggregate"]!["rows"]!.AsArray();
        Assert.Equal(body["data"]!["programFacts"]!["totalCount"]!.GetValue<int>(), rows.Sum(r => r!["count"]!.GetValue<int>()));
    }
}

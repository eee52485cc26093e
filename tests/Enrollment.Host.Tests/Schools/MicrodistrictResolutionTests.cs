using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>Every registered address of the tiny demo population resolves as the generator planted it.</summary>
[Collection(HostCollection.Name)]
public sealed class MicrodistrictResolutionTests(EnrollmentFactory factory)
{
    private async Task<IReadOnlyList<AddressResolutionDto>> ResolveAllAsync(IReadOnlyList<AddressDto> addresses)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddresses(addresses));
    }

    [Fact]
    public async Task Every_registered_address_resolves_to_exactly_one_school_except_the_planted_overlaps_and_gaps()
    {
        var data = Tiny.Data;
        var overlaps = data.Anomalies.AddressesInTwoMicrodistricts.ToDictionary(a => a.Pin, a => a.SchoolCodes, StringComparer.Ordinal);
        var gaps = data.Anomalies.AddressesInNoMicrodistrict.Select(a => a.Pin).ToHashSet(StringComparer.Ordinal);
        var polygonOnly = data.Anomalies.AddressesWithCoordinatesOnlyPolygonMatchPins.ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(overlaps);
        Assert.NotEmpty(gaps);
        Assert.NotEmpty(polygonOnly);

        var results = await ResolveAllAsync([.. data.Addresses.Select(a => new AddressDto(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude))]);

        var wrong = new List<string>();
        for (var i = 0; i < data.Addresses.Count; i++)
        {
            var a = data.Addresses[i];
            var r = results[i];
            var codes = r.SchoolCodes.Order(StringComparer.Ordinal).ToArray();
            var ok = overlaps.TryGetValue(a.Pin, out var expected)
                ? r.Outcome == AddressResolutionOutcome.Matched && codes.SequenceEqual(expected.Order(StringComparer.Ordinal))
                    && r.Matches.All(m => m.Source == "Rule")
                : gaps.Contains(a.Pin)
                    ? r.Outcome == AddressResolutionOutcome.NoMatchingRule && codes.Length == 0
                    : polygonOnly.Contains(a.Pin)
                        ? codes.Length == 1 && r.Matches[0].Source == "Polygon"
                        : codes.Length == 1 && r.Matches[0].Source == "Rule";
            if (!ok)
            {
                wrong.Add($"{a.Pin} {a.SettlementCode} '{a.Street}' {a.House} ({a.Latitude},{a.Longitude}) -> {r.Outcome} [{string.Join(",", r.Matches.Select(m => m.SchoolCode + ":" + m.Source))}]");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Street_spelling_variants_resolve_to_the_school_of_the_rule_spelling()
    {
        var data = Tiny.Data;
        var byPin = data.Addresses.ToDictionary(a => a.Pin, StringComparer.Ordinal);
        var variants = data.Anomalies.StreetSpellingVariants;
        Assert.NotEmpty(variants);

        var asRegistered = await ResolveAllAsync([.. variants.Select(v => byPin[v.Pin]).Select(a => new AddressDto(a.SettlementCode, a.Street, a.House))]);
        var asRule = await ResolveAllAsync([.. variants.Select(v => (v, a: byPin[v.Pin])).Select(x => new AddressDto(x.a.SettlementCode, x.v.RuleSpelling, x.a.House))]);

        for (var i = 0; i < variants.Count; i++)
        {
            Assert.True(asRule[i].SchoolCodes.Count == 1, $"'{variants[i].RuleSpelling}' should resolve to one school");
            Assert.True(asRule[i].SchoolCodes.SequenceEqual(asRegistered[i].SchoolCodes),
                $"'{variants[i].RegistrySpelling}' resolved to [{string.Join(",", asRegistered[i].SchoolCodes)}], '{variants[i].RuleSpelling}' to [{string.Join(",", asRule[i].SchoolCodes)}]");
        }
    }

    [Fact]
    public async Task ResolveMicrodistrict_is_public_and_names_the_matching_rule()
    {
        var rule = Tiny.Data.MicrodistrictRules.First(r => r.HouseSet == "*");
        var client = factory.CreateClient();

        var reply = await client.QueryAsync("""
            query($a: AddressInput!) { resolveMicrodistrict(address: $a) {
              outcome streetKey house matches { schoolCode source ruleStreet ruleHouseSet explanation school { code participatesInEnrollment } } } }
            """, new { a = new { settlementCode = rule.SettlementCode, street = rule.Street.ToUpperInvariant(), house = "7А" } });

        Assert.True(reply.Status == HttpStatusCode.OK && reply.Json["errors"] is null, reply.Text);
        var result = reply.Json["data"]!["resolveMicrodistrict"]!;
        Assert.Equal("MATCHED", result["outcome"]!.GetValue<string>());
        var match = result["matches"]!.AsArray().Single(m => m!["schoolCode"]!.GetValue<string>() == rule.SchoolCode)!;
        Assert.Equal("Rule", match["source"]!.GetValue<string>());
        Assert.Equal(rule.Street, match["ruleStreet"]!.GetValue<string>());
        Assert.True(match["school"]!["participatesInEnrollment"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_unknown_address_is_a_not_found_outcome_not_an_error()
    {
        var client = factory.CreateClient();

        var unknownSettlement = await client.QueryAsync(
            """{ resolveMicrodistrict(address: { settlementCode: "L9999999", street: "улица Нет", house: "1" }) { outcome matches { schoolCode } } }""");
        var unknownStreet = await client.QueryAsync(
            "query($s: String) { resolveMicrodistrict(address: { settlementCode: $s, street: \"улица Несуществующая\", house: \"1\" }) { outcome matches { schoolCode } } }",
            new { s = Tiny.Data.Settlements[0].Code });

        Assert.True(unknownSettlement.Json["errors"] is null, unknownSettlement.Text);
        Assert.Equal("UNKNOWN_SETTLEMENT", unknownSettlement.Json["data"]!["resolveMicrodistrict"]!["outcome"]!.GetValue<string>());
        Assert.Empty(unknownSettlement.Json["data"]!["resolveMicrodistrict"]!["matches"]!.AsArray());
        Assert.True(unknownStreet.Json["errors"] is null, unknownStreet.Text);
        Assert.Equal("NO_MATCHING_RULE", unknownStreet.Json["data"]!["resolveMicrodistrict"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResolveMicrodistrict_refuses_an_overlong_street_with_a_validation_code()
    {
        var client = factory.CreateClient();

        var reply = await client.QueryAsync("query($s: String) { resolveMicrodistrict(address: { settlementCode: \"L0701001\", street: $s }) { outcome } }",
            new { s = new string('а', 201) });

        Assert.Equal("VALIDATION_FAILED", JsonNode.Parse(reply.Text)!.ErrorCode());
    }
}

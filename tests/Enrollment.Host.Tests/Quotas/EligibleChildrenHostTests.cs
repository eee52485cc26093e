using System.Net;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Registry.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>
/// Registry's <c>GetEligibleChildrenBySchool</c> in the real host (Schools resolves the addresses) and the roll-ups that use it,
/// on the seeded 2026/27 campaign (born 2019–2020).
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class EligibleChildrenHostTests(EnrollmentFactory factory)
{
    private static readonly DateOnly From = new(2019, 1, 1);
    private static readonly DateOnly To = new(2020, 12, 31);

    [Fact]
    public async Task Eligible_children_per_school_agree_with_resolving_each_childs_address_alone()
    {
        using var scope = factory.Services.CreateScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();

        var counts = await sender.Send(new GetEligibleChildrenBySchool(From, To));

        var data = Tiny.Data;
        var addresses = data.Addresses.ToDictionary(a => a.Pin, StringComparer.Ordinal);
        var expected = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var child in data.Persons.Where(p => p.BirthDate >= From && p.BirthDate <= To))
        {
            var schools = addresses.TryGetValue(child.Pin, out var a)
                ? (await sender.Send(new ResolveAddress(new AddressDto(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)))).SchoolCodes.Distinct().ToList()
                : [];
            foreach (var school in schools.Count == 0 ? [""] : schools)
            {
                expected[school] = expected.GetValueOrDefault(school) + 1;
            }
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)), counts.Select(c => (c.SchoolCode, c.Children)));
        Assert.True(expected.Keys.Count(k => k.Length > 0) >= 3, "the tiny data spreads children over several schools");
    }

    [Fact]
    public async Task A_birth_range_that_ends_before_it_starts_is_refused_with_a_typed_error()
    {
        using var scope = factory.Services.CreateScope();
        var e = await Assert.ThrowsAsync<BuildingBlocks.Errors.ValidationFailed>(async () =>
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetEligibleChildrenBySchool(To, From)));
        Assert.Equal("birthTo", Assert.Single(e.Errors).Field);
    }

    [Fact]
    public async Task The_roll_up_shows_the_eligible_children_of_each_district_over_GraphQL_and_on_the_page()
    {
        var client = factory.CreateClient();
        var ministry = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var (_, body) = await client.PostAsync("{ quotaRollup(level: DISTRICT) { key language approvedSeats eligibleChildren shortfall classesToOpen } }", null, ministry);
        Assert.True(body["errors"] is null, body.ToJsonString());
        var rows = body["data"]!["quotaRollup"]!.AsArray();

        using var scope = factory.Services.CreateScope();
        var counts = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetEligibleChildrenBySchool(From, To));
        var attributed = counts.Where(c => c.SchoolCode.Length > 0).Sum(c => c.Children);
        var shown = rows.Sum(r => r!["eligibleChildren"]!.GetValue<int>());
        Assert.InRange(shown, attributed - rows.Count, attributed + rows.Count); // each row is rounded once
        Assert.All(rows, r => Assert.Equal(
            Math.Max(0, r!["eligibleChildren"]!.GetValue<int>() - r["approvedSeats"]!.GetValue<int>()), r["shortfall"]!.GetValue<int>()));

        var officer = Tiny.Account("DistrictOfficer");
        var district = await client.LoginAsync(officer.UserName, officer.Password);
        var (_, own) = await client.PostAsync("{ quotaRollup(level: DISTRICT) { key eligibleChildren } }", null, district);
        Assert.Equal([officer.DistrictCode], own["data"]!["quotaRollup"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()).Distinct());

        var page = await (await factory.SignedInAsync("ministry", "Demo-Ministry-2026!")).GetStringAsync("/admin/quotas/rollup?level=District");
        Assert.Equal(shown.ToString(System.Globalization.CultureInfo.InvariantCulture), EligibleTotal().Match(page).Groups[1].Value);
        var unresolved = counts.Where(c => c.SchoolCode.Length == 0).Sum(c => c.Children);
        Assert.Equal(unresolved > 0, page.Contains("id=\"unresolved-children\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_school_administrator_cannot_read_the_roll_up()
    {
        var school = Tiny.Account("SchoolAdmin");
        var client = await factory.SignedInAsync(school.UserName, school.Password);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/admin/quotas/rollup")).StatusCode);
    }

    [GeneratedRegex("id=\"rollup-eligible\">(\\d+)<")]
    private static partial Regex EligibleTotal();
}

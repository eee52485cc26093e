using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Reporting;

/// <summary>The dashboard's "seats vs eligible children by language" table shows Quotas' language roll-up (issue #7).</summary>
[Collection(HostCollection.Name)]
public sealed partial class SeatsVsEligibleDashboardTests(EnrollmentFactory factory)
{
    [Fact]
    public async Task Ministry_dashboard_shows_per_language_seats_and_eligible_children_equal_to_the_quota_rollup()
    {
        var client = factory.CreateClient();
        var token = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var (_, body) = await client.PostAsync("{ quotaRollup(level: LANGUAGE) { key approvedSeats eligibleChildren } }", null, token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        var expected = body["data"]!["quotaRollup"]!.AsArray()
            .Select(r => (r!["key"]!.GetValue<string>(), r["approvedSeats"]!.GetValue<int>(), r["eligibleChildren"]?.GetValue<int>()))
            .ToList();
        Assert.NotEmpty(expected);
        Assert.Contains(expected, e => e.Item3 > 0);

        var page = await (await factory.SignedInAsync("ministry", "Demo-Ministry-2026!")).GetStringAsync("/admin/reporting");
        var table = Table().Match(page);
        Assert.True(table.Success, "the dashboard has the seats-vs-eligible table");
        var shown = Row().Matches(table.Value)
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups[3].Value.Length == 0 ? (int?)null : int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(expected, shown);
        Assert.Contains("data-chart=\"dashboard-seats-vs-eligible\"", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<table[^>]*id=\"seats-vs-eligible\".*?</table>", RegexOptions.Singleline)]
    private static partial Regex Table();

    [GeneratedRegex("<tr data-language=\"([^\"]*)\"><th scope=\"row\">[^<]*</th><td data-field=\"approved\">(\\d+)</td><td data-field=\"eligible\">(\\d*)</td></tr>")]
    private static partial Regex Row();
}

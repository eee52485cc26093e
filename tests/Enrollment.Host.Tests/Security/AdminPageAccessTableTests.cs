using System.Net;
using System.Text.RegularExpressions;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// The access table for admin pages: every Razor page route → the roles that may open it. A page added without a row
/// fails <see cref="Every_admin_page_has_a_row_in_the_access_table"/>; a row that disagrees with the page's
/// authorization fails <see cref="Declared_page_access_matches_the_table"/>; and each staff role (and an anonymous
/// visitor) opens every page to check the host refuses or admits as the table says.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class AdminPageAccessTableTests(EnrollmentFactory factory)
{
    private const string Public = "public";
    private const string Ministry = Roles.MinistryAdmin;
    private const string District = Roles.DistrictOfficer;
    private const string School = Roles.SchoolAdmin;
    private const string Analyst = Roles.Analyst;
    private static readonly string Staff = Of([.. Roles.Staff]);

    private static string Of(params string[] roles) => string.Join(",", roles.Order(StringComparer.Ordinal));

    /// <summary>Route pattern → "public" or the sorted role list.</summary>
    public static readonly IReadOnlyDictionary<string, string> Table = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // ---- TABLE START (keep sorted; one row per page route)
        ["/Admin"] = Staff,
        ["/Admin/Account/Denied"] = Public,
        ["/Admin/Account/Login"] = Public,
        ["/Admin/Account/Logout"] = Public,
        ["/Admin/Audit"] = Of(Ministry),
        ["/Admin/Audit/Index"] = Of(Ministry),
        ["/Admin/Index"] = Staff,
        ["/Admin/Users"] = Of(Ministry),
        ["/Admin/Users/Index"] = Of(Ministry),
        ["/admin/allocation"] = Of(District, Ministry),
        ["/admin/allocation/index"] = Of(District, Ministry),
        ["/admin/allocation/run"] = Of(District, Ministry),
        ["/admin/appeals"] = Of(District, Ministry),
        ["/admin/appeals/appeal"] = Of(District, Ministry),
        ["/admin/appeals/index"] = Of(District, Ministry),
        ["/admin/notifications"] = Of(District, Ministry),
        ["/admin/notifications/index"] = Of(District, Ministry),
        ["/admin/notifications/message"] = Of(District, Ministry),
        ["/admin/quotas"] = Staff,
        ["/admin/quotas/approval"] = Of(District, Ministry),
        ["/admin/quotas/campaign"] = Of(Ministry),
        ["/admin/quotas/entry"] = Of(District, Ministry, School),
        ["/admin/quotas/index"] = Staff,
        ["/admin/quotas/rollup"] = Of(Analyst, District, Ministry),
        ["/admin/quotas/switches"] = Of(Ministry),
        ["/admin/registry"] = Of(District, Ministry, School),
        ["/admin/registry/applications"] = Of(District, Ministry, School),
        ["/admin/registry/index"] = Of(District, Ministry, School),
        ["/admin/registry/proof"] = Of(District, Ministry, School),
        ["/admin/reporting"] = Staff,
        ["/admin/reporting/index"] = Staff,
        ["/admin/reporting/journal"] = Of(District, Ministry, School),
        ["/admin/reporting/progress"] = Of(Analyst, District, Ministry),
        ["/admin/reporting/saved"] = Of(Analyst, Ministry),
        ["/admin/schools"] = Staff,
        ["/admin/schools/edit"] = Of(District, Ministry),
        ["/admin/schools/import"] = Of(Analyst, District, Ministry),
        ["/admin/schools/index"] = Staff,
        ["/admin/schools/microdistrict"] = Staff,
        ["/admin/schools/microdistrictfiles"] = Of(Analyst, District, Ministry),
        ["/admin/schools/proposals"] = Of(Analyst, District, Ministry),
        ["/admin/schools/quality"] = Of(Analyst, District, Ministry),
        ["/open-data"] = Public,
        // ---- TABLE END
    };

    private IReadOnlyList<(string Route, Endpoint Endpoint)> Pages() =>
    [
        .. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => ("/" + e.RoutePattern.RawText!.TrimStart('/'), (Endpoint)e))
            .DistinctBy(p => p.Item1)
            .OrderBy(p => p.Item1, StringComparer.Ordinal),
    ];

    private static string Declared(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Public;
        }

        var data = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        if (data.Count == 0)
        {
            return Public;
        }

        IEnumerable<string> allowed = [.. Roles.All];
        foreach (var item in data)
        {
            if (item.Policy is { } policy)
            {
                allowed = allowed.Intersect(policy switch
                {
                    "Staff" => Roles.Staff,
                    "Ministry" => [Roles.MinistryAdmin],
                    _ => throw new InvalidOperationException($"Unknown policy {policy}: teach the access table about it."),
                });
            }

            if (item.Roles is { } roles)
            {
                allowed = allowed.Intersect(roles.Split(',', StringSplitOptions.TrimEntries));
            }
        }

        return Of([.. allowed]);
    }

    [Fact]
    public void Every_admin_page_has_a_row_in_the_access_table()
    {
        var pages = Pages();
        var missing = pages.Where(p => !Table.ContainsKey(p.Route)).Select(p => $"[\"{p.Route}\"] = \"{Declared(p.Endpoint)}\",").ToList();
        Assert.True(missing.Count == 0, "Add these rows to the page access table (after checking they are right):\n" + string.Join("\n", missing));
        var stale = Table.Keys.Except(pages.Select(p => p.Route)).ToList();
        Assert.True(stale.Count == 0, "The page access table names pages the host no longer has: " + string.Join(", ", stale));
    }

    [Fact]
    public void Declared_page_access_matches_the_table()
    {
        var wrong = Pages()
            .Where(p => Table.TryGetValue(p.Route, out var expected) && expected != Declared(p.Endpoint))
            .Select(p => $"{p.Route}: table says '{Table[p.Route]}', the page declares '{Declared(p.Endpoint)}'")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Table_rows_are_sorted()
    {
        Assert.Equal(Table.Keys.Order(StringComparer.Ordinal), Table.Keys);
    }

    public static TheoryData<string> Visitors => ["anonymous", School, District, Ministry, Analyst];

    /// <summary>
    /// GET every page: a visitor the table excludes is sent to sign-in (anonymous) or to the access-denied page (other
    /// roles); an admitted one gets the page (or 404/400 for a placeholder route value) — never a 500.
    /// </summary>
    [Theory]
    [MemberData(nameof(Visitors))]
    public async Task Each_role_is_refused_or_admitted_to_each_page_as_the_table_says(string visitor)
    {
        HttpClient client;
        if (visitor == "anonymous")
        {
            client = factory.NewClient();
        }
        else
        {
            var account = Tiny.Account(visitor);
            client = await factory.SignedInAsync(account.UserName, account.Password);
        }

        var failures = new List<string>();
        foreach (var (route, _) in Pages())
        {
            if (!Table.TryGetValue(route, out var expected) || route.Contains("denied", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var admitted = expected == Public || (visitor != "anonymous" && expected.Split(',').Contains(visitor));
            var path = RouteValue().Replace(route, "placeholder");
            using var response = await client.GetAsync(path);
            var location = response.Headers.Location?.OriginalString ?? "";
            var refused = response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect
                    && (location.Contains("/admin/account/login", StringComparison.OrdinalIgnoreCase)
                        || location.Contains("/admin/account/denied", StringComparison.OrdinalIgnoreCase)));
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{path}: {visitor} got {(int)response.StatusCode}");
            }
            else if (expected == Public)
            {
                continue; // public pages answer as they like (sign-out redirects to sign-in); only a 5xx is wrong
            }
            else if (admitted && refused)
            {
                failures.Add($"{path}: {visitor} should be admitted but was sent to {location} ({(int)response.StatusCode})");
            }
            else if (!admitted && !refused)
            {
                failures.Add($"{path}: {visitor} should be refused but got {(int)response.StatusCode} {location}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();
}

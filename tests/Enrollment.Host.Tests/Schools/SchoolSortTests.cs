using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Schools;

/// <summary>The <c>schools</c> query sorts by code, names or district, either way, and pages deterministically.</summary>
[Collection(HostCollection.Name)]
public sealed class SchoolSortTests(EnrollmentFactory factory)
{
    private const string Query = """
        query($sort: SchoolSortField, $desc: Boolean, $first: Int, $after: String) {
          schools(sort: $sort, descending: $desc, first: $first, after: $after) { endCursor hasNextPage nodes { code nameKy nameRu districtCode } } }
        """;

    private async Task<List<JsonNode>> PagedAsync(string sort, bool descending, int pageSize)
    {
        var client = factory.CreateClient();
        var all = new List<JsonNode>();
        string? after = null;
        for (var pages = 0; pages < 200; pages++)
        {
            var reply = await client.QueryAsync(Query, new { sort, desc = descending, first = pageSize, after });
            Assert.True(reply.Json["errors"] is null, reply.Text);
            var page = reply.Json["data"]!["schools"]!;
            all.AddRange(page["nodes"]!.AsArray().Select(n => n!.DeepClone()));
            if (!page["hasNextPage"]!.GetValue<bool>())
            {
                return all;
            }

            after = page["endCursor"]!.GetValue<string>();
        }

        throw new InvalidOperationException("The cursor does not advance.");
    }

    private static List<string> Codes(IEnumerable<JsonNode> nodes) => [.. nodes.Select(n => n["code"]!.GetValue<string>())];

    [Theory]
    [InlineData("CODE")]
    [InlineData("NAME_KY")]
    [InlineData("NAME_RU")]
    [InlineData("DISTRICT")]
    public async Task Small_pages_of_a_sort_concatenate_to_the_whole_list_and_descending_is_its_exact_reverse(string sort)
    {
        var ascending = Codes(await PagedAsync(sort, false, 200));
        var paged = Codes(await PagedAsync(sort, false, 3));
        var descending = Codes(await PagedAsync(sort, true, 4));

        Assert.Equal(Tiny.Data.Schools.Count, ascending.Count);
        Assert.Equal(ascending, paged);
        Assert.Equal(Enumerable.Reverse(ascending), descending);
        Assert.Equal(ascending.Count, ascending.Distinct().Count());
    }

    [Fact]
    public async Task Sorting_by_district_groups_the_districts_in_order_and_orders_by_code_within_one()
    {
        var nodes = await PagedAsync("DISTRICT", false, 5);

        var keys = nodes.Select(n => (District: n["districtCode"]!.GetValue<string>(), Code: n["code"]!.GetValue<string>())).ToList();
        Assert.Equal(keys.OrderBy(k => k.District, StringComparer.Ordinal).ThenBy(k => k.Code, StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Sorting_by_Russian_name_follows_the_names_and_the_default_is_by_code()
    {
        var byName = await PagedAsync("NAME_RU", false, 50);
        var byDefault = Codes(await PagedAsync("CODE", false, 50));

        var names = byName.Select(n => n["nameRu"]!.GetValue<string>()).ToList();
        if (factory.PostgresConnectionString is null)
        {
            Assert.Equal(names.Order(StringComparer.Ordinal), names); // SQLite compares text by code point; PostgreSQL by its collation
        }

        Assert.Equal(Tiny.Data.Schools.Select(s => s.Code).Order(StringComparer.Ordinal), byDefault);
    }
}

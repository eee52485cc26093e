using System.Net;
using System.Text;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using MiniExcelLibs;

namespace Enrollment.Host.Tests.Reporting;

/// <summary>Reports, exports and saved queries through the admin (cookie sign-in) and GraphQL.</summary>
[Collection(HostCollection.Name)]
public sealed class ReportPagesTests : IClassFixture<ReportingFactory>
{
    private static readonly DateTimeOffset Day = new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
    private readonly ReportingFactory _factory;

    public ReportPagesTests(ReportingFactory factory)
    {
        _factory = factory;
        factory.OpenDataSeason ??= PublishAsync(new ReportingEvents(factory));
    }

    private static async Task PublishAsync(ReportingEvents events)
    {
        var district = Tiny.Account("DistrictOfficer").DistrictCode;
        var inDistrict = ReportingEvents.Participating.First(s => s.DistrictCode == district);
        var elsewhere = ReportingEvents.Participating.First(s => s.DistrictCode != district);
        for (var i = 0; i < 3; i++) await events.SubmitAsync(inDistrict, Day.AddHours(i));
        for (var i = 0; i < 2; i++) await events.SubmitAsync(elsewhere, Day.AddHours(i));
    }

    [Fact]
    public async Task District_officer_progress_report_shows_only_their_district_and_exports_xlsx()
    {
        await _factory.OpenDataSeason!;
        var account = Tiny.Account("DistrictOfficer");
        var client = await _factory.SignedInAsync(account.UserName, account.Password);
        var html = await client.GetStringAsync("/admin/reporting/progress?by=District&district=D9999");
        Assert.Contains($"data-key=\"{account.DistrictCode}\"", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<tr data-key="));

        using var xlsx = await client.GetAsync("/admin/reporting/progress?by=School&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(3d, rows.Sum(r => Convert.ToDouble(r["total"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Ministry_progress_report_covers_every_district_as_csv()
    {
        await _factory.OpenDataSeason!;
        var client = await _factory.SignedInAsync(Tiny.Account("MinistryAdmin").UserName, Tiny.Account("MinistryAdmin").Password);
        using var csv = await client.GetAsync("/admin/reporting/progress?by=Status&format=csv");
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("Status,name,Submitted,", text, StringComparison.Ordinal);
        Assert.Contains("\r\nSubmitted,Submitted,", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task School_admin_cannot_open_the_progress_report()
    {
        var client = await _factory.SignedInAsync(Tiny.Account("SchoolAdmin").UserName, Tiny.Account("SchoolAdmin").Password);
        using var response = await client.GetAsync("/admin/reporting/progress");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Analyst_saves_a_query_and_reruns_and_exports_it_from_the_admin()
    {
        await _factory.OpenDataSeason!;
        var analyst = Tiny.Account("Analyst");
        var http = _factory.CreateClient();
        var token = await http.LoginAsync(analyst.UserName, analyst.Password);
        var (_, saved) = await http.PostAsync(
            "mutation($q: String!) { saveAnalyticsQuery(name: \"By district\", query: $q) { id name } }",
            new { q = "{ applicationFacts(first: 10, order: [{field: districtCode}]) { nodes { districtCode status } } }" }, token);
        var id = saved["data"]!["saveAnalyticsQuery"]!["id"]!.GetValue<string>();
        var (_, list) = await http.PostAsync("{ savedAnalyticsQueries { name } }", bearer: token);
        Assert.Contains(list["data"]!["savedAnalyticsQueries"]!.AsArray(), q => q!["name"]!.GetValue<string>() == "By district");

        var admin = await _factory.SignedInAsync(analyst.UserName, analyst.Password);
        var page = await admin.GetStringAsync($"/admin/reporting/saved?run={id}");
        Assert.Contains("id=\"result\"", page, StringComparison.Ordinal);
        using var csv = await admin.GetAsync($"/admin/reporting/saved?run={id}&format=csv");
        Assert.StartsWith("districtCode,status\r\n", Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF'), StringComparison.Ordinal);
        using var xlsx = await admin.GetAsync($"/admin/reporting/saved?run={id}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
    }

    [Fact]
    public async Task A_saved_query_runs_with_the_analysts_rights_and_mutations_cannot_be_saved()
    {
        var analyst = Tiny.Account("Analyst");
        var http = _factory.CreateClient();
        var token = await http.LoginAsync(analyst.UserName, analyst.Password);
        var (_, mutation) = await http.PostAsync(
            "mutation($q: String!) { saveAnalyticsQuery(name: \"Rebuild\", query: $q) { id } }", new { q = "mutation { rebuildReportingReadModels { days } }" }, token);
        Assert.Equal("SAVED_QUERY_NOT_A_QUERY", mutation.ErrorCode());

        var (_, saved) = await http.PostAsync(
            "mutation($q: String!) { saveAnalyticsQuery(name: \"Audit\", query: $q) { id } }", new { q = "{ auditEntries { action } }" }, token);
        var id = saved["data"]!["saveAnalyticsQuery"]!["id"]!.GetValue<string>();
        var admin = await _factory.SignedInAsync(analyst.UserName, analyst.Password);
        var page = await admin.GetStringAsync($"/admin/reporting/saved?run={id}");
        Assert.DoesNotContain("id=\"result\"", page, StringComparison.Ordinal);
        Assert.Contains("ACCESS_DENIED", page, StringComparison.Ordinal);
    }
}

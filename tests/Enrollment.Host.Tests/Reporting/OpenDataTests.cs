using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Reporting;

[Collection(HostCollection.Name)]
public sealed class OpenDataTests : IClassFixture<ReportingFactory>
{
    private static readonly DateTimeOffset OpeningDay = new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
    private readonly ReportingFactory _factory;
    private readonly ReportingEvents _events;

    public OpenDataTests(ReportingFactory factory)
    {
        _factory = factory;
        _events = new ReportingEvents(factory);
    }

    private Task EnsureSeasonAsync() => _factory.OpenDataSeason ??= PublishAsync();

    private async Task PublishAsync()
    {
        var schools = ReportingEvents.Participating;
        for (var i = 0; i < 6; i++)
        {
            await _events.SubmitAsync(schools[i % 2], OpeningDay.AddHours(i * 5), priority: i == 0 ? "military" : null);
        }
    }

    [Fact]
    public async Task Open_data_counts_applications_per_region_and_day_without_login()
    {
        await EnsureSeasonAsync();
        var (status, body) = await _factory.CreateClient().PostAsync(
            "{ openDataApplications(level: NATIONAL) { areaCode language stage status applications privileged } openDataDaily { day regionCode submitted } }");

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = body["data"]!["openDataApplications"]!.AsArray();
        Assert.True(rows.Sum(r => r!["applications"]!.GetValue<int>()) >= 6, body.Pretty());
        Assert.All(rows, r => Assert.Equal("KG", r!["areaCode"]!.GetValue<string>()));
        Assert.True(rows.Sum(r => r!["privileged"]!.GetValue<int>()) >= 1);
        var days = body["data"]!["openDataDaily"]!.AsArray().Select(d => d!["day"]!.GetValue<string>()).Distinct().ToList();
        Assert.Contains("2026-04-01", days);
        Assert.Contains("2026-04-02", days); // 04:00 + 20 h UTC is the next day in Bishkek
    }

    [Fact]
    public async Task Csv_download_has_cache_control_and_an_etag_and_a_repeat_with_if_none_match_is_304_until_the_numbers_change()
    {
        await EnsureSeasonAsync();
        var client = _factory.CreateClient();
        using var first = await client.GetAsync("/open-data/daily.csv");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", first.Content.Headers.ContentType!.ToString());
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        var etag = first.Headers.ETag!;
        var csv = Encoding.UTF8.GetString(await first.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("day,region_code,submitted\r\n2026-04-01,", csv, StringComparison.Ordinal);

        using var repeat = new HttpRequestMessage(HttpMethod.Get, "/open-data/daily.csv");
        repeat.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.SendAsync(repeat);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        // Another table has another tag; a new application changes every tag.
        using var programs = await client.GetAsync("/open-data/programs.csv");
        Assert.NotEqual(etag, programs.Headers.ETag);
        await _events.SubmitAsync(ReportingEvents.Participating[2], OpeningDay.AddDays(3));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/open-data/daily.csv");
        again.Headers.IfNoneMatch.Add(etag);
        using var changed = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Theory]
    [InlineData("/open-data/programs.csv?free=true", "school_code,school_name_ky,school_name_ru,district_code,region_code,language,grade,approved_seats,offers,enrolled,free_seats")]
    [InlineData("/open-data/seats.csv?level=district", "area_code,area_name_ky,area_name_ru,language,grade,programs,approved_seats,offers,enrolled,free_seats,applications,privileged")]
    [InlineData("/open-data/applications.csv?level=school", "area_code,area_name_ky,area_name_ru,language,grade,stage,status,applications,privileged")]
    public async Task Every_open_data_table_downloads_as_csv(string url, string header)
    {
        using var response = await _factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        Assert.StartsWith(header + "\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_level_is_a_400_not_a_500()
    {
        using var response = await _factory.CreateClient().GetAsync("/open-data/seats.csv?level=planet");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("ru", "Открытые данные: приём в первый класс", "Свободные места")]
    [InlineData("ky", "Ачык маалыматтар: биринчи класска кабыл алуу", "Бош орундар")]
    public async Task Open_data_page_is_public_and_speaks_Russian_and_Kyrgyz(string lang, string title, string freeSeats)
    {
        await EnsureSeasonAsync();
        var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(lang));
        using var response = await client.GetAsync("/open-data");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<title>{title}</title>", html, StringComparison.Ordinal);
        Assert.Contains(freeSeats, html, StringComparison.Ordinal);
        Assert.Contains("id=\"daily-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("/lib/chart.js/chart.umd.js", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/culture?lang={(lang == "ru" ? "ky" : "ru")}&returnUrl=%2Fopen-data\"", html, StringComparison.Ordinal);

        using var script = await client.GetAsync("/open-data/open-data.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType!.ToString());
    }
}

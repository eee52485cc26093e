using System.Net;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>The micro-district editor page: assets, scope and the form posts behind it.</summary>
[Collection(HostCollection.Name)]
public sealed partial class MicrodistrictEditorPageTests(EnrollmentFactory factory)
{
    [Theory]
    [InlineData("/js/schools-microdistrict-map.js")]
    [InlineData("/css/schools-microdistrict.css")]
    public async Task Editor_assets_are_served_by_the_app_not_a_CDN(string url)
    {
        var response = await factory.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_district_officer_may_neither_open_nor_change_another_districts_microdistrict()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var own = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var foreign = Tiny.Data.Schools.First(s => s.DistrictCode != officer.DistrictCode && s.ParticipatesInEnrollment);
        var client = await factory.SignedInAsync(officer.UserName, officer.Password);
        var ownPage = await client.GetStringAsync("/admin/schools/microdistrict?school=" + own.Code);
        var token = Token().Match(ownPage).Groups[1].Value;

        var open = await client.GetAsync("/admin/schools/microdistrict?school=" + foreign.Code);
        var post = await client.PostAsync($"/admin/schools/microdistrict?school={foreign.Code}&handler=SavePolygon",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["geoJson"] = "", ["__RequestVerificationToken"] = token }));

        Assert.Contains("id=\"microdistrict-map\"", ownPage, StringComparison.Ordinal);
        AssertRefused(open);
        AssertRefused(post);
        await using var scope = factory.Services.CreateAsyncScope();
        var rules = Tiny.Data.MicrodistrictRules.First(r => r.SchoolCode == foreign.Code);
        var still = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(rules.SettlementCode, rules.Street, "1")));
        Assert.NotEmpty(still.Matches);
    }

    [Fact]
    public async Task The_microdistrict_page_refuses_a_post_without_an_antiforgery_token()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var own = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var client = await factory.SignedInAsync(officer.UserName, officer.Password);

        var post = await client.PostAsync($"/admin/schools/microdistrict?school={own.Code}&handler=SavePolygon",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["geoJson"] = "" }));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    private static void AssertRefused(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Found && response.Headers.Location!.OriginalString.Contains("/admin/account/denied", StringComparison.Ordinal)),
            $"{response.StatusCode} {response.Headers.Location}");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

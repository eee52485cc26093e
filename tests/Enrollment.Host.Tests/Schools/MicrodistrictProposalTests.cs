using System.Net;
using System.Text.RegularExpressions;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>While the campaign's Stage One runs, a district officer's micro-district edit waits for the ministry.</summary>
public sealed partial class MicrodistrictProposalTests : IClassFixture<MicrodistrictProposalTests.StageOneHost>
{
    /// <summary>The host on a clock one day after the demo campaign's Stage One opened (2026-04-01 10:00 Asia/Bishkek).</summary>
    public sealed class StageOneHost : EnrollmentFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddSingleton<IClock>(new FakeClock(Bishkek.ToUtc(new DateTime(2026, 4, 2, 10, 0, 0)))));
        }
    }

    private readonly StageOneHost _factory;

    public MicrodistrictProposalTests(StageOneHost factory) => _factory = factory;

    private async Task<AddressResolutionDto> ResolveAsync(string settlement, string street)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(settlement, street, "3")));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string handler, Dictionary<string, string> form)
    {
        var html = await client.GetStringAsync(page);
        form["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value;
        return await client.PostAsync(page + "&handler=" + handler, new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task A_district_officers_rule_during_Stage_One_is_a_proposal_until_the_ministry_approves_it()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var ministry = Tiny.Account("MinistryAdmin");
        var school = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var page = "/admin/schools/microdistrict?school=" + school.Code;
        var officerClient = await _factory.SignedInAsync(officer.UserName, officer.Password);

        var proposed = await PostAsync(officerClient, page, "SaveRule",
            new() { ["settlementCode"] = school.SettlementCode, ["street"] = "улица Предложенная", ["houseSet"] = "*" });
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var officerView = await officerClient.GetStringAsync(page);

        Assert.Contains("id=\"proposals\"", officerView, StringComparison.Ordinal);
        Assert.DoesNotContain("proposal-approve", officerView, StringComparison.Ordinal);
        Assert.Empty((await ResolveAsync(school.SettlementCode, "улица Предложенная")).Matches);
        var proposalId = ProposalId().Match(officerView).Groups[1].Value;

        var ministryClient = await _factory.SignedInAsync(ministry.UserName, ministry.Password);
        var approved = await PostAsync(ministryClient, page, "Decide", new() { ["proposalId"] = proposalId, ["approve"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var after = await ministryClient.GetStringAsync(page);

        Assert.Equal(school.Code, Assert.Single((await ResolveAsync(school.SettlementCode, "ул. Предложенная")).Matches).SchoolCode);
        Assert.DoesNotContain("id=\"proposals\"", after, StringComparison.Ordinal);
        Assert.Contains("улица Предложенная", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_Stage_One_a_ministry_edit_applies_at_once()
    {
        var ministry = Tiny.Account("MinistryAdmin");
        var school = Tiny.Data.Schools.Last(s => s.ParticipatesInEnrollment);
        var page = "/admin/schools/microdistrict?school=" + school.Code;
        var ministryClient = await _factory.SignedInAsync(ministry.UserName, ministry.Password);

        await PostAsync(ministryClient, page, "SaveRule", new() { ["settlementCode"] = school.SettlementCode, ["street"] = "улица Министерская", ["houseSet"] = "*" });

        Assert.Equal(school.Code, Assert.Single((await ResolveAsync(school.SettlementCode, "улица Министерская")).Matches).SchoolCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("data-proposal-id=\"(\\d+)\"")]
    private static partial Regex ProposalId();
}

using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Schools;

/// <summary>The ministry's page and query of pending micro-district proposals across all districts, with approve and reject.</summary>
public sealed partial class ProposalsPageTests : IClassFixture<MicrodistrictProposalTests.StageOneHost>
{
    private readonly MicrodistrictProposalTests.StageOneHost _factory;

    public ProposalsPageTests(MicrodistrictProposalTests.StageOneHost factory) => _factory = factory;

    private async Task<AddressResolutionDto> ResolveAsync(string settlement, string street)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ResolveAddress(new AddressDto(settlement, street, "3")));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, Dictionary<string, string> form)
    {
        var html = await client.GetStringAsync(page);
        form["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value;
        return await client.PostAsync(page + (page.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "handler=Decide", new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task The_ministry_sees_every_districts_pending_proposals_and_approves_or_rejects_them_on_one_page()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var ministry = Tiny.Account("MinistryAdmin");
        var school = Tiny.Data.Schools.Last(s => s.DistrictCode == officer.DistrictCode && s.ParticipatesInEnrollment);
        var api = _factory.CreateClient();
        var officerToken = await api.LoginAsync(officer.UserName, officer.Password);
        var ids = new List<string>();
        foreach (var street in new[] { "улица Одобренная", "улица Отклонённая" })
        {
            var reply = await api.QueryAsync("""
                mutation($s: String!, $l: String!, $st: String!) { saveMicrodistrictRule(schoolCode: $s, settlementCode: $l, street: $st, houseSet: "*") { applied proposalId } }
                """, new { s = school.Code, l = school.SettlementCode, st = street }, officerToken);
            Assert.True(reply.Json["errors"] is null, reply.Text);
            Assert.False(reply.Json["data"]!["saveMicrodistrictRule"]!["applied"]!.GetValue<bool>());
            ids.Add(reply.Json["data"]!["saveMicrodistrictRule"]!["proposalId"]!.GetValue<string>());
        }

        var ministryToken = await api.LoginAsync(ministry.UserName, ministry.Password);
        var listed = await api.QueryAsync("{ microdistrictProposals(status: \"Pending\") { id districtCode schoolCode status } }", null, ministryToken);
        Assert.True(listed.Json["errors"] is null, listed.Text);
        Assert.Superset(ids.ToHashSet(), listed.Json["data"]!["microdistrictProposals"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToHashSet());
        var officerPage = await (await _factory.SignedInAsync(officer.UserName, officer.Password)).GetStringAsync("/admin/schools/proposals");
        Assert.Contains($"data-proposal-id=\"{ids[0]}\"", officerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("proposal-approve", officerPage, StringComparison.Ordinal);

        var admin = await _factory.SignedInAsync(ministry.UserName, ministry.Password);
        var page = await admin.GetStringAsync("/admin/schools/proposals");
        Assert.Contains($"data-proposal-id=\"{ids[0]}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-proposal-id=\"{ids[1]}\"", page, StringComparison.Ordinal);
        Assert.Contains("proposal-approve", page, StringComparison.Ordinal);
        var otherDistrict = Tiny.Data.Districts.First(d => d.Code != officer.DistrictCode).Code;
        Assert.DoesNotContain($"data-proposal-id=\"{ids[0]}\"", await admin.GetStringAsync("/admin/schools/proposals?district=" + otherDistrict), StringComparison.Ordinal);

        var approved = await PostAsync(admin, "/admin/schools/proposals", new() { ["proposalId"] = ids[0], ["approve"] = "true" });
        var rejected = await PostAsync(admin, "/admin/schools/proposals?district=" + officer.DistrictCode, new() { ["proposalId"] = ids[1], ["approve"] = "false" });
        var again = await PostAsync(admin, "/admin/schools/proposals", new() { ["proposalId"] = ids[1], ["approve"] = "true" });
        var after = await admin.GetStringAsync("/admin/schools/proposals");

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.DoesNotContain($"data-proposal-id=\"{ids[0]}\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-proposal-id=\"{ids[1]}\"", after, StringComparison.Ordinal);
        Assert.Equal(school.Code, Assert.Single((await ResolveAsync(school.SettlementCode, "улица Одобренная")).Matches).SchoolCode);
        Assert.Empty((await ResolveAsync(school.SettlementCode, "улица Отклонённая")).Matches);
        var decided = await api.QueryAsync("{ microdistrictProposals(status: \"Rejected\") { id decidedBy } }", null, ministryToken);
        Assert.Contains(decided.Json["data"]!["microdistrictProposals"]!.AsArray(), p => p!["id"]!.GetValue<string>() == ids[1] && p["decidedBy"]!.GetValue<string>() == ministry.UserName);
        var refused = await api.QueryAsync("mutation($id: ID!) { approveMicrodistrictProposal(proposalId: $id) { applied } }", new { id = ids[1] }, ministryToken);
        Assert.Equal("PROPOSAL_DECIDED", JsonNode.Parse(refused.Text)!.ErrorCode());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

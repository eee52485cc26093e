using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Quotas.Contracts;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Quotas;

[Collection(HostCollection.Name)]
public sealed class QuotasGraphQLTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    private static readonly DateTimeOffset InWindow2027 = new(2027, 3, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stage_watch_runs_every_minute()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().Single(j => j.Id == "quotas:stage-watch");
        Assert.Equal(Cron.Minutely(), job.Cron);
    }

    [Fact]
    public async Task Quota_round_trip_over_GraphQL_with_typed_errors()
    {
        var client = factory.CreateClient();
        var schoolAccount = Tiny.Account("SchoolAdmin");
        var officerAccount = Tiny.Account("DistrictOfficer");
        var school = Tiny.Data.Schools.Single(s => s.Code == schoolAccount.SchoolCode);
        string ministry = "", schoolToken = "", officerToken = "", approver = "";
        async Task TravelTo(DateTimeOffset instant)
        {
            // Tokens are issued on the host's IClock but their lifetime is checked against the real time: sign in "now", then travel.
            factory.Clock.Set(DateTimeOffset.UtcNow);
            ministry = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
            schoolToken = await client.LoginAsync(schoolAccount.UserName, schoolAccount.Password);
            officerToken = await client.LoginAsync(officerAccount.UserName, officerAccount.Password);
            approver = school.DistrictCode == officerAccount.DistrictCode ? officerToken : ministry;
            factory.Clock.Set(instant);
        }

        // The calendar is checked: Stage Two before Stage One is refused with a code, nothing is created.
        await TravelTo(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var (_, bad) = await client.PostAsync(QuotasFactory.CreateCampaign2027, QuotasFactory.Settings2027("2027-03-31T10:00:00+06:00"), ministry);
        Assert.Equal("CALENDAR_OUT_OF_ORDER", bad.ErrorCode());
        var (_, denied) = await client.PostAsync(QuotasFactory.CreateCampaign2027, QuotasFactory.Settings2027(), schoolToken);
        Assert.NotNull(denied["errors"]);
        var (_, created) = await client.PostAsync(QuotasFactory.CreateCampaign2027, QuotasFactory.Settings2027(), ministry);
        Assert.Equal("2027-04-01T04:00:00+00:00", created["data"]!["createCampaign"]!["calendar"]!["stageOneOpensAt"]!.GetValue<string>());

        const string save = "mutation($s: String!, $l: String!, $c: Int!, $n: Int!) { saveQuota(schoolCode: $s, language: $l, classes: $c, seats: $n) { id status } }";
        var language = school.Languages[0];
        var (_, early) = await client.PostAsync(save, new { s = school.Code, l = language, c = 2, n = 50 }, schoolToken);
        Assert.Equal("QUOTA_WINDOW_CLOSED", early.ErrorCode());

        await TravelTo(InWindow2027);
        var (_, stage) = await client.PostAsync("{ currentStage { campaignName stage allowed { quotaEntryOpen cancellationAllowed } } }");
        Assert.Equal("2027/28", stage["data"]!["currentStage"]!["campaignName"]!.GetValue<string>());
        Assert.True(stage["data"]!["currentStage"]!["allowed"]!["quotaEntryOpen"]!.GetValue<bool>());

        var notOffered = new[] { "ky", "ru", "uz", "tg" }.First(l => !school.Languages.Contains(l));
        Assert.Equal("LANGUAGE_NOT_OFFERED", (await client.PostAsync(save, new { s = school.Code, l = notOffered, c = 1, n = 25 }, schoolToken)).Body.ErrorCode());
        Assert.Equal("VALIDATION_FAILED", (await client.PostAsync(save, new { s = school.Code, l = language, c = -1, n = 25 }, schoolToken)).Body.ErrorCode());
        var otherDistrict = Tiny.Data.Schools.First(s => s.DistrictCode != officerAccount.DistrictCode && s.ParticipatesInEnrollment);
        Assert.Equal("ACCESS_DENIED", (await client.PostAsync(save, new { s = otherDistrict.Code, l = otherDistrict.Languages[0], c = 1, n = 25 }, officerToken)).Body.ErrorCode());

        var (_, saved) = await client.PostAsync(save, new { s = school.Code, l = language, c = 2, n = 50 }, schoolToken);
        var id = saved["data"]!["saveQuota"]!["id"]!.GetValue<string>();
        var (_, submitted) = await client.PostAsync("mutation($s: String!) { submitQuotas(schoolCode: $s) { status } }", new { s = school.Code }, schoolToken);
        Assert.Equal("SUBMITTED", submitted["data"]!["submitQuotas"]![0]!["status"]!.GetValue<string>());
        var (_, approved) = await client.PostAsync("mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids) { status approvedSeats } }", new { ids = new[] { id } }, approver);
        Assert.Equal(50, approved["data"]!["approveQuotas"]![0]!["approvedSeats"]!.GetValue<int>());

        var (_, programs) = await client.PostAsync("query($s: [String!]) { programs(schoolCodes: $s) { language approvedSeats } }", new { s = new[] { school.Code } });
        Assert.Equal(50, programs["data"]!["programs"]![0]!["approvedSeats"]!.GetValue<int>());
        var (_, locked) = await client.PostAsync(save, new { s = school.Code, l = language, c = 3, n = 75 }, schoolToken);
        Assert.Equal("QUOTA_LOCKED", locked.ErrorCode());

        var (_, history) = await client.PostAsync("query($id: ID!) { quotaHistory(quotaId: $id) { action changedBy oldSeats newSeats } }", new { id }, ministry);
        Assert.Equal(["Edit", "Submit", "Approve"], history["data"]!["quotaHistory"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));

        var (_, rollup) = await client.PostAsync("{ quotaRollup(level: LANGUAGE) { key approvedSeats } }", null, ministry);
        Assert.Equal(50, rollup["data"]!["quotaRollup"]!.AsArray().Sum(r => r!["approvedSeats"]!.GetValue<int>()));

        // Stage One opens at 10:00 Bishkek; settings lock then, an override needs a reason.
        await TravelTo(new DateTimeOffset(2027, 4, 1, 4, 0, 0, TimeSpan.Zero));
        var (_, now) = await client.PostAsync("{ currentStage { stage } }");
        Assert.Equal("STAGE_ONE", now["data"]!["currentStage"]!["stage"]!.GetValue<string>());
        var campaignId = created["data"]!["createCampaign"]!["id"]!.GetValue<string>();
        const string update = "mutation($id: ID!, $s: CampaignSettingsInput!, $r: String) { updateCampaign(campaignId: $id, settings: $s, overrideReason: $r) { offerConfirmDays } }";
        JsonNode Vars(string? reason)
        {
            var v = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(QuotasFactory.Settings2027()))!;
            v["s"]!["offerConfirmDays"] = 7;
            v["id"] = campaignId;
            v["r"] = reason;
            return v;
        }

        Assert.Equal("CAMPAIGN_LOCKED", (await client.PostAsync(update, Vars(null), ministry)).Body.ErrorCode());
        var (_, overridden) = await client.PostAsync(update, Vars("Order 5: extended"), ministry);
        Assert.Equal(7, overridden["data"]!["updateCampaign"]!["offerConfirmDays"]!.GetValue<int>());
    }
}

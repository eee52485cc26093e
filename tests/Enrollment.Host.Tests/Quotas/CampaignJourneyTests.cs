using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>A seeded host on a fake clock that records what the module's listeners heard (stage changes, approvals).</summary>
public sealed class JourneyFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public ConcurrentQueue<string> Heard { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00"); // the journey travels ten months with one sign-in
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IClock>(Clock);
            s.AddLogging(b => b.AddProvider(new LogCapture(Heard, "LogStageChangedHandler", "LogQuotaApprovedHandler"))
                .AddFilter<LogCapture>("Enrollment.Quotas.Features", LogLevel.Information));
        });
    }
}

/// <summary>
/// The whole 2027/28 campaign calendar through the host, on the fake clock: quotas entered, returned, re-entered, approved and
/// locked; a late change request approved; an extra-quota window opened and closed; every stage change published once, at its
/// instant in Asia/Bishkek (10:00 Bishkek = 04:00 UTC), by the command the <c>quotas:stage-watch</c> job sends.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CampaignJourneyTests(JourneyFactory factory) : IClassFixture<JourneyFactory>
{
    private const string Save = "mutation($s: String!, $l: String!, $c: Int!, $n: Int!, $r: String) { saveQuota(schoolCode: $s, language: $l, classes: $c, seats: $n, reason: $r) { id status approvedSeats } }";
    private const string Allowed = "{ currentStage { stage allowed { quotaEntryOpen extraQuotaWindowOpen } } }";

    private static DateTimeOffset Bishkek(int month, int day, int hour, int minute = 0) =>
        new(2027, month, day, hour, minute, 0, TimeSpan.FromHours(6));

    private async Task<StageChanged?> StageWatchAt(DateTimeOffset instant)
    {
        factory.Clock.Set(instant);
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new CheckStage());
    }

    private async Task AssertStageChangeAt(DateTimeOffset instant, Stage expected)
    {
        Assert.Null(await StageWatchAt(instant.AddMinutes(-1)));
        var changed = await StageWatchAt(instant);
        Assert.NotNull(changed);
        Assert.Equal((expected, instant.ToUniversalTime()), (changed.Current, changed.ChangedAt.ToUniversalTime()));
        Assert.Null(await StageWatchAt(instant.AddMinutes(1))); // published once
    }

    [Fact]
    public async Task A_whole_campaign_calendar_on_the_fake_clock()
    {
        var client = factory.CreateClient();
        var schoolAccount = Tiny.Account("SchoolAdmin");
        var school = Tiny.Data.Schools.Single(s => s.Code == schoolAccount.SchoolCode);
        var officerAccount = Tiny.Account("DistrictOfficer");
        var start = factory.Clock.UtcNow;
        factory.Clock.Set(DateTimeOffset.UtcNow); // sign in "now", then travel (the tokens outlive the journey)
        var ministry = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var schoolToken = await client.LoginAsync(schoolAccount.UserName, schoolAccount.Password);
        var officer = school.DistrictCode == officerAccount.DistrictCode
            ? await client.LoginAsync(officerAccount.UserName, officerAccount.Password)
            : ministry;
        var language = school.Languages[0];
        factory.Clock.Set(start);
        async Task<JsonNode> Gql(string query, object? variables, string? token)
        {
            var (_, body) = await client.PostAsync(query, variables, token);
            return body;
        }

        async Task<JsonNode> Data(string query, object? variables, string? token)
        {
            var body = await Gql(query, variables, token);
            Assert.True(body["errors"] is null, body.ToJsonString());
            return body["data"]!;
        }

        Assert.Equal("2027/28", (await Data(QuotasFactory.CreateCampaign2027, QuotasFactory.Settings2027(), ministry))["createCampaign"]!["name"]!.GetValue<string>());
        Assert.Equal(Stage.NotStarted, (await StageWatchAt(factory.Clock.UtcNow))!.Current); // first observation

        // Quota entry opens 27 Feb 09:00 Bishkek.
        Assert.Equal("QUOTA_WINDOW_CLOSED", (await Gql(Save, new { s = school.Code, l = language, c = 2, n = 50 }, schoolToken)).ErrorCode());
        await AssertStageChangeAt(Bishkek(2, 27, 9), Stage.QuotaEntry);
        Assert.True((await Data(Allowed, null, null))["currentStage"]!["allowed"]!["quotaEntryOpen"]!.GetValue<bool>());

        // Entered, submitted, returned with a comment, re-entered, submitted, approved, locked.
        factory.Clock.Set(Bishkek(3, 1, 12));
        var id = (await Data(Save, new { s = school.Code, l = language, c = 2, n = 50 }, schoolToken))["saveQuota"]!["id"]!.GetValue<string>();
        await Data("mutation($s: String!) { submitQuotas(schoolCode: $s) { status } }", new { s = school.Code }, schoolToken);
        var returned = await Data("mutation($id: ID!) { returnQuota(quotaId: $id, comment: \"Two classes of 30, please\") { status comment } }", new { id }, officer);
        Assert.Equal("RETURNED", returned["returnQuota"]!["status"]!.GetValue<string>());
        Assert.Equal("DRAFT", (await Data(Save, new { s = school.Code, l = language, c = 2, n = 60 }, schoolToken))["saveQuota"]!["status"]!.GetValue<string>());
        await Data("mutation($s: String!) { submitQuotas(schoolCode: $s) { status } }", new { s = school.Code }, schoolToken);
        var approved = await Data("mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids) { status approvedSeats } }", new { ids = new[] { id } }, officer);
        Assert.Equal(60, approved["approveQuotas"]![0]!["approvedSeats"]!.GetValue<int>());
        Assert.Equal("QUOTA_LOCKED", (await Gql(Save, new { s = school.Code, l = language, c = 3, n = 90 }, schoolToken)).ErrorCode());

        // The window closes at midnight Bishkek (18:00 UTC the day before); a late change is a request the district approves.
        await AssertStageChangeAt(Bishkek(3, 16, 0), Stage.BetweenQuotaEntryAndStageOne);
        factory.Clock.Set(Bishkek(3, 20, 11));
        Assert.Equal("REASON_REQUIRED", (await Gql(Save, new { s = school.Code, l = language, c = 3, n = 80 }, schoolToken)).ErrorCode());
        var request = await Data(Save, new { s = school.Code, l = language, c = 3, n = 80, r = "A third classroom was renovated" }, schoolToken);
        Assert.Equal(("CHANGE_REQUESTED", 60), (request["saveQuota"]!["status"]!.GetValue<string>(), request["saveQuota"]!["approvedSeats"]!.GetValue<int>()));
        Assert.Equal(80, (await Data("mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids) { approvedSeats } }", new { ids = new[] { id } }, officer))
            ["approveQuotas"]![0]!["approvedSeats"]!.GetValue<int>());

        // Stage One at 10:00 Bishkek = 04:00 UTC — not at 10:00 UTC.
        await AssertStageChangeAt(Bishkek(4, 1, 10), Stage.StageOne);
        Assert.Null(await StageWatchAt(new DateTimeOffset(2027, 4, 1, 10, 0, 0, TimeSpan.Zero)));

        // An extra-quota window announced for the school, opened and closed.
        factory.Clock.Set(Bishkek(4, 2, 9));
        const string extra = "mutation($s: String!, $l: String!) { addExtraSeats(schoolCode: $s, language: $l, classes: 1, seats: 25, reason: \"Order 44: extra class\") { approvedSeats } }";
        var announce = await Data("""
            mutation($s: [String!], $from: DateTimeOffset!, $to: DateTimeOffset!) {
              announceSwitch(kind: EXTRA_QUOTA_WINDOW, startsAt: $from, endsAt: $to, schoolCodes: $s, note: "Order 44") { kind schoolCodes } }
            """, new { s = new[] { school.Code }, from = Bishkek(4, 2, 10), to = Bishkek(4, 4, 10) }, ministry);
        Assert.Equal(school.Code, announce["announceSwitch"]!["schoolCodes"]![0]!.GetValue<string>());
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", (await Gql(extra, new { s = school.Code, l = language }, ministry)).ErrorCode());
        factory.Clock.Set(Bishkek(4, 3, 12));
        Assert.True((await Data(Allowed, null, null))["currentStage"]!["allowed"]!["extraQuotaWindowOpen"]!.GetValue<bool>());
        Assert.Equal(105, (await Data(extra, new { s = school.Code, l = language }, ministry))["addExtraSeats"]!["approvedSeats"]!.GetValue<int>());
        factory.Clock.Set(Bishkek(4, 4, 10));
        Assert.False((await Data(Allowed, null, null))["currentStage"]!["allowed"]!["extraQuotaWindowOpen"]!.GetValue<bool>());
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", (await Gql(extra, new { s = school.Code, l = language }, ministry)).ErrorCode());

        // The rest of the calendar; after the campaign nothing changes any more.
        await AssertStageChangeAt(Bishkek(6, 1, 10), Stage.StageTwo);
        await AssertStageChangeAt(Bishkek(8, 16, 0), Stage.LateEnrollment);
        await AssertStageChangeAt(Bishkek(10, 1, 0), Stage.Closed);
        Assert.Equal("QUOTA_WINDOW_CLOSED", (await Gql(Save, new { s = school.Code, l = language, c = 4, n = 110, r = "Late" }, schoolToken)).ErrorCode());

        var programs = await Data("query($s: [String!]) { programs(schoolCodes: $s) { language classes approvedSeats } }", new { s = new[] { school.Code } }, null);
        var program = programs["programs"]!.AsArray().Single(p => p!["language"]!.GetValue<string>() == language)!;
        Assert.Equal((4, 105), (program["classes"]!.GetValue<int>(), program["approvedSeats"]!.GetValue<int>()));
        var history = (await Data("query($id: ID!) { quotaHistory(quotaId: $id) { action changedBy newSeats reason } }", new { id }, ministry))["quotaHistory"]!.AsArray();
        Assert.Equal(["Edit", "Submit", "Return", "Edit", "Submit", "Approve", "RequestChange", "Approve", "AddExtraSeats"],
            history.Select(h => h!["action"]!.GetValue<string>()));
        Assert.Equal("A third classroom was renovated", history[6]!["reason"]!.GetValue<string>());

        // What the listeners heard: each stage once, in order, and one QuotaApproved per change of approved seats.
        var heard = factory.Heard.ToList();
        Assert.Equal(["- -> NotStarted", "NotStarted -> QuotaEntry", "QuotaEntry -> BetweenQuotaEntryAndStageOne", "BetweenQuotaEntryAndStageOne -> StageOne",
                "StageOne -> StageTwo", "StageTwo -> LateEnrollment", "LateEnrollment -> Closed"],
            heard.Where(h => h.StartsWith("Campaign 2027/28", StringComparison.Ordinal)).Select(h => h[(h.IndexOf("stage ", StringComparison.Ordinal) + 6)..h.IndexOf(" at ", StringComparison.Ordinal)]));
        Assert.Equal([$"Quota {school.Code}/{language}: Approve, approved seats 0 -> 60", $"Quota {school.Code}/{language}: Approve, approved seats 60 -> 80",
                $"Quota {school.Code}/{language}: AddExtraSeats, approved seats 80 -> 105"],
            heard.Where(h => h.StartsWith("Quota ", StringComparison.Ordinal)));
    }
}

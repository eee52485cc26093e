using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>Ministry switches with announced periods, as parents see them in <c>currentStage.allowed</c>.</summary>
[Collection(HostCollection.Name)]
public sealed class SwitchesGraphQLTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    private const string Allowed = "{ currentStage { stage allowed { cancellationAllowed extraQuotaWindowOpen switches { kind startsAt endsAt schoolCodes } } } }";
    private const string Announce = """
        mutation($k: SwitchKind!, $from: DateTimeOffset!, $to: DateTimeOffset!, $s: [String!]) {
          announceSwitch(kind: $k, startsAt: $from, endsAt: $to, schoolCodes: $s, note: "Order 7") { id kind } }
        """;

    [Fact]
    public async Task Cancellation_switch_and_extra_quota_window_follow_their_announced_periods()
    {
        var client = factory.CreateClient();
        factory.Clock.Set(DateTimeOffset.UtcNow); // tokens' lifetime is checked against the real time
        var ministry = await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        factory.Clock.Set(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Null((await client.PostAsync(QuotasFactory.CreateCampaign2027, QuotasFactory.Settings2027(), ministry)).Body["errors"]);

        factory.Clock.Set(new DateTimeOffset(2027, 4, 2, 6, 0, 0, TimeSpan.Zero));
        var (_, refused) = await client.PostAsync(Announce,
            new { k = "CANCELLATION_DISABLED", from = "2027-04-01T10:00:00+06:00", to = "2027-04-05T10:00:00+06:00" }, ministry);
        Assert.Equal("SWITCH_PERIOD_INVALID", refused.ErrorCode());
        var (_, announced) = await client.PostAsync(Announce,
            new { k = "CANCELLATION_DISABLED", from = "2027-04-03T10:00:00+06:00", to = "2027-04-05T10:00:00+06:00" }, ministry);
        Assert.Null(announced["errors"]);

        var (_, before) = await client.PostAsync(Allowed);
        var allowed = before["data"]!["currentStage"]!["allowed"]!;
        Assert.True(allowed["cancellationAllowed"]!.GetValue<bool>());
        Assert.Equal("CANCELLATION_DISABLED", allowed["switches"]![0]!["kind"]!.GetValue<string>());

        factory.Clock.Set(new DateTimeOffset(2027, 4, 4, 6, 0, 0, TimeSpan.Zero));
        var (_, during) = await client.PostAsync(Allowed);
        Assert.False(during["data"]!["currentStage"]!["allowed"]!["cancellationAllowed"]!.GetValue<bool>());

        var school = Tiny.Data.Schools.First(s => s.ParticipatesInEnrollment && s.ExpectedFirstGradeSeats > 0);
        const string extra = "mutation($s: String!, $l: String!) { addExtraSeats(schoolCode: $s, language: $l, classes: 1, seats: 25, reason: \"New class\") { approvedSeats } }";
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", (await client.PostAsync(extra, new { s = school.Code, l = school.Languages[0] }, ministry)).Body.ErrorCode());
        Assert.Null((await client.PostAsync(Announce,
            new { k = "EXTRA_QUOTA_WINDOW", from = "2027-04-04T12:00:00+06:00", to = "2027-04-06T12:00:00+06:00", s = new[] { school.Code } }, ministry)).Body["errors"]);
        factory.Clock.Set(new DateTimeOffset(2027, 4, 5, 6, 0, 0, TimeSpan.Zero));
        var (_, added) = await client.PostAsync(extra, new { s = school.Code, l = school.Languages[0] }, ministry);
        Assert.Equal(25, added["data"]!["addExtraSeats"]!["approvedSeats"]!.GetValue<int>());
        var (_, open) = await client.PostAsync(Allowed);
        Assert.True(open["data"]!["currentStage"]!["allowed"]!["extraQuotaWindowOpen"]!.GetValue<bool>());

        factory.Clock.Set(new DateTimeOffset(2027, 4, 6, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal("EXTRA_QUOTA_WINDOW_CLOSED", (await client.PostAsync(extra, new { s = school.Code, l = school.Languages[0] }, ministry)).Body.ErrorCode());
        var (_, after) = await client.PostAsync(Allowed);
        Assert.True(after["data"]!["currentStage"]!["allowed"]!["cancellationAllowed"]!.GetValue<bool>());
        Assert.Empty(after["data"]!["currentStage"]!["allowed"]!["switches"]!.AsArray());

        // Staff still see every switch of the campaign, ended ones included; parents and the public do not get the list.
        var (_, all) = await client.PostAsync("{ campaignSwitches { kind schoolCodes note } }", null, ministry);
        Assert.Equal(["CANCELLATION_DISABLED", "EXTRA_QUOTA_WINDOW"], all["data"]!["campaignSwitches"]!.AsArray().Select(x => x!["kind"]!.GetValue<string>()));
        Assert.NotNull((await client.PostAsync("{ campaignSwitches { kind } }")).Body["errors"]);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;

namespace Enrollment.Host.Tests.Quotas;

/// <summary>The quota entry form and the district approval queue, through real forms (antiforgery included).</summary>
[Collection(HostCollection.Name)]
public sealed partial class QuotaAdminPagesTests(QuotasFactory factory) : IClassFixture<QuotasFactory>
{
    [Fact]
    public async Task School_enters_and_submits_a_quota_and_the_district_approves_it_in_bulk()
    {
        var api = factory.CreateClient();
        factory.Clock.Set(DateTimeOffset.UtcNow); // tokens' lifetime is checked against the real time
        var ministryToken = await api.LoginAsync("ministry", "Demo-Ministry-2026!");
        factory.Clock.Set(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var (_, created) = await api.PostAsync(QuotasFactory.CreateCampaign2027, QuotasFactory.Settings2027(), ministryToken);
        Assert.Null(created["errors"]);
        factory.Clock.Set(new DateTimeOffset(2027, 3, 1, 6, 0, 0, TimeSpan.Zero));

        var schoolAccount = Tiny.Account("SchoolAdmin");
        var school = Tiny.Data.Schools.Single(s => s.Code == schoolAccount.SchoolCode);
        var language = school.Languages[0];
        var schoolAdmin = await factory.SignedInAsync(schoolAccount.UserName, schoolAccount.Password);
        var form = await schoolAdmin.GetStringAsync("/admin/quotas/entry");
        Assert.Contains(school.Code, form, StringComparison.Ordinal);

        var bad = await Post(schoolAdmin, $"/admin/quotas/entry?handler=Save&school={school.Code}", form,
            new() { ["language"] = language, ["classes"] = "1", ["seats"] = "-3" });
        Assert.Contains("OUT_OF_RANGE", bad, StringComparison.Ordinal);

        var saved = await Post(schoolAdmin, $"/admin/quotas/entry?handler=Save&school={school.Code}", form,
            new() { ["language"] = language, ["classes"] = "1", ["seats"] = "40" });
        Assert.Contains("id=\"entry-message\"", saved, StringComparison.Ordinal);
        var submitted = await Post(schoolAdmin, $"/admin/quotas/entry?handler=Submit&school={school.Code}", saved, []);
        Assert.Contains("id=\"entry-message\"", submitted, StringComparison.Ordinal);

        var officerAccount = Tiny.Account("DistrictOfficer");
        var (user, password) = officerAccount.DistrictCode == school.DistrictCode
            ? (officerAccount.UserName, officerAccount.Password)
            : ("ministry", "Demo-Ministry-2026!");
        var officer = await factory.SignedInAsync(user, password);
        var queue = await officer.GetStringAsync("/admin/quotas/approval");
        var id = QuotaId().Match(queue).Groups[1].Value;
        Assert.NotEmpty(id);

        var refused = await Post(officer, "/admin/quotas/approval?handler=Approve", queue, new() { ["ids"] = id });
        Assert.Contains("CLASS_SIZE_WARNING_NOT_ACKNOWLEDGED", refused, StringComparison.Ordinal);
        Assert.Contains($"id=\"history-{school.Code}-{language}\"", refused, StringComparison.Ordinal); // who entered and submitted it
        var approved = await Post(officer, "/admin/quotas/approval?handler=Approve", refused, new() { ["ids"] = id, ["acknowledge"] = "true" });
        Assert.Contains("id=\"nothing-pending\"", approved, StringComparison.Ordinal);

        var (_, programs) = await api.PostAsync("query($s: [String!]) { programs(schoolCodes: $s) { approvedSeats } }", new { s = new[] { school.Code } });
        Assert.Equal(40, programs["data"]!["programs"]![0]!["approvedSeats"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_school_administrator_cannot_open_the_approval_queue()
    {
        var schoolAccount = Tiny.Account("SchoolAdmin");
        var client = await factory.SignedInAsync(schoolAccount.UserName, schoolAccount.Password);
        var response = await client.GetAsync("/admin/quotas/approval");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_roll_up_shows_the_seeded_seats_to_the_ministry()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var html = await client.GetStringAsync("/admin/quotas/rollup?level=Language");
        Assert.Contains("id=\"rollup-total\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Campaign_settings_page_refuses_an_out_of_order_calendar_with_its_code()
    {
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var page = await client.GetStringAsync("/admin/quotas/campaign?new=true");
        Assert.Contains("id=\"campaign-form\"", page, StringComparison.Ordinal);
        var html = await Post(client, "/admin/quotas/campaign", page, new()
        {
            ["Form.Name"] = "2030/31", ["Form.StartYear"] = "2030",
            ["Form.QuotaEntryOpensAt"] = "2030-02-27T09:00", ["Form.QuotaEntryClosesAt"] = "2030-03-16T00:00",
            ["Form.StageOneOpensAt"] = "2030-06-01T10:00", ["Form.StageTwoOpensAt"] = "2030-04-01T10:00",
            ["Form.MainClosesAt"] = "2030-08-16T00:00", ["Form.LateEnrollmentEndsAt"] = "2030-10-01T00:00",
            ["Form.MaxChoices"] = "1", ["Form.TieBreak"] = "SubmissionTime", ["Form.EqualFootingHours"] = "72",
            ["Form.OfferConfirmDays"] = "5", ["Form.CancellationLimit"] = "3", ["Form.CorrectionDays"] = "3", ["Form.AppealDays"] = "14",
            ["Form.ClassSizeLimit"] = "36", ["Form.EligibleBirthFrom"] = "2023-01-01", ["Form.EligibleBirthTo"] = "2024-12-31",
            ["Form.AgeLimitYears"] = "8",
        });
        Assert.Contains("CALENDAR_OUT_OF_ORDER", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"campaign-saved\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Campaign_settings_page_refuses_a_change_after_Stage_One_without_a_reason_and_keeps_the_override_reason()
    {
        factory.Clock.Set(new DateTimeOffset(2026, 5, 1, 6, 0, 0, TimeSpan.Zero)); // the seeded 2026/27 campaign, Stage One open
        var client = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var page = await client.GetStringAsync("/admin/quotas/campaign");
        var id = CampaignId().Match(page).Groups[1].Value;
        Assert.NotEmpty(id);
        Dictionary<string, string> Form(string reason) => new()
        {
            ["Form.Id"] = id, ["Form.Name"] = "2026/27", ["Form.StartYear"] = "2026",
            ["Form.QuotaEntryOpensAt"] = "2026-02-27T09:00", ["Form.QuotaEntryClosesAt"] = "2026-03-16T00:00",
            ["Form.StageOneOpensAt"] = "2026-04-01T10:00", ["Form.StageTwoOpensAt"] = "2026-06-01T10:00",
            ["Form.MainClosesAt"] = "2026-08-16T00:00", ["Form.LateEnrollmentEndsAt"] = "2026-10-01T00:00",
            ["Form.MaxChoices"] = "1", ["Form.TieBreak"] = "SubmissionTime", ["Form.EqualFootingHours"] = "72",
            ["Form.OfferConfirmDays"] = "6", ["Form.CancellationLimit"] = "3", ["Form.CorrectionDays"] = "3", ["Form.AppealDays"] = "14",
            ["Form.ClassSizeLimit"] = "36", ["Form.EligibleBirthFrom"] = "2019-01-01", ["Form.EligibleBirthTo"] = "2020-12-31",
            ["Form.AgeLimitYears"] = "8", ["Form.OverrideReason"] = reason,
        };

        var locked = await Post(client, "/admin/quotas/campaign", page, Form(""));
        Assert.Contains("CAMPAIGN_LOCKED", locked, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"campaign-saved\"", locked, StringComparison.Ordinal);

        var saved = await Post(client, "/admin/quotas/campaign", page, Form("Order 31: a longer confirmation period"));
        Assert.Contains("id=\"campaign-saved\"", saved, StringComparison.Ordinal);
        Assert.Contains("offerConfirmDays: 5 → 6", saved, StringComparison.Ordinal);
        Assert.Contains("Order 31: a longer confirmation period", saved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Campaign_settings_page_is_for_the_ministry_only()
    {
        var officer = Tiny.Account("DistrictOfficer");
        var client = await factory.SignedInAsync(officer.UserName, officer.Password);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/admin/quotas/campaign")).StatusCode);
    }

    [Fact]
    public async Task Ministry_announces_an_extra_quota_window_and_adds_seats_on_the_switches_page_and_the_history_shows_it()
    {
        // The seeded 2026/27 campaign, during Stage One.
        factory.Clock.Set(new DateTimeOffset(2026, 5, 1, 6, 0, 0, TimeSpan.Zero));
        var school = Tiny.Data.Schools.First(s => s.ParticipatesInEnrollment && s.ExpectedFirstGradeSeats > 0);
        var language = school.Languages[0];
        var api = factory.CreateClient();
        var (_, before) = await api.PostAsync("query($s: [String!]) { programs(schoolCodes: $s) { language approvedSeats } }", new { s = new[] { school.Code } });
        var seeded = before["data"]!["programs"]!.AsArray().Single(p => p!["language"]!.GetValue<string>() == language)!["approvedSeats"]!.GetValue<int>();

        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var page = await ministry.GetStringAsync("/admin/quotas/switches");
        Assert.Contains("id=\"announce-form\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"extra-window-closed\"", page, StringComparison.Ordinal);

        Dictionary<string, string> Switch(string from, string to, string schools) => new()
        {
            ["Form.Kind"] = "ExtraQuotaWindow", ["Form.StartsAt"] = from, ["Form.EndsAt"] = to, ["Form.SchoolCodes"] = schools, ["Form.Note"] = "Order 9",
        };
        var bad = await Post(ministry, "/admin/quotas/switches?handler=Announce", page, Switch("2026-05-03T13:00", "2026-05-01T13:00", school.Code));
        Assert.Contains("SWITCH_PERIOD_INVALID", bad, StringComparison.Ordinal);
        Assert.Contains("NOT_FOUND", await Post(ministry, "/admin/quotas/switches?handler=Announce", page, Switch("2026-05-01T13:00", "2026-05-03T13:00", "S99999")),
            StringComparison.Ordinal);
        var announced = await Post(ministry, "/admin/quotas/switches?handler=Announce", page, Switch("2026-05-01T13:00", "2026-05-03T13:00", school.Code));
        Assert.Contains("id=\"switch-message\"", announced, StringComparison.Ordinal);
        Assert.Contains($"<td>{school.Code}</td>", announced, StringComparison.Ordinal);

        factory.Clock.Set(new DateTimeOffset(2026, 5, 2, 6, 0, 0, TimeSpan.Zero));
        page = await ministry.GetStringAsync("/admin/quotas/switches");
        Assert.Contains("id=\"extra-form\"", page, StringComparison.Ordinal);
        Dictionary<string, string> Extra(int seats) => new()
        {
            ["Extra.SchoolCode"] = school.Code, ["Extra.Language"] = language, ["Extra.Classes"] = "1", ["Extra.Seats"] = seats.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Extra.Reason"] = "Order 9: a new class",
        };
        Assert.Contains("OUT_OF_RANGE", await Post(ministry, "/admin/quotas/switches?handler=Extra", page, Extra(-5)), StringComparison.Ordinal);
        var added = await Post(ministry, "/admin/quotas/switches?handler=Extra", page, Extra(25));
        Assert.Contains($"<strong>{seeded + 25}</strong>", added, StringComparison.Ordinal);

        var entry = await ministry.GetStringAsync($"/admin/quotas/entry?school={school.Code}");
        Assert.Contains($"id=\"history-{language}\"", entry, StringComparison.Ordinal);
        Assert.Contains("Order 9: a new class", entry, StringComparison.Ordinal);

        var officer = Tiny.Account("DistrictOfficer");
        var district = await factory.SignedInAsync(officer.UserName, officer.Password);
        Assert.NotEqual(HttpStatusCode.OK, (await district.GetAsync("/admin/quotas/switches")).StatusCode);
    }

    private static async Task<string> Post(HttpClient client, string url, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value;
        var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Form.Id\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex CampaignId();

    [GeneratedRegex("name=\"ids\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex QuotaId();
}

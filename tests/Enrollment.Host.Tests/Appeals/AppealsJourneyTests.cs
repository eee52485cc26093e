using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Notifications.Features.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Appeals;

/// <summary>A parent appeals through GraphQL, the district officer answers on the admin page, the parent is notified.</summary>
[Collection(HostCollection.Name)]
public sealed partial class AppealsJourneyTests(AppealsFactory factory) : IClassFixture<AppealsFactory>
{
    private const string File = """
        mutation($a: ID!, $k: AppealKind!, $t: String!) { fileAppeal(applicationId: $a, kind: $k, text: $t) { id status filedAt dueAt overdue districtCodes } }
        """;

    private async Task<(HttpClient Api, string ParentToken, Guid Application)> ApplicationOfFirstParent()
    {
        var api = factory.CreateClient();
        var parent = Tiny.Parents[0];
        var officer = Tiny.Account("DistrictOfficer");
        var school = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode);
        var (_, campaign) = await api.PostAsync("{ currentCampaign { id appealDays } }");
        var campaignId = Guid.Parse(campaign["data"]!["currentCampaign"]!["id"]!.GetValue<string>());
        var application = factory.AddApplication(campaignId, parent.Pin!, school.Code, school.DistrictCode, "parent1@example.kg");
        return (api, await api.LoginAsync(parent.UserName, parent.Password), application);
    }

    [Fact]
    public async Task Parent_files_officer_answers_on_the_admin_page_and_the_parent_is_notified()
    {
        var (api, parentToken, application) = await ApplicationOfFirstParent();

        var (_, filed) = await api.PostAsync(File, new { a = application, k = "REJECTION", t = "The school refused us although we live next door." }, parentToken);
        Assert.Null(filed["errors"]);
        var appeal = filed["data"]!["fileAppeal"]!;
        var appealId = appeal["id"]!.GetValue<string>();
        Assert.Equal("OPEN", appeal["status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse(appeal["filedAt"]!.GetValue<string>()).AddDays(14), DateTimeOffset.Parse(appeal["dueAt"]!.GetValue<string>()));

        var officerAccount = Tiny.Account("DistrictOfficer");
        var officerToken = await api.LoginAsync(officerAccount.UserName, officerAccount.Password);
        var (_, queue) = await api.PostAsync("{ appeals(filter: { open: true }) { totalCount nodes { id overdue } } }", bearer: officerToken);
        Assert.Contains(queue["data"]!["appeals"]!["nodes"]!.AsArray(), n => n!["id"]!.GetValue<string>() == appealId);

        var officer = await factory.SignedInAsync(officerAccount.UserName, officerAccount.Password);
        var queuePage = await officer.GetStringAsync("/admin/appeals");
        Assert.Contains($"appeal-{appealId}", queuePage, StringComparison.Ordinal);
        var page = await officer.GetStringAsync($"/admin/appeals/appeal?id={appealId}");
        Assert.Contains("The school refused us although we live next door.", page, StringComparison.Ordinal);
        var empty = await Post(officer, $"/admin/appeals/appeal?id={appealId}&handler=Answer", page, new() { ["id"] = appealId, ["decision"] = "Upheld", ["text"] = "" });
        Assert.Contains("VALIDATION_FAILED", empty, StringComparison.Ordinal);
        var answered = await Post(officer, $"/admin/appeals/appeal?id={appealId}&handler=Answer", page,
            new() { ["id"] = appealId, ["decision"] = "Upheld", ["text"] = "The school will enroll the child." });
        Assert.Contains("id=\"appeal-done\"", answered, StringComparison.Ordinal);

        var (_, mine) = await api.PostAsync("{ myAppeals { id status decision messages { author text isAnswer } } }", bearer: parentToken);
        var mineAppeal = mine["data"]!["myAppeals"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == appealId)!;
        Assert.Equal(("ANSWERED", "UPHELD"), (mineAppeal["status"]!.GetValue<string>(), mineAppeal["decision"]!.GetValue<string>()));
        Assert.Equal("The school will enroll the child.", mineAppeal["messages"]!.AsArray().Single(m => m!["isAnswer"]!.GetValue<bool>())!["text"]!.GetValue<string>());

        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<NotificationDeliveryJob>().RunAsync(CancellationToken.None);
        }

        var (_, notifications) = await api.PostAsync("query($a: ID!) { notifications(applicationId: $a) { kind channel status subject body } }", new { a = application }, parentToken);
        var mail = notifications["data"]!["notifications"]!.AsArray().Single(n => n!["channel"]!.GetValue<string>() == "EMAIL")!;
        Assert.Equal(("APPEAL_ANSWERED", "SENT"), (mail["kind"]!.GetValue<string>(), mail["status"]!.GetValue<string>()));
        Assert.Equal("Ответ на обращение: Нурай", mail["subject"]!.GetValue<string>());
        var files = System.IO.Directory.GetFiles(Path.Combine(factory.DataDirectory, "outbox"), "*.eml");
        Assert.Contains(files, f => System.IO.File.ReadAllText(f).Contains("удовлетворено", StringComparison.Ordinal));

        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        var outbox = await ministry.GetStringAsync($"/admin/notifications?applicationId={application}&kind=AppealAnswered");
        var messageIds = MessageRow().Matches(outbox).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, messageIds.Count); // e-mail and SMS
        var views = await Task.WhenAll(messageIds.Select(id => ministry.GetStringAsync($"/admin/notifications/message?id={id}")));
        Assert.Contains(views, v => v.Contains("Ответ на обращение: Нурай", StringComparison.Ordinal) && v.Contains("parent1@example.kg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parent_cannot_appeal_other_family_application()
    {
        var (api, _, application) = await ApplicationOfFirstParent();
        var other = Tiny.Parents[1];
        var otherToken = await api.LoginAsync(other.UserName, other.Password);

        var (_, refused) = await api.PostAsync(File, new { a = application, k = "PRIORITY_DENIED", t = "Not mine." }, otherToken);

        Assert.Equal("NOT_YOUR_APPLICATION", refused.ErrorCode());
        var (_, theirs) = await api.PostAsync("query($a: ID!) { notifications(applicationId: $a) { id } }", new { a = application }, otherToken);
        Assert.Equal("NOT_FOUND", theirs.ErrorCode());
    }

    [Fact]
    public async Task Staff_queries_are_closed_to_parents_and_the_pages_to_school_administrators()
    {
        var (api, parentToken, _) = await ApplicationOfFirstParent();
        var (_, body) = await api.PostAsync("{ appeals { totalCount } }", bearer: parentToken);
        Assert.NotNull(body["errors"]);
        Assert.Null(body["data"]?["appeals"]);

        var schoolAccount = Tiny.Account("SchoolAdmin");
        var school = await factory.SignedInAsync(schoolAccount.UserName, schoolAccount.Password);
        Assert.NotEqual(HttpStatusCode.OK, (await school.GetAsync("/admin/appeals")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await school.GetAsync("/admin/notifications")).StatusCode);
        var ministry = await factory.SignedInAsync("ministry", "Demo-Ministry-2026!");
        Assert.Equal(HttpStatusCode.OK, (await ministry.GetAsync("/admin/appeals?show=all")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ministry.GetAsync("/admin/notifications?status=Failed")).StatusCode);
    }

    private static async Task<string> Post(HttpClient client, string url, string formPage, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = Token().Match(formPage).Groups[1].Value;
        var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("id=\"message-([0-9a-f-]{36})\"")]
    private static partial Regex MessageRow();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

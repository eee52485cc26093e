using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Registry.Contracts;

namespace Enrollment.Host.Tests.Registry;

/// <summary>
/// Appeals against the real Registry (Stage Two): the kind must fit the application's state, the filing window is AppealDays
/// from the decision, an upheld appeal changes the application through Registry's ApplyAppealRemedy with a history entry by
/// the officer naming the appeal, a dismissed one changes nothing, and only the application's district answers (ADR 0303).
/// </summary>
public sealed class AppealRemedyTests(StageTwoApplicationsFactory factory) : IClassFixture<StageTwoApplicationsFactory>
{
    private const string FileMutation = """
        mutation($a: ID!, $k: AppealKind!, $t: String!, $s: String) { fileAppeal(applicationId: $a, kind: $k, text: $t, schoolCode: $s) { id status schoolCode } }
        """;

    private const string AnswerMutation = """
        mutation($id: ID!, $d: AppealDecision!) { answerAppeal(appealId: $id, decision: $d, text: "Decided after review.") { id status decision } }
        """;

    private const string ApplicationQuery = """
        query($id: ID!) { application(id: $id) { status priorityStatus rejectionReason residentSchoolCodes residentOverrideSchoolCodes history { actor reason to } } }
        """;

    private readonly HttpClient _api = factory.CreateClient();

    private static readonly Enrollment.DemoData.DemoAccount OfficerAccount = Tiny.Account("DistrictOfficer");

    private static HashSet<string> DistrictSchools =>
        [.. Tiny.Data.Schools.Where(s => s.DistrictCode == OfficerAccount.DistrictCode).Select(s => s.Code)];

    private Task<string> OfficerAsync() => _api.LoginAsync(OfficerAccount.UserName, OfficerAccount.Password);

    /// <summary>Submits a family's application to a program of the officer's district (one the family is not resident at, when asked).</summary>
    private async Task<(string Parent, JsonNode Application)> SubmitAsync(int family, string? priority = null, bool nonResident = false)
    {
        var f = Families.Eligible[family];
        var token = await _api.SignUpAsync(f);
        var draft = await _api.DraftAsync(token, f);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToHashSet();
        var programs = await _api.ProgramsAsync(null);
        var program = nonResident
            ? programs.Where(p => !resident.Contains(p.School)).OrderBy(p => DistrictSchools.Contains(p.School) ? 0 : 1).First()
            : programs.First(p => DistrictSchools.Contains(p.School));
        var (_, body) = await _api.PostAsync(Families.Submit, Families.SubmitInput(f, [program], priority: priority), token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return (token, body["data"]!["submitApplication"]!);
    }

    private async Task<JsonNode> Staff(string mutation, object variables)
    {
        var (_, body) = await _api.PostAsync(mutation, variables, await OfficerAsync());
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body;
    }

    private Task<JsonNode> RejectAsync(JsonNode application) =>
        Staff("mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"DOCUMENTS_NOT_CONFIRMED\") { status } }", new { id = application.Id() });

    private Task<JsonNode> RejectPriorityAsync(JsonNode application) =>
        Staff("mutation($id: ID!) { verifyPriority(applicationId: $id, verified: false, note: \"Certificate expired\") { priorityStatus } }", new { id = application.Id() });

    private async Task<JsonNode> FileAsync(string parent, JsonNode application, string kind, string? school = null)
    {
        var (_, body) = await _api.PostAsync(FileMutation, new { a = application.Id(), k = kind, t = "Please review the decision.", s = school }, parent);
        return body;
    }

    private async Task<string> FiledAsync(string parent, JsonNode application, string kind, string? school = null)
    {
        var body = await FileAsync(parent, application, kind, school);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return body["data"]!["fileAppeal"]!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> AnswerAsync(string appealId, string decision, string? token = null)
    {
        var (_, body) = await _api.PostAsync(AnswerMutation, new { id = appealId, d = decision }, token ?? await OfficerAsync());
        return body;
    }

    private async Task<JsonNode> ReadAsync(string parent, JsonNode application) =>
        (await _api.PostAsync(ApplicationQuery, new { id = application.Id() }, parent)).Body["data"]!["application"]!;

    private async Task<int> PriorityClassAsync(JsonNode application)
    {
        var campaign = Guid.Parse((await _api.PostAsync("{ currentCampaign { id } }")).Body["data"]!["currentCampaign"]!["id"]!.GetValue<string>());
        return (await factory.SendAsync(new GetAllocationInputs(campaign))).Single(a => a.ApplicationId == Guid.Parse(application.Id())).Choices[0].PriorityClass;
    }

    [Fact]
    public async Task Upheld_rejection_appeal_returns_the_application_to_submitted_by_the_officer()
    {
        var (parent, application) = await SubmitAsync(0);
        await RejectAsync(application);
        var appeal = await FiledAsync(parent, application, "REJECTION");

        var answer = await AnswerAsync(appeal, "UPHELD");

        Assert.True(answer["errors"] is null, answer.ToJsonString());
        var after = await ReadAsync(parent, application);
        Assert.Equal("SUBMITTED", after["status"]!.GetValue<string>());
        Assert.Null(after["rejectionReason"]);
        var last = after["history"]!.AsArray().Last()!;
        Assert.Equal(OfficerAccount.UserName, last["actor"]!.GetValue<string>());
        Assert.Contains(appeal, last["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dismissed_rejection_appeal_changes_nothing()
    {
        var (parent, application) = await SubmitAsync(1);
        await RejectAsync(application);
        var before = await ReadAsync(parent, application);
        var appeal = await FiledAsync(parent, application, "REJECTION");

        var answer = await AnswerAsync(appeal, "DISMISSED");

        Assert.Equal("DISMISSED", answer["data"]!["answerAppeal"]!["decision"]!.GetValue<string>());
        Assert.Equal(before.ToJsonString(), (await ReadAsync(parent, application)).ToJsonString());
    }

    [Fact]
    public async Task Upheld_priority_appeal_verifies_the_claim_and_dismissed_leaves_it_rejected()
    {
        var (parent, upheld) = await SubmitAsync(2, priority: "Kairylman");
        var (otherParent, dismissed) = await SubmitAsync(3, priority: "MilitaryFamily");
        await RejectPriorityAsync(upheld);
        await RejectPriorityAsync(dismissed);
        Assert.NotEqual(0, await PriorityClassAsync(upheld));

        var first = await FiledAsync(parent, upheld, "PRIORITY_DENIED");
        var second = await FiledAsync(otherParent, dismissed, "PRIORITY_DENIED");
        Assert.Null((await AnswerAsync(first, "UPHELD"))["errors"]);
        Assert.Null((await AnswerAsync(second, "DISMISSED"))["errors"]);

        var verified = await ReadAsync(parent, upheld);
        Assert.Equal(("VERIFIED", "SUBMITTED"), (verified["priorityStatus"]!.GetValue<string>(), verified["status"]!.GetValue<string>()));
        Assert.Equal(0, await PriorityClassAsync(upheld));
        var note = verified["history"]!.AsArray().Last()!;
        Assert.Equal(OfficerAccount.UserName, note["actor"]!.GetValue<string>());
        Assert.Contains(first, note["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("REJECTED", (await ReadAsync(otherParent, dismissed))["priorityStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upheld_microdistrict_appeal_makes_the_school_resident_for_the_next_allocation()
    {
        var (parent, upheld) = await SubmitAsync(4, nonResident: true);
        var (otherParent, dismissed) = await SubmitAsync(5, nonResident: true);
        var school = upheld["choices"]![0]!["schoolCode"]!.GetValue<string>();
        var otherSchool = dismissed["choices"]![0]!["schoolCode"]!.GetValue<string>();
        Assert.Equal(2, await PriorityClassAsync(upheld));

        var first = await FiledAsync(parent, upheld, "MICRODISTRICT_RESOLUTION", school);
        var second = await FiledAsync(otherParent, dismissed, "MICRODISTRICT_RESOLUTION", otherSchool);
        // The officer of the school's district answers (the ministry when the only non-resident program lies elsewhere).
        var ministry = await _api.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);
        var (answerer, token) = DistrictSchools.Contains(school) ? (OfficerAccount.UserName, await OfficerAsync()) : ("ministry", ministry);
        Assert.Null((await AnswerAsync(first, "UPHELD", token))["errors"]);
        Assert.Null((await AnswerAsync(second, "DISMISSED", ministry))["errors"]);

        var after = await ReadAsync(parent, upheld);
        Assert.Equal([school], after["residentOverrideSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains(school, after["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(1, await PriorityClassAsync(upheld));
        var note = after["history"]!.AsArray().Last()!;
        Assert.Equal(answerer, note["actor"]!.GetValue<string>());
        Assert.Contains(first, note["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, await PriorityClassAsync(dismissed));
    }

    [Fact]
    public async Task Appeal_kind_must_match_the_application_state()
    {
        var (parent, application) = await SubmitAsync(6);
        var resident = application["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var chosen = application["choices"]![0]!["schoolCode"]!.GetValue<string>();

        Assert.Equal("APPEAL_NOT_APPLICABLE", (await FileAsync(parent, application, "REJECTION")).ErrorCode());
        Assert.Equal("APPEAL_NOT_APPLICABLE", (await FileAsync(parent, application, "PRIORITY_DENIED")).ErrorCode());
        Assert.Equal("APPEAL_NOT_APPLICABLE", (await FileAsync(parent, application, "MICRODISTRICT_RESOLUTION")).ErrorCode());
        if (resident.Contains(chosen))
        {
            Assert.Equal("APPEAL_NOT_APPLICABLE", (await FileAsync(parent, application, "MICRODISTRICT_RESOLUTION", chosen)).ErrorCode());
        }

        var notChosen = (await _api.ProgramsAsync(null)).First(p => p.School != chosen).School;
        Assert.Equal("APPEAL_NOT_APPLICABLE", (await FileAsync(parent, application, "MICRODISTRICT_RESOLUTION", notChosen)).ErrorCode());
        var (_, mine) = await _api.PostAsync("{ myAppeals { id } }", bearer: parent);
        Assert.Empty(mine["data"]!["myAppeals"]!.AsArray());
    }

    [Fact]
    public async Task Rejection_appeal_after_appeal_days_is_refused()
    {
        var (parent, application) = await SubmitAsync(7);
        await RejectAsync(application);
        var appealDays = (await _api.PostAsync("{ currentCampaign { appealDays } }")).Body["data"]!["currentCampaign"]!["appealDays"]!.GetValue<int>();
        var start = factory.Clock.UtcNow;
        try
        {
            factory.Clock.Set(start.AddDays(appealDays).AddMinutes(1));
            Assert.Equal("APPEAL_DEADLINE_PASSED", (await FileAsync(parent, application, "REJECTION")).ErrorCode());
            factory.Clock.Set(start.AddDays(appealDays).AddMinutes(-1));
            Assert.Null((await FileAsync(parent, application, "REJECTION"))["errors"]);
        }
        finally
        {
            factory.Clock.Set(start);
        }
    }

    [Fact]
    public async Task Officer_of_another_district_cannot_answer_an_appeal()
    {
        var (parent, application) = await SubmitAsync(8);
        await RejectAsync(application);
        var appeal = await FiledAsync(parent, application, "REJECTION");
        var ministry = await _api.LoginAsync("ministry", Tiny.Account("MinistryAdmin").Password);
        var otherDistrict = Tiny.Data.Districts.First(d => d.Code != OfficerAccount.DistrictCode).Code;
        var (_, created) = await _api.PostAsync(
            "mutation($d: String) { createStaffAccount(userName: \"officer-elsewhere\", displayName: \"Other Officer\", role: \"DistrictOfficer\", districtCode: $d) { userName } }",
            new { d = otherDistrict }, ministry);
        Assert.True(created["errors"] is null, created.ToJsonString());
        var password = (await _api.PostAsync("mutation { resetPassword(userName: \"officer-elsewhere\") { oneTimePassword } }", bearer: ministry))
            .Body["data"]!["resetPassword"]!["oneTimePassword"]!.GetValue<string>();
        var stranger = await _api.LoginAsync("officer-elsewhere", password);

        var answer = await AnswerAsync(appeal, "UPHELD", stranger);

        Assert.Equal("NOT_FOUND", answer.ErrorCode());
        Assert.Equal("REJECTED", (await ReadAsync(parent, application))["status"]!.GetValue<string>());
        var (_, thread) = await _api.PostAsync("query($id: ID!) { appeal(id: $id) { status } }", new { id = appeal }, parent);
        Assert.Equal("OPEN", thread["data"]!["appeal"]!["status"]!.GetValue<string>());
    }
}

using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Registry;

/// <summary>The parent's side of the application lifecycle in Stage One, through GraphQL over HTTP on the real host.</summary>
public sealed class ApplicationLifecycleTests(ApplicationsFactory factory) : IClassFixture<ApplicationsFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static Family F(int i) => Families.Eligible[i];

    [Fact]
    public void The_tiny_dataset_has_enough_families_for_these_tests() => Assert.True(Families.Eligible.Count >= 9, $"{Families.Eligible.Count} families");

    [Fact]
    public async Task Retried_submit_returns_same_application()
    {
        var family = F(0);
        var token = await _client.SignUpAsync(family);
        var draft = await _client.DraftAsync(token, family);
        Assert.Equal("DRAFT", draft.Status());
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = (await _client.ProgramsAsync(resident)).First();
        var input = Families.SubmitInput(family, [program], key: "retry-key-1");

        var first = (await _client.PostAsync(Families.Submit, input, token)).Body;
        var second = (await _client.PostAsync(Families.Submit, input, token)).Body;

        Assert.True(first["errors"] is null, first.ToJsonString());
        Assert.True(second["errors"] is null, second.ToJsonString());
        var a = first["data"]!["submitApplication"]!;
        Assert.Equal(draft.Id(), a.Id());
        Assert.Equal(a.Id(), second["data"]!["submitApplication"]!.Id());
        Assert.Equal("SUBMITTED", a.Status());
        Assert.Equal("StageOne", a["submittedInStage"]!.GetValue<string>());
        var history = a["history"]!.AsArray();
        Assert.Equal(2, history.Count);
        Assert.Null(history[0]!["from"]?.GetValue<string>());
        Assert.Equal("DRAFT", history[1]!["from"]!.GetValue<string>());
        Assert.Equal("SUBMITTED", history[1]!["to"]!.GetValue<string>());
        Assert.Equal(family.ParentPin, history[1]!["actor"]!.GetValue<string>());

        var mine = (await _client.PostAsync("{ myApplications { id status } }", bearer: token)).Body["data"]!["myApplications"]!.AsArray();
        Assert.Single(mine);
    }

    [Fact]
    public async Task Parent_cannot_read_other_family_application()
    {
        var (_, application) = await _client.SubmitAsync(F(1));
        var stranger = await _client.SignUpAsync(F(2));

        var (_, body) = await _client.PostAsync("query($id: ID!) { application(id: $id) { id childPin history { to } } }", new { id = application.Id() }, stranger);
        Assert.True(body["errors"] is null, body.ToJsonString());
        Assert.Null(body["data"]!["application"]);
        var mine = (await _client.PostAsync("{ myApplications { id } }", bearer: stranger)).Body["data"]!["myApplications"]!.AsArray();
        Assert.DoesNotContain(mine, a => a!["id"]!.GetValue<string>() == application.Id());

        var cancel = (await _client.PostAsync("mutation($id: ID!) { cancelApplication(applicationId: $id) { id } }", new { id = application.Id() }, stranger)).Body;
        Assert.Equal("NOT_FOUND", cancel.ErrorCode());
        var draftForOtherChild = (await _client.PostAsync("mutation($c: String!) { createDraft(childPin: $c) { id } }", new { c = F(1).ChildPin }, stranger)).Body;
        Assert.Equal("CHILD_NOT_LINKED", draftForOtherChild.ErrorCode());
    }

    [Fact]
    public async Task Stage_one_rejects_school_outside_microdistrict()
    {
        var family = F(3);
        var token = await _client.SignUpAsync(family);
        var draft = await _client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToHashSet();
        var elsewhere = (await _client.ProgramsAsync(null)).First(p => !resident.Contains(p.School));

        var (_, body) = await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [elsewhere]), token);

        Assert.Equal("SCHOOL_OUTSIDE_MICRODISTRICT", body.ErrorCode());
        var still = (await _client.PostAsync("query($id: ID!) { application(id: $id) { status } }", new { id = draft.Id() }, token)).Body;
        Assert.Equal("DRAFT", still["data"]!["application"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_requires_consent_and_at_most_max_choices_of_approved_programs()
    {
        var family = F(4);
        var token = await _client.SignUpAsync(family);
        var draft = await _client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var programs = await _client.ProgramsAsync(resident);

        Assert.Equal("CONSENT_REQUIRED", (await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [programs[0]], consent: false), token)).Body.ErrorCode());
        Assert.Equal("TOO_MANY_CHOICES", (await _client.PostAsync(Families.Submit,
            Families.SubmitInput(family, [programs[0], (programs[0].School, "zz")]), token)).Body.ErrorCode());
        Assert.Equal("PROGRAM_NOT_AVAILABLE", (await _client.PostAsync(Families.Submit,
            Families.SubmitInput(family, [(programs[0].School, "zz")]), token)).Body.ErrorCode());
        Assert.Equal("UNKNOWN_PRIORITY_CATEGORY", (await _client.PostAsync(Families.Submit,
            Families.SubmitInput(family, [programs[0]], priority: "Astronaut"), token)).Body.ErrorCode());
    }

    [Fact]
    public async Task Two_simultaneous_submits_create_one_application()
    {
        var family = F(5);
        var token = await _client.SignUpAsync(family);
        var draft = await _client.DraftAsync(token, family);
        var resident = draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        var program = (await _client.ProgramsAsync(resident)).First();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            factory.CreateClient().PostAsync(Families.Submit, Families.SubmitInput(family, [program], key: "parallel-" + i), token)));

        var succeeded = results.Where(r => r.Body["errors"] is null).ToList();
        Assert.Single(succeeded);
        Assert.All(results.Where(r => r.Body["errors"] is not null), r => Assert.Equal("APPLICATION_EXISTS", r.Body.ErrorCode()));
        var mine = (await _client.PostAsync("{ myApplications { id status history { to } } }", bearer: token)).Body["data"]!["myApplications"]!.AsArray();
        var only = Assert.Single(mine);
        Assert.Equal("SUBMITTED", only!["status"]!.GetValue<string>());
        Assert.Equal(2, only["history"]!.AsArray().Count);
    }

    [Fact]
    public async Task Two_simultaneous_retries_with_one_key_return_one_application()
    {
        var family = F(6);
        var token = await _client.SignUpAsync(family);
        var draft = await _client.DraftAsync(token, family);
        var program = (await _client.ProgramsAsync(draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()))).First();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            factory.CreateClient().PostAsync(Families.Submit, Families.SubmitInput(family, [program], key: "same-key"), token)));

        Assert.All(results, r => Assert.True(r.Body["errors"] is null, r.Body.ToJsonString()));
        Assert.Single(results.Select(r => r.Body["data"]!["submitApplication"]!.Id()).Distinct());
    }

    [Fact]
    public async Task Fourth_cancellation_is_refused()
    {
        var family = F(7);
        var (token, application) = await _client.SubmitAsync(family);
        var choice = application["choices"]![0]!;
        (string, string) program = (choice["schoolCode"]!.GetValue<string>(), choice["language"]!.GetValue<string>());

        // 1: a switch counts once.
        var switched = (await _client.PostAsync($"mutation($id: ID!, $c: [ChoiceInput!]!) {{ switchApplication(applicationId: $id, choices: $c) {{ {Families.Fields} }} }}",
            new { id = application.Id(), c = new[] { new { schoolCode = program.Item1, language = program.Item2 } } }, token)).Body;
        Assert.True(switched["errors"] is null, switched.ToJsonString());
        Assert.Equal(1, switched["data"]!["switchApplication"]!["cancellations"]!["used"]!.GetValue<int>());

        // 2 and 3: cancel, submit again.
        var id = application.Id();
        for (var i = 2; i <= 3; i++)
        {
            var cancelled = (await Cancel(id, token))["data"]!["cancelApplication"]!;
            Assert.Equal("CANCELLED", cancelled.Status());
            Assert.Equal(i, cancelled["cancellations"]!["used"]!.GetValue<int>());
            var again = (await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [program]), token)).Body;
            Assert.True(again["errors"] is null, again.ToJsonString());
            id = again["data"]!["submitApplication"]!.Id();
        }

        var fourth = await Cancel(id, token);
        Assert.Equal("CANCELLATION_LIMIT_REACHED", fourth.ErrorCode());
        var fourthSwitch = (await _client.PostAsync("mutation($id: ID!, $c: [ChoiceInput!]!) { switchApplication(applicationId: $id, choices: $c) { id } }",
            new { id, c = new[] { new { schoolCode = program.Item1, language = program.Item2 } } }, token)).Body;
        Assert.Equal("CANCELLATION_LIMIT_REACHED", fourthSwitch.ErrorCode());

        // The ministry grants one more, with a reason.
        var ministry = await _client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var granted = (await _client.PostAsync("mutation($id: ID!) { grantExtraCancellation(applicationId: $id, reason: \"Family moved\") { used granted remaining } }",
            new { id }, ministry)).Body;
        Assert.True(granted["errors"] is null, granted.ToJsonString());
        Assert.Equal(1, granted["data"]!["grantExtraCancellation"]!["remaining"]!.GetValue<int>());
        Assert.Equal("CANCELLED", (await Cancel(id, token))["data"]!["cancelApplication"]!.Status());
    }

    private async Task<JsonNode> Cancel(string id, string token) =>
        (await _client.PostAsync($"mutation($id: ID!) {{ cancelApplication(applicationId: $id, reason: \"changed our mind\") {{ {Families.Fields} }} }}", new { id }, token)).Body;

    [Fact]
    public async Task Over_age_child_waits_for_commission()
    {
        var family = Families.OverAge[0];
        var token = await _client.SignUpAsync(family);
        var draft = await _client.DraftAsync(token, family);
        Assert.Contains("OVER_AGE", draft["commissionGrounds"]!.AsArray().Select(g => g!.GetValue<string>()));
        var program = (await _client.ProgramsAsync(draft["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()))).First();

        var submitted = (await _client.PostAsync(Families.Submit, Families.SubmitInput(family, [program]), token)).Body["data"]!["submitApplication"]!;
        Assert.Equal("COMMISSION_REVIEW", submitted.Status());
        var inputs = await factory.SendAsync(new Enrollment.Registry.Contracts.GetAllocationInputs(Guid.Parse(await CampaignIdAsync())));
        Assert.DoesNotContain(inputs, i => i.ApplicationId == Guid.Parse(submitted.Id()));

        var ministry = await _client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var decided = (await _client.PostAsync(
            "mutation($id: ID!) { recordCommissionDecision(applicationId: $id, number: \"KDN-17\", date: \"2026-04-05\", body: \"Commission for Child Affairs of the district\", approved: true) { status commissionNumber history { from to reason } } }",
            new { id = submitted.Id() }, ministry)).Body;
        Assert.True(decided["errors"] is null, decided.ToJsonString());
        Assert.Equal("SUBMITTED", decided["data"]!["recordCommissionDecision"]!["status"]!.GetValue<string>());
        var last = decided["data"]!["recordCommissionDecision"]!["history"]!.AsArray().Last()!;
        Assert.Equal("COMMISSION_REVIEW", last["from"]!.GetValue<string>());
        Assert.Contains("KDN-17", last["reason"]!.GetValue<string>());
    }

    private async Task<string> CampaignIdAsync() =>
        (await _client.PostAsync("{ currentCampaign { id } }")).Body["data"]!["currentCampaign"]!["id"]!.GetValue<string>();

    [Fact]
    public async Task Overdue_correction_is_cancelled_by_the_job_without_counting_as_parent_cancellation()
    {
        var family = F(8);
        var (token, application) = await _client.SubmitAsync(family);
        var ministry = await _client.LoginAsync("ministry", "Demo-Ministry-2026!");
        var marked = (await _client.PostAsync(
            "mutation($id: ID!) { markNeedsCorrection(applicationId: $id, mismatches: [\"Phone number unreachable\", \"E-mail bounced\"]) { status mismatches correctionDueAt } }",
            new { id = application.Id() }, ministry)).Body;
        Assert.True(marked["errors"] is null, marked.ToJsonString());
        Assert.Equal("NEEDS_CORRECTION", marked["data"]!["markNeedsCorrection"]!["status"]!.GetValue<string>());
        Assert.Equal(2, marked["data"]!["markNeedsCorrection"]!["mismatches"]!.AsArray().Count);

        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await RunCorrectionDeadlineJobAsync();

        var (_, body) = await _client.PostAsync($"query($id: ID!) {{ application(id: $id) {{ {Families.Fields} }} }}", new { id = application.Id() }, token);
        var a = body["data"]!["application"]!;
        Assert.Equal("CANCELLED", a.Status());
        Assert.StartsWith("CORRECTION_OVERDUE", a["history"]!.AsArray().Last()!["reason"]!.GetValue<string>());
        Assert.Equal(0, a["cancellations"]!["used"]!.GetValue<int>());
        var late = (await _client.PostAsync("mutation($id: ID!) { correctApplication(applicationId: $id, contacts: { phone: \"+996 700 000000\" }) { status } }",
            new { id = application.Id() }, token)).Body;
        Assert.Equal("WRONG_STATUS", late.ErrorCode());
    }

    /// <summary>
    /// The job as Hangfire runs it: registered hourly in Asia/Bishkek, its class resolved from a DI scope. (Triggering
    /// through Hangfire's static log provider is unreliable while other test hosts start and stop in parallel.)
    /// </summary>
    private async Task RunCorrectionDeadlineJobAsync()
    {
        using (var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = connection.GetRecurringJobs().Single(j => j.Id == "registry:correction-deadline");
            Assert.Equal("0 * * * *", job.Cron);
            Assert.Equal("Asia/Bishkek", job.TimeZoneId);
            Assert.Equal("CorrectionDeadlineJob", job.Job.Type.Name);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var type = Type.GetType("Enrollment.Registry.Features.Applications.CorrectionDeadlineJob, Enrollment.Registry", throwOnError: true)!;
        var instance = scope.ServiceProvider.GetRequiredService(type);
        await (Task)type.GetMethod("RunAsync")!.Invoke(instance, [CancellationToken.None])!;
    }

    private async Task<string> StatusAsync(string id, string token) =>
        (await _client.PostAsync("query($id: ID!) { application(id: $id) { status } }", new { id }, token)).Body["data"]!["application"]!["status"]!.GetValue<string>();
}

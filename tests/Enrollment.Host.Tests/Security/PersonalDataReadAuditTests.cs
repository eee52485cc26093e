using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// Staff reads of a child's personal data (an application, application lists, notification messages, allocation
/// explanations, proof files — see Registry/ProofFileTests — and appeal threads, below) are audited: one
/// entry per request (module "reads", action "Read") with who, role, scope, request id and the ids shown, searchable in
/// <c>auditEntries</c> and /admin/audit. Parents reading their own data are not audited.
/// </summary>
public sealed class PersonalDataReadAuditTests(ApplicationsFactory factory) : IClassFixture<ApplicationsFactory>
{
    private const string Reads = """
        query($actor: String, $key: String) { auditEntries(module: "reads", actorName: $actor, entityKey: $key, first: 200) {
          actorName actorRoles districtCode schoolCode requestId module entity entityKey action afterJson } }
        """;

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> MinistryAsync() => await _client.LoginAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);

    private async Task<JsonArray> ReadEntriesAsync(string? actor = null, string? key = null)
    {
        var (_, body) = await _client.PostAsync(Reads, new { actor, key }, await MinistryAsync());
        Assert.True(body["errors"] is null, body.Pretty());
        return body["data"]!["auditEntries"]!.AsArray();
    }

    private async Task<(string ParentToken, string Id)> SubmittedAsync(int family)
    {
        var (token, application) = await _client.SubmitAsync(Families.Eligible[family]);
        return (token, application.Id());
    }

    [Fact]
    public async Task Staff_reading_one_application_leaves_one_read_entry_with_who_role_scope_request_and_id()
    {
        var (_, application) = await _client.SubmitAsync(Families.Eligible[0]);
        var id = application.Id();
        var district = application["choices"]![0]!["districtCode"]!.GetValue<string>();
        var ministry = await MinistryAsync();
        await _client.PostAsync("mutation($d: String) { createStaffAccount(userName: \"reads-officer\", displayName: \"Reads\", role: \"DistrictOfficer\", districtCode: $d) { userName } }",
            new { d = district }, ministry);
        var (_, reset) = await _client.PostAsync("mutation { resetPassword(userName: \"reads-officer\") { oneTimePassword } }", bearer: ministry);
        var token = await _client.LoginAsync("reads-officer", reset["data"]!["resetPassword"]!["oneTimePassword"]!.GetValue<string>());

        var (_, body) = await _client.PostAsync("query($id: ID!) { application(id: $id) { id childPin } }", new { id }, token);
        Assert.True(body["data"]!["application"] is JsonObject, body.Pretty());

        var entry = Assert.Single(await ReadEntriesAsync("reads-officer", id))!;
        Assert.Equal("Read", entry["action"]!.GetValue<string>());
        Assert.Equal("Application", entry["entity"]!.GetValue<string>());
        Assert.Equal(id, entry["entityKey"]!.GetValue<string>());
        Assert.Contains(Roles.DistrictOfficer, entry["actorRoles"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(district, entry["districtCode"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(entry["requestId"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_list_query_with_several_reads_writes_a_single_entry_naming_every_id()
    {
        var (_, first) = await SubmittedAsync(1);
        var (_, second) = await SubmittedAsync(2);
        var ministry = await MinistryAsync();
        var before = (await ReadEntriesAsync("ministry")).Count;

        var (_, body) = await _client.PostAsync("""
            query($a: ID!, $b: ID!) { applications(first: 200) { nodes { id childPin } } x: application(id: $a) { id } y: application(id: $b) { id } }
            """, new { a = first, b = second }, ministry);
        Assert.True(body["errors"] is null, body.Pretty());

        var entries = await ReadEntriesAsync("ministry");
        Assert.Equal(before + 1, entries.Count);
        var entry = entries[0]!;
        Assert.Equal("", entry["entityKey"]!.GetValue<string>());
        var after = entry["afterJson"]!.GetValue<string>();
        Assert.Contains(first, after, StringComparison.Ordinal);
        Assert.Contains(second, after, StringComparison.Ordinal);
        Assert.Contains("application list", after, StringComparison.Ordinal);
        Assert.Single(await ReadEntriesAsync("ministry", first), e => e!["afterJson"]!.GetValue<string>() == after);
    }

    [Fact]
    public async Task Parents_reading_their_own_application_and_messages_are_not_audited()
    {
        var (parent, id) = await SubmittedAsync(3);

        var (_, body) = await _client.PostAsync("query($id: ID!) { application(id: $id) { id } notifications(applicationId: $id) { kind } myApplications { id } }",
            new { id }, parent);
        Assert.True(body["errors"] is null, body.Pretty());

        Assert.Empty(await ReadEntriesAsync(Families.Eligible[3].ParentPin));
        Assert.Empty(await ReadEntriesAsync(key: id));
    }

    [Fact]
    public async Task The_admin_application_list_and_the_notification_pages_are_audited_and_found_on_the_audit_page()
    {
        var (_, id) = await SubmittedAsync(4);
        var ministry = await factory.SignedInAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);
        var list = await ministry.GetStringAsync("/admin/registry/applications");
        Assert.Contains(id, list, StringComparison.Ordinal);
        var token = await MinistryAsync();
        var messageIds = new List<string>();
        for (var attempt = 0; attempt < 60 && messageIds.Count == 0; attempt++)
        {
            // The submission's confirmation message is recorded from Registry's event (published after the commit).
            var (_, outbox) = await _client.PostAsync("query($id: ID!) { notifications(applicationId: $id) { id } }", new { id }, token);
            messageIds = [.. outbox["data"]!["notifications"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];
            if (messageIds.Count == 0)
            {
                // Messages are made from the recorded events by the delivery job: run it now rather than wait for its schedule.
                await using var scope = factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<global::Mediator.IMediator>()
                    .Send(new Enrollment.Notifications.Features.Delivery.DeliverNotifications());
                await Task.Delay(200);
            }
        }

        var messages = await ministry.GetStringAsync($"/admin/notifications?applicationId={id}");

        var entries = (await ReadEntriesAsync("ministry", id)).Select(e => e!["afterJson"]!.GetValue<string>()).ToList();
        Assert.Contains(entries, e => e.Contains("/admin/registry/applications", StringComparison.Ordinal));
        Assert.NotEmpty(messageIds); // the submission's confirmation message
        Assert.Contains(messageIds[0], messages, StringComparison.Ordinal);
        Assert.Contains(await ReadEntriesAsync("ministry", messageIds[0]), e => e!["afterJson"]!.GetValue<string>().Contains("/admin/notifications", StringComparison.Ordinal));
        await ministry.GetStringAsync($"/admin/notifications/message?id={messageIds[0]}");
        Assert.Contains(await ReadEntriesAsync("ministry", messageIds[0]), e => e!["afterJson"]!.GetValue<string>().Contains("message contents", StringComparison.Ordinal));

        var page = await ministry.GetStringAsync($"/admin/audit?module=reads&entityKey={id}");
        Assert.Contains("id=\"audit-entries\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"audit-empty\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_reads_of_an_allocation_explanation_and_of_every_run_export_are_audited_and_the_parents_are_not()
    {
        var (parent, id) = await SubmittedAsync(5);
        var ministry = await MinistryAsync();
        var (_, run) = await _client.PostAsync("mutation { runAllocation(dryRun: false) { run { id } } }", bearer: ministry);
        Assert.True(run["errors"] is null, run.Pretty());
        var runId = run["data"]!["runAllocation"]!["run"]!["id"]!.GetValue<string>();

        var (_, own) = await _client.PostAsync("query($id: ID!) { explanation(applicationId: $id) { runId } }", new { id }, parent);
        Assert.True(own["data"]!["explanation"] is JsonObject, own.Pretty());
        Assert.DoesNotContain(await ReadEntriesAsync(key: id), e => e!["entity"]!.GetValue<string>().Contains("Explanation", StringComparison.Ordinal));

        var (_, read) = await _client.PostAsync("query($id: ID!) { explanation(applicationId: $id) { runId choices { rank outcome } } }", new { id }, ministry);
        Assert.True(read["data"]!["explanation"] is JsonObject, read.Pretty());
        var entry = Assert.Single(await ReadEntriesAsync("ministry", id), e => e!["entity"]!.GetValue<string>() == "Explanation")!;
        Assert.Equal(id, entry["entityKey"]!.GetValue<string>());
        Assert.Contains("allocation explanation", entry["afterJson"]!.GetValue<string>(), StringComparison.Ordinal);

        var (_, export) = await _client.PostAsync("query($r: ID!) { allocationRunExport(id: $r, kind: EXPLANATIONS) }", new { r = runId }, ministry);
        Assert.True(export["errors"] is null, export.Pretty());
        Assert.Contains(await ReadEntriesAsync("ministry", id), e => e!["afterJson"]!.GetValue<string>().Contains("explanations export", StringComparison.Ordinal)
                                                                     && e["afterJson"]!.GetValue<string>().Contains("/graphql", StringComparison.Ordinal));

        foreach (var kind in new[] { "INSTANCE", "RESULT" })
        {
            var (_, other) = await _client.PostAsync($"query($r: ID!) {{ allocationRunExport(id: $r, kind: {kind}) }}", new { r = runId }, ministry);
            Assert.True(other["errors"] is null, other.Pretty());
            Assert.Contains(await ReadEntriesAsync("ministry", id), e => e!["afterJson"]!.GetValue<string>()
                .Contains($"allocation {kind.ToLowerInvariant()} export", StringComparison.Ordinal));
        }

        var browser = await factory.SignedInAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);
        using var file = await browser.GetAsync($"/admin/allocation/run?id={runId}&handler=Export&kind=Explanations");
        Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
        Assert.Contains(await ReadEntriesAsync("ministry", id), e => e!["afterJson"]!.GetValue<string>().Contains("/admin/allocation/run", StringComparison.Ordinal));
    }
}

/// <summary>
/// Staff reads of appeal threads (the parent's text and the messages) are audited through GraphQL (<c>appeal</c>,
/// <c>appeals</c>) and on the admin appeal pages; the parent reading their own appeals is not.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class AppealReadAuditTests(Enrollment.Host.Tests.Appeals.AppealsFactory factory) : IClassFixture<Enrollment.Host.Tests.Appeals.AppealsFactory>
{
    private const string Reads = """
        query($actor: String, $key: String) { auditEntries(module: "reads", actorName: $actor, entityKey: $key, first: 200) {
          actorName actorRoles districtCode entity entityKey afterJson } }
        """;

    private async Task<JsonArray> ReadEntriesAsync(HttpClient api, string? actor = null, string? key = null)
    {
        var ministry = await api.LoginAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);
        var (_, body) = await api.PostAsync(Reads, new { actor, key }, ministry);
        Assert.True(body["errors"] is null, body.Pretty());
        return body["data"]!["auditEntries"]!.AsArray();
    }

    [Fact]
    public async Task Staff_reads_of_an_appeal_thread_are_audited_on_graphql_and_the_admin_pages_and_the_parents_are_not()
    {
        var api = factory.CreateClient();
        var parent = Tiny.Parents[1];
        var officer = Tiny.Account(Roles.DistrictOfficer);
        var school = Tiny.Data.Schools.First(s => s.DistrictCode == officer.DistrictCode);
        var (_, campaign) = await api.PostAsync("{ currentCampaign { id } }");
        var campaignId = Guid.Parse(campaign["data"]!["currentCampaign"]!["id"]!.GetValue<string>());
        var application = factory.AddApplication(campaignId, parent.Pin!, school.Code, school.DistrictCode, "reads@example.kg").ToString();
        var parentToken = await api.LoginAsync(parent.UserName, parent.Password);
        var (_, filed) = await api.PostAsync("mutation($a: ID!) { fileAppeal(applicationId: $a, kind: REJECTION, text: \"Please look again.\") { id } }",
            new { a = application }, parentToken);
        Assert.True(filed["errors"] is null, filed.Pretty());
        var appealId = filed["data"]!["fileAppeal"]!["id"]!.GetValue<string>();

        var (_, own) = await api.PostAsync("query($id: ID!) { appeal(id: $id) { text } myAppeals { id } }", new { id = appealId }, parentToken);
        Assert.True(own["errors"] is null, own.Pretty());
        Assert.Empty(await ReadEntriesAsync(api, key: appealId));

        var officerToken = await api.LoginAsync(officer.UserName, officer.Password);
        var (_, one) = await api.PostAsync("query($id: ID!) { appeal(id: $id) { text messages { text } } }", new { id = appealId }, officerToken);
        Assert.True(one["errors"] is null, one.Pretty());
        var entry = Assert.Single(await ReadEntriesAsync(api, officer.UserName, appealId))!;
        Assert.Equal("Appeal", entry["entity"]!.GetValue<string>());
        Assert.Equal(appealId, entry["entityKey"]!.GetValue<string>());
        Assert.Equal(officer.DistrictCode, entry["districtCode"]!.GetValue<string>());
        Assert.Contains(application, entry["afterJson"]!.GetValue<string>(), StringComparison.Ordinal); // searchable by the application too

        var (_, queue) = await api.PostAsync("{ appeals(filter: { open: true }) { nodes { id text } } }", bearer: officerToken);
        Assert.True(queue["errors"] is null, queue.Pretty());
        Assert.Contains(await ReadEntriesAsync(api, officer.UserName, appealId), e => e!["afterJson"]!.GetValue<string>().Contains("appeal list", StringComparison.Ordinal));

        var browser = await factory.SignedInAsync(officer.UserName, officer.Password);
        Assert.Contains($"appeal-{appealId}", await browser.GetStringAsync("/admin/appeals"), StringComparison.Ordinal);
        Assert.Contains("Please look again.", await browser.GetStringAsync($"/admin/appeals/appeal?id={appealId}"), StringComparison.Ordinal);
        var pages = (await ReadEntriesAsync(api, officer.UserName, appealId)).Select(e => e!["afterJson"]!.GetValue<string>()).ToList();
        Assert.Contains(pages, e => e.Contains("\"/admin/appeals\"", StringComparison.Ordinal));
        Assert.Contains(pages, e => e.Contains("/admin/appeals/appeal", StringComparison.Ordinal));
    }
}

using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Security;

/// <summary>
/// Staff reads of a child's personal data (an application, application lists, notification messages) are audited: one
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
}

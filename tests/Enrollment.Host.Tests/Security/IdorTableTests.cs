using System.Net;
using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.Admin;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using GraphQL.Types;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Security;

/// <summary>Stage One on a fake clock, no job server (nothing writes in the background while the suite compares).</summary>
public sealed class IdorFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(ApplicationsFactory.StageOneNoon);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00");
        builder.UseSetting("RateLimits:SignInPerIp", "1000");
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }
}

/// <summary>
/// IDOR, one row per id-addressed entity and field: another family's, another school's or another district's caller
/// puts a real id of someone else's entity into a GraphQL query or mutation, or an admin form. Every attempt is refused
/// with the documented code (or the documented null) and leaves the database unchanged: no audit entry of any kind is
/// written by the caller (every module write is audited automatically, reads of personal data too), and the owner's
/// view of the application is the same before and after. <see cref="Every_id_argument_of_the_schema_has_an_idor_row"/>
/// makes a new <c>id</c>/<c>*Id</c>/<c>*Ids</c> argument fail until it has a row (or a reason it needs none).
/// </summary>
public sealed class IdorTableTests(IdorFactory factory) : IClassFixture<IdorFactory>
{
    private const string ParentB = "another family";
    private const string OtherSchool = "another school's admin";
    private const string OtherDistrict = "another district's officer";
    private const string Analyst = "an analyst (not the owner)";

    private static readonly string[] Denied = ["NOT_FOUND", "ACCESS_DENIED"];

    /// <summary>Ids of the owners' entities, made by <see cref="ArrangeAsync"/>.</summary>
    private sealed record Ids(string Application, string AppealApplication, string Appeal, string Quota, string Rule, string Change, string SavedQuery,
        string School, string OwnSchool, string? Message);

    /// <summary>Field.argument covered, entity, attacker, operation, variables, accepted error codes (empty: no error, data null/false).</summary>
    private sealed record Row(string Covers, string Entity, string Attacker, string Operation, Func<Ids, object> Variables, string[] Codes);

    private static Row R(string covers, string entity, string attacker, string operation, Func<Ids, object> variables, params string[] codes) =>
        new(covers, entity, attacker, operation, variables, codes.Length == 0 ? Denied : codes);

    private static readonly Row[] Rows =
    [
        R("Query.application.id", "application", ParentB, "query($id: ID!) { r: application(id: $id) { id childPin } }", i => new { id = i.Application }, "null"),
        R("Query.application.id", "application", OtherSchool, "query($id: ID!) { r: application(id: $id) { id childPin } }", i => new { id = i.Application }, "null"),
        R("Query.explanation.applicationId", "application explanation", ParentB, "query($id: ID!) { r: explanation(applicationId: $id) { runId } }", i => new { id = i.Application }),
        R("Query.notifications.applicationId", "notification/outbox message", ParentB, "query($id: ID!) { r: notifications(applicationId: $id) { id body } }", i => new { id = i.Application }),
        R("Query.notifications.applicationId", "notification/outbox message", OtherSchool, "query($id: ID!) { r: notifications(applicationId: $id) { id body } }", i => new { id = i.Application }),
        R("Mutation.correctApplication.applicationId", "application", ParentB, "mutation($id: ID!) { r: correctApplication(applicationId: $id, priorityCategory: \"\") { id } }", i => new { id = i.Application }),
        R("Mutation.cancelApplication.applicationId", "application", ParentB, "mutation($id: ID!) { r: cancelApplication(applicationId: $id, reason: \"x\") { id } }", i => new { id = i.Application }),
        R("Mutation.switchApplication.applicationId", "application", ParentB, "mutation($id: ID!, $s: String!) { r: switchApplication(applicationId: $id, choices: [{ schoolCode: $s, language: \"ky\" }]) { id } }", i => new { id = i.Application, s = i.School }),
        R("Mutation.confirmOffer.applicationId", "offer/confirm", ParentB, "mutation($id: ID!) { r: confirmOffer(applicationId: $id) { id } }", i => new { id = i.Application }),
        R("Mutation.fileAppeal.applicationId", "appeal", ParentB, "mutation($id: ID!) { r: fileAppeal(applicationId: $id, kind: REJECTION, text: \"mine\") { id } }", i => new { id = i.AppealApplication }, "NOT_FOUND", "ACCESS_DENIED", "NOT_YOUR_APPLICATION"),
        R("Mutation.verifyPriority.applicationId", "application", OtherSchool, "mutation($id: ID!) { r: verifyPriority(applicationId: $id, verified: true) { id } }", i => new { id = i.Application }),
        R("Mutation.markNeedsCorrection.applicationId", "application", OtherSchool, "mutation($id: ID!) { r: markNeedsCorrection(applicationId: $id, mismatches: [\"x\"]) { id } }", i => new { id = i.Application }),
        R("Mutation.rejectApplication.applicationId", "application", OtherSchool, "mutation($id: ID!) { r: rejectApplication(applicationId: $id, reasonCode: \"NOT_ELIGIBLE_AGE\") { id } }", i => new { id = i.Application }),
        R("Mutation.recordWithdrawal.applicationId", "application", OtherSchool, "mutation($id: ID!) { r: recordWithdrawal(applicationId: $id, note: \"x\") { id } }", i => new { id = i.Application }),
        R("Mutation.recordCommissionDecision.applicationId", "application", OtherDistrict, "mutation($id: ID!) { r: recordCommissionDecision(applicationId: $id, number: \"1\", date: \"2026-04-02\", body: \"x\", approved: true) { id } }", i => new { id = i.Application }),
        R("Mutation.markNeedsCorrection.applicationId", "application", OtherDistrict, "mutation($id: ID!) { r: markNeedsCorrection(applicationId: $id, mismatches: [\"x\"]) { id } }", i => new { id = i.Application }),
        R("Mutation.enrollChildren.applicationIds", "application", OtherSchool, "mutation($id: ID!, $s: String!) { r: enrollChildren(schoolCode: $s, orderNumber: \"1\", orderDate: \"2026-04-02\", applicationIds: [$id]) { id } }", i => new { id = i.Application, s = i.OwnSchool }, "NOT_FOUND", "ACCESS_DENIED", "NOT_ENROLLABLE"),
        R("Query.appeal.id", "appeal", ParentB, "query($id: ID!) { r: appeal(id: $id) { id } }", i => new { id = i.Appeal }),
        R("Mutation.addAppealMessage.appealId", "appeal", ParentB, "mutation($id: ID!) { r: addAppealMessage(appealId: $id, text: \"x\") { id } }", i => new { id = i.Appeal }),
        R("Mutation.answerAppeal.appealId", "appeal", OtherDistrict, "mutation($id: ID!) { r: answerAppeal(appealId: $id, decision: UPHELD, text: \"x\") { id } }", i => new { id = i.Appeal }),
        R("Query.quotaHistory.quotaId", "quota", OtherSchool, "query($id: ID!) { r: quotaHistory(quotaId: $id) { at } }", i => new { id = i.Quota }),
        R("Mutation.returnQuota.quotaId", "quota", OtherDistrict, "mutation($id: ID!) { r: returnQuota(quotaId: $id, comment: \"x\") { id } }", i => new { id = i.Quota }),
        R("Mutation.approveQuotas.quotaIds", "quota", OtherDistrict, "mutation($id: ID!) { r: approveQuotas(quotaIds: [$id]) { id } }", i => new { id = i.Quota }),
        R("Mutation.saveMicrodistrictRule.ruleId", "micro-district rule", OtherDistrict, "mutation($id: ID!, $s: String!) { r: saveMicrodistrictRule(schoolCode: $s, ruleId: $id, settlementCode: \"x\", street: \"x\", houseSet: \"*\") { applied } }", i => new { id = i.Rule, s = i.School }),
        R("Mutation.deleteMicrodistrictRule.ruleId", "micro-district rule", OtherDistrict, "mutation($id: ID!) { r: deleteMicrodistrictRule(ruleId: $id) { applied } }", i => new { id = i.Rule }),
        R("Mutation.revertMicrodistrictChange.changeId", "micro-district change", OtherDistrict, "mutation($id: ID!) { r: revertMicrodistrictChange(changeId: $id) }", i => new { id = i.Change }),
        R("Mutation.deleteAnalyticsQuery.id", "saved query", Analyst, "mutation($id: ID!) { r: deleteAnalyticsQuery(id: $id) }", i => new { id = i.SavedQuery }, "NOT_FOUND", "ACCESS_DENIED", "false"),
    ];

    /// <summary>Id arguments that need no row here, and why (the access table restricts them to the unscoped ministry, or another test proves the refusal).</summary>
    private static readonly IReadOnlyDictionary<string, string> Unscoped = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Query.allocationRun.id"] = "ministry only: runs are republic-wide",
        ["Query.allocationRunExport.id"] = "ministry only: runs are republic-wide",
        ["Query.campaignHistory.campaignId"] = "ministry only: one campaign for the republic",
        ["Mutation.updateCampaign.campaignId"] = "ministry only: one campaign for the republic",
        ["Mutation.grantExtraCancellation.applicationId"] = "ministry only",
        ["Mutation.approveMicrodistrictProposal.proposalId"] = "ministry only",
        ["Mutation.rejectMicrodistrictProposal.proposalId"] = "ministry only",
        // Proof ids are owner-checked by one rule (ProofRules.ApplyAsync) for createDraft, submitApplication and correctApplication;
        // another family's proof id is refused with NOT_FOUND in Registry/ProofFileTests.Proof_is_served_to_its_parent_and_the_staff_in_scope_and_is_404_for_everyone_else.
        ["Mutation.createDraft.priorityProofId"] = "covered by Registry/ProofFileTests (another family's proof: NOT_FOUND)",
        ["Mutation.createDraft.representativeProofId"] = "covered by Registry/ProofFileTests (another family's proof: NOT_FOUND)",
        ["Mutation.correctApplication.priorityProofId"] = "covered by Registry/ProofFileTests (another family's proof: NOT_FOUND)",
        ["Mutation.correctApplication.representativeProofId"] = "covered by Registry/ProofFileTests (another family's proof: NOT_FOUND)",
    };

    private static bool IsIdArgument(string name) =>
        name == "id" || name.EndsWith("Id", StringComparison.Ordinal) || name.EndsWith("Ids", StringComparison.Ordinal);

    [Fact]
    public void Every_id_argument_of_the_schema_has_an_idor_row()
    {
        var schema = factory.Services.GetRequiredService<Enrollment.Host.GraphQL.AppSchema>();
        schema.Initialize();
        var roots = new (IObjectGraphType? Type, string Kind)[] { (schema.Query, "Query"), (schema.Mutation, "Mutation") };
        var covered = Rows.Select(r => r.Covers).Concat(Unscoped.Keys).ToHashSet(StringComparer.Ordinal);
        var missing = roots.Where(r => r.Type is not null)
            .SelectMany(r => r.Type!.Fields.SelectMany(f => (f.Arguments ?? []).Where(a => IsIdArgument(a.Name)).Select(a => $"{r.Kind}.{f.Name}.{a.Name}")))
            .Where(key => !covered.Contains(key))
            .ToList();
        Assert.True(missing.Count == 0, "Id arguments without an IDOR row (add one to IdorTableTests.Rows, or to Unscoped with the reason): " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Ids_of_another_family_school_or_district_are_refused_everywhere_and_change_nothing()
    {
        var client = factory.CreateClient();
        var (ids, tokens, owner) = await ArrangeAsync(client);
        var ownerView = await OwnerViewAsync(client, owner, ids.Application);
        var failures = new List<string>();

        foreach (var row in Rows)
        {
            var attackerName = Attacker(row.Attacker);
            var before = await EntriesByAsync(client, attackerName);
            var (status, body) = await client.PostAsync(row.Operation, row.Variables(ids), tokens[row.Attacker]);
            var code = body.ErrorCode();
            var data = body["data"]?["r"];
            var refused = code is not null ? row.Codes.Contains(code)
                : (row.Codes.Contains("null") && data is null) || (row.Codes.Contains("false") && data?.GetValue<bool>() == false);
            var after = await EntriesByAsync(client, attackerName);
            if (!refused || status >= HttpStatusCode.InternalServerError)
            {
                failures.Add($"{row.Covers} ({row.Entity}) by {row.Attacker}: {status} {body.ToJsonString()}");
            }

            if (after != before)
            {
                failures.Add($"{row.Covers} ({row.Entity}) by {row.Attacker}: the caller's attempt wrote {after - before} audit entries");
            }
        }

        Assert.Equal(ownerView, await OwnerViewAsync(client, owner, ids.Application));
        Assert.Contains(ids.SavedQuery, (await MinistryDataAsync(client, "{ savedAnalyticsQueries { id } }"))!.ToJsonString(), StringComparison.Ordinal);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Admin_form_posts_and_pages_with_another_school_or_district_ids_are_refused_and_change_nothing()
    {
        var client = factory.CreateClient();
        var (ids, _, owner) = await ArrangeAsync(client);
        var ownerView = await OwnerViewAsync(client, owner, ids.Application);

        // Another school's admin posts the verification form of the application list with the foreign id.
        var school = await factory.SignedInAsync("idor-school", Passwords["idor-school"]);
        var list = await school.GetStringAsync("/admin/registry/applications");
        Assert.DoesNotContain(ids.Application, list, StringComparison.Ordinal);
        var before = await EntriesByAsync(client, "idor-school");
        var verify = await school.PostFormAsync("/admin/registry/applications?handler=Verify", list, new() { ["id"] = ids.Application, ["verified"] = "true" });
        Assert.Contains("NOT_FOUND", verify, StringComparison.Ordinal);
        var enroll = await school.PostFormAsync("/admin/registry/applications?handler=Enroll", list,
            new() { ["ids"] = ids.Application, ["orderNumber"] = "1", ["orderDate"] = "2026-04-02" });
        Assert.DoesNotContain("id=\"applications-message\"", enroll, StringComparison.Ordinal);
        Assert.Equal(before, await EntriesByAsync(client, "idor-school"));

        // Another district's officer opens and requeues a message about the application, and its school's Kundoluk export.
        var district = await factory.SignedInAsync("idor-district", Passwords["idor-district"]);
        before = await EntriesByAsync(client, "idor-district");
        if (ids.Message is { } message)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await district.GetAsync($"/admin/notifications/message?id={message}")).StatusCode);
            var page = await district.GetStringAsync("/admin/notifications");
            Assert.DoesNotContain(message, page, StringComparison.Ordinal);
        }

        var journal = await district.GetAsync($"/admin/reporting/journal?school={ids.School}&format=json");
        Assert.NotEqual("application/json", journal.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await EntriesByAsync(client, "idor-district"));

        Assert.Equal(ownerView, await OwnerViewAsync(client, owner, ids.Application));
    }

    private static string Attacker(string attacker) => attacker switch
    {
        ParentB => Families.Eligible[1].ParentPin,
        OtherSchool => "idor-school",
        OtherDistrict => "idor-district",
        _ => "analyst",
    };

    private static async Task<string> MinistryAsync(HttpClient client) => await client.LoginAsync("ministry", Tiny.Account(Roles.MinistryAdmin).Password);

    private static async Task<JsonNode?> MinistryDataAsync(HttpClient client, string query, object? variables = null)
    {
        var (_, body) = await client.PostAsync(query, variables, await MinistryAsync(client));
        Assert.True(body["errors"] is null, query + Environment.NewLine + body.Pretty());
        return body["data"];
    }

    private static async Task<int> EntriesByAsync(HttpClient client, string actor) =>
        (await MinistryDataAsync(client, "query($a: String) { auditEntries(actorName: $a, first: 200) { hash } }", new { a = actor }))!["auditEntries"]!.AsArray().Count;

    private static async Task<string> OwnerViewAsync(HttpClient client, string owner, string id)
    {
        var (_, body) = await client.PostAsync($"query($id: ID!) {{ application(id: $id) {{ {Families.Fields} }} }}", new { id }, owner);
        return body.ToJsonString();
    }

    private static readonly SemaphoreSlim Arranging = new(1, 1);
    private static (Ids, Dictionary<string, string>, string)? _arranged;

    /// <summary>
    /// The owners' entities (once per host): family A's application, family C's rejected application with an appeal, a
    /// quota, an address rule and its change in A's school, the ministry's saved query; and the attackers: family B,
    /// a school admin of another school and a district officer of another district.
    /// </summary>
    private async Task<(Ids, Dictionary<string, string>, string)> ArrangeAsync(HttpClient client)
    {
        await Arranging.WaitAsync();
        try
        {
            return _arranged ??= await CreateAsync(client);
        }
        finally
        {
            Arranging.Release();
        }
    }

    private async Task<(Ids, Dictionary<string, string>, string)> CreateAsync(HttpClient client)
    {
        var (owner, application) = await client.SubmitAsync(Families.Eligible[0]);
        var (parentB, _) = await client.SubmitAsync(Families.Eligible[1]);
        var (parentC, appealed) = await client.SubmitAsync(Families.Eligible[2]);
        var school = application["choices"]![0]!["schoolCode"]!.GetValue<string>();
        var district = application["choices"]![0]!["districtCode"]!.GetValue<string>();

        await MinistryDataAsync(client, "mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"NOT_ELIGIBLE_AGE\") { id } }", new { id = appealed.Id() });
        var (_, filed) = await client.PostAsync("mutation($id: ID!) { fileAppeal(applicationId: $id, kind: REJECTION, text: \"Please look again.\") { id } }", new { id = appealed.Id() }, parentC);
        Assert.True(filed["errors"] is null, filed.Pretty());

        var otherSchool = Tiny.Data.Schools.First(s => s.ParticipatesInEnrollment && s.DistrictCode != district).Code;
        var otherDistrict = Tiny.Data.Districts.First(d => d.Code != district).Code;
        foreach (var (user, role, d, s) in new[] { ("idor-school", Roles.SchoolAdmin, (string?)null, (string?)otherSchool), ("idor-district", Roles.DistrictOfficer, otherDistrict, null) })
        {
            await MinistryDataAsync(client, "mutation($u: String!, $r: String!, $d: String, $s: String) { createStaffAccount(userName: $u, displayName: \"IDOR\", role: $r, districtCode: $d, schoolCode: $s) { userName } }",
                new { u = user, r = role, d, s });
        }

        var tokens = new Dictionary<string, string>
        {
            [ParentB] = parentB,
            [OtherSchool] = await StaffTokenAsync(client, "idor-school"),
            [OtherDistrict] = await StaffTokenAsync(client, "idor-district"),
            [Analyst] = await client.LoginAsync("analyst", Tiny.Account(Roles.Analyst).Password),
        };

        var quota = (await MinistryDataAsync(client, "query($s: String) { quotas(schoolCode: $s) { id } }", new { s = school }))!["quotas"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var settlement = Tiny.Data.Schools.First(s => s.Code == school).SettlementCode;
        var rule = (await MinistryDataAsync(client, "mutation($s: String!, $t: String!) { saveMicrodistrictRule(schoolCode: $s, settlementCode: $t, street: \"IDOR street\", houseSet: \"*\") { ruleId } }",
            new { s = school, t = settlement }))!["saveMicrodistrictRule"]!["ruleId"]!.GetValue<string>();
        var change = (await MinistryDataAsync(client, "query($s: String!) { microdistrictHistory(schoolCode: $s) { id } }", new { s = school }))!["microdistrictHistory"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var saved = (await MinistryDataAsync(client, "mutation { saveAnalyticsQuery(name: \"idor\", query: \"{ __typename }\") { id } }"))!["saveAnalyticsQuery"]!["id"]!.GetValue<string>();
        var messages = (await MinistryDataAsync(client, "query($id: ID!) { notifications(applicationId: $id) { id } }", new { id = application.Id() }))!["notifications"]!.AsArray();
        var appeal = filed["data"]!["fileAppeal"]!["id"]!.GetValue<string>();

        var ids = new Ids(application.Id(), appealed.Id(), appeal, quota, rule, change, saved, school, otherSchool,
            messages.Count > 0 ? messages[0]!["id"]!.GetValue<string>() : null);
        return (ids, tokens, owner);
    }

    /// <summary>The ministry resets the new account's password; the one-time password signs in (API and admin form).</summary>
    private static async Task<string> StaffTokenAsync(HttpClient client, string userName)
    {
        var ministry = await MinistryAsync(client);
        var (_, reset) = await client.PostAsync("mutation($u: String!) { resetPassword(userName: $u) { oneTimePassword } }", new { u = userName }, ministry);
        var password = reset["data"]!["resetPassword"]!["oneTimePassword"]!.GetValue<string>();
        Passwords[userName] = password;
        return await client.LoginAsync(userName, password);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Passwords = new(StringComparer.Ordinal);
}

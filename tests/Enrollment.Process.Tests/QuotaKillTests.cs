using System.Text.Json.Nodes;
using Enrollment.Host.Tests;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Process.Tests;

/// <summary>SIGKILL during a quota approval: the change requests are approved all together or not at all; approving again works.</summary>
public sealed class QuotaKillTests(ITestOutputHelper output)
{
    private const string Quotas = "query($s: String!) { quotas(schoolCode: $s) { id language classes seats approvedSeats status } }";
    private const string Save = "mutation($s: String!, $l: String!, $c: Int!, $n: Int!, $r: String) { saveQuota(schoolCode: $s, language: $l, classes: $c, seats: $n, reason: $r) { id status } }";
    private const string Approve = "mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids, acknowledgeClassSizeWarning: true) { id status approvedSeats } }";

    [Fact]
    public async Task Killed_during_a_quota_approval_the_change_requests_are_approved_all_or_nothing()
    {
        var random = new KillRestartTests(output).Seeded();
        await using var env = new HostEnvironment(output, ApplicationsFactory.StageOneNoon);
        var host = await env.StartAsync();
        var (schoolCode, schoolToken, officerToken) = await SignInAsync(host.Client);
        var before = (await QuotasAsync(host.Client, schoolCode, schoolToken)).Where(q => q.Status == "APPROVED").ToList();
        Assert.NotEmpty(before);
        foreach (var q in before)
        {
            var (_, saved) = await host.Client.PostAsync(Save, new { s = schoolCode, l = q.Language, c = q.Classes, n = q.Seats + 1, r = "One more seat (reliability test)" }, schoolToken);
            Assert.True(saved["errors"] is null, saved.ToJsonString());
            Assert.Equal("CHANGE_REQUESTED", saved["data"]!["saveQuota"]!["status"]!.GetValue<string>());
        }

        var ids = before.Select(q => q.Id).ToArray();
        var approving = host.Client.PostAsync(Approve, new { ids }, officerToken);
        await Task.Delay(random.Next(0, 150));
        host.Kill();
        var answer = await AllocationKillTests.AnswerOrNothing(approving);
        output.WriteLine($"approval answered: {answer?.ToJsonString() ?? "nothing"}");

        var restarted = await env.StartAsync();
        (schoolCode, schoolToken, officerToken) = await SignInAsync(restarted.Client);
        var after = (await QuotasAsync(restarted.Client, schoolCode, schoolToken)).Where(q => ids.Contains(q.Id)).ToList();
        var approved = after.All(q => q.Status == "APPROVED" && q.ApprovedSeats == before.Single(b => b.Id == q.Id).Seats + 1);
        var untouched = after.All(q => q.Status == "CHANGE_REQUESTED" && q.ApprovedSeats == before.Single(b => b.Id == q.Id).ApprovedSeats);
        Assert.True(approved || untouched, "half-approved: " + string.Join("; ", after));
        if (answer?["data"]?["approveQuotas"] is not null)
        {
            Assert.True(approved, "an acknowledged approval was lost");
        }

        if (untouched)
        {
            var (_, again) = await restarted.Client.PostAsync(Approve, new { ids }, officerToken);
            Assert.True(again["errors"] is null, again.ToJsonString());
            Assert.All(again["data"]!["approveQuotas"]!.AsArray(), q => Assert.Equal("APPROVED", q!["status"]!.GetValue<string>()));
        }

        KillRestartTests.AssertIntact(env);
    }

    private sealed record QuotaRow(string Id, string Language, int Classes, int Seats, int ApprovedSeats, string Status);

    private static async Task<(string School, string SchoolToken, string OfficerToken)> SignInAsync(HttpClient client)
    {
        var officer = Tiny.Account("DistrictOfficer");
        var school = Tiny.Data.Accounts.First(a => a.Role == "SchoolAdmin"
            && Tiny.Data.Schools.Single(s => s.Code == a.SchoolCode).DistrictCode == officer.DistrictCode);
        return (school.SchoolCode!, await client.LoginAsync(school.UserName, school.Password), await client.LoginAsync(officer.UserName, officer.Password));
    }

    private static async Task<List<QuotaRow>> QuotasAsync(HttpClient client, string school, string token)
    {
        var (_, body) = await client.PostAsync(Quotas, new { s = school }, token);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return [.. body["data"]!["quotas"]!.AsArray().Select(q => new QuotaRow(Text(q, "id"), Text(q, "language"), Int(q, "classes"), Int(q, "seats"),
            Int(q, "approvedSeats"), Text(q, "status")))];
    }

    private static string Text(JsonNode? node, string name) => node![name]!.GetValue<string>();

    private static int Int(JsonNode? node, string name) => node![name]!.GetValue<int>();
}

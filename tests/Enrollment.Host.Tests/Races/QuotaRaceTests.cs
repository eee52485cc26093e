using System.Text.Json.Nodes;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Tests.GraphQL;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Races;

/// <summary>A host on Stage One of the demo campaign (change requests open), its clock moved by the test.</summary>
public sealed class QuotaRaceFactory : EnrollmentFactory
{
    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 4, 2, 6, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AccessTokenLifetime", "400.00:00:00");
        builder.ConfigureTestServices(s => s.AddSingleton<IClock>(Clock));
    }
}

/// <summary>
/// A district's approval racing the school's edit (a new change request) of the same quota, a hundred times. The quota
/// carries an optimistic concurrency token: exactly the operations that answered successfully are in the history, the
/// loser gets CONCURRENCY_CONFLICT (or QUOTA_NOT_PENDING when the approval came second), and an approved quota always has
/// the seats that were approved — an edit is never silently swallowed by an approval.
/// </summary>
public sealed class QuotaRaceTests(QuotaRaceFactory factory, ITestOutputHelper output) : IClassFixture<QuotaRaceFactory>
{
    private const int Rounds = 100;

    private const string Save = """
        mutation($s: String!, $l: String!, $c: Int!, $n: Int!, $r: String) { saveQuota(schoolCode: $s, language: $l, classes: $c, seats: $n, reason: $r) { id status seats } }
        """;

    private const string Approve = "mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids, acknowledgeClassSizeWarning: true) { id status approvedSeats } }";

    [Fact]
    public async Task Approval_racing_an_edit_never_loses_the_edit_or_approves_unseen_numbers()
    {
        using var client = factory.CreateClient();
        var ministry = Tiny.Account(Roles.MinistryAdmin);
        var token = await client.LoginAsync(ministry.UserName, ministry.Password);
        var (_, list) = await client.PostAsync("{ quotas(status: APPROVED) { id schoolCode language classes seats } }", bearer: token);
        var quota = list["data"]!["quotas"]![0]!;
        var (id, school, language, classes) = (quota["id"]!.GetValue<string>(), quota["schoolCode"]!.GetValue<string>(),
            quota["language"]!.GetValue<string>(), quota["classes"]!.GetValue<int>());

        var failures = new List<string>();
        var (approvals, edits, conflicts) = (0, 0, 0);
        for (var round = 0; round < Rounds; round++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(10));
            var (_, opened) = await client.PostAsync(Save, new { s = school, l = language, c = classes, n = 20 + (round % 7), r = "race " + round }, token);
            Assert.True(opened["errors"] is null, opened.Pretty());
            var edited = 40 + (round % 5);
            var (approval, edit) = await RaceKit.TogetherAsync(
                RaceKit.Ask(client, Approve, new { ids = new[] { id } }, token),
                RaceKit.Ask(client, Save, new { s = school, l = language, c = classes, n = edited, r = "edit " + round }, token));
            failures.AddRange(new[] { approval, edit }.Select(RaceKit.Problem).OfType<string>().Select(p => $"round {round}: {p}"));
            approvals += RaceKit.Succeeded(approval) ? 1 : 0;
            edits += RaceKit.Succeeded(edit) ? 1 : 0;
            conflicts += new[] { approval, edit }.Count(b => b.ErrorCode() == "CONCURRENCY_CONFLICT");

            var state = await StateAsync(client, token, id);
            if (state["status"]!.GetValue<string>() == "APPROVED" && state["seats"]!.GetValue<int>() != state["approvedSeats"]!.GetValue<int>())
            {
                failures.Add($"round {round}: approved with seats {state["seats"]} but approvedSeats {state["approvedSeats"]}");
            }

            if (RaceKit.Succeeded(edit) && state["seats"]!.GetValue<int>() != edited)
            {
                failures.Add($"round {round}: the edit to {edited} answered OK but the quota has {state["seats"]} seats");
            }
        }

        var (_, history) = await client.PostAsync("query($id: ID!) { quotaHistory(quotaId: $id) { action newStatus newSeats } }", new { id }, token);
        var entries = history["data"]!["quotaHistory"]!.AsArray();
        var approveEntries = entries.Count(e => e!["action"]!.GetValue<string>() == "Approve");
        var editEntries = entries.Count(e => e!["action"]!.GetValue<string>() == "RequestChange");
        output.WriteLine($"{Rounds} rounds: {approvals} approvals, {edits} edits won, {conflicts} conflicts");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(approvals, approveEntries);
        Assert.Equal(Rounds + edits, editEntries); // every round opens one change request, plus the edits that won
        var final = await StateAsync(client, token, id);
        var last = entries.Last()!;
        Assert.Equal(final["status"]!.GetValue<string>(), last["newStatus"]!.GetValue<string>());
        Assert.Equal(final["seats"]!.GetValue<int>(), last["newSeats"]!.GetValue<int>());
    }

    private static async Task<JsonNode> StateAsync(HttpClient client, string token, string id)
    {
        var (_, body) = await client.PostAsync("{ quotas { id status seats approvedSeats } }", bearer: token);
        return body["data"]!["quotas"]!.AsArray().First(q => q!["id"]!.GetValue<string>() == id)!;
    }
}

using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Races;

/// <summary>
/// A school enrolling a child (the enrollment order, <c>enrollChildren</c>) while the parent cancels the same Confirmed
/// application (<c>cancelApplication</c>), through GraphQL on the real host with every module. Each round takes a fresh
/// Confirmed application (the families apply again each cycle; an allocation run makes the offers; the parents confirm),
/// fires both mutations together and checks: exactly one wins; the loser gets a typed error (CONCURRENT_CHANGE,
/// NOT_ENROLLABLE or WITHDRAWAL_ONLY_BY_SCHOOL); the status is the winner's; the history gained exactly the winner's
/// transition; the offer in Allocation is Enrolled or Released accordingly and the program's held/enrolled seats
/// (Allocation/Quotas programs and Reporting's open data) moved by exactly that; the audit gained exactly the winner's write
/// of the application (and of its offer), nothing of the loser. Enrolled children are withdrawn on paper afterwards so
/// the family can apply again next cycle; a used-up cancellation limit is topped up by the ministry.
/// Rounds: 100, or RACE_ROUNDS.
/// </summary>
public sealed class EnrollCancelRaceTests(RaceSeasonFactory factory, ITestOutputHelper output) : IClassFixture<RaceSeasonFactory>
{
    private const int FamilyCount = 40;

    private const string Enroll =
        "mutation($s: String!, $ids: [ID!]!) { enrollChildren(schoolCode: $s, orderNumber: \"R-1\", orderDate: \"2026-04-06\", applicationIds: $ids) { id status } }";

    private const string Cancel = "mutation($id: ID!) { cancelApplication(applicationId: $id, reason: \"race\") { id status } }";

    private static readonly string[] EnrollLoserCodes = ["CONCURRENT_CHANGE", "NOT_ENROLLABLE"];
    private static readonly string[] CancelLoserCodes = ["CONCURRENT_CHANGE", "WITHDRAWAL_ONLY_BY_SCHOOL"];

    [Fact]
    public async Task Enrollment_racing_the_parents_cancellation_has_one_winner_and_consistent_seats_history_and_audit()
    {
        using var client = factory.CreateClient();
        var rounds = RaceSeason.Rounds(100);
        var ministry = await client.MinistryAsync();
        var families = Families.Eligible.Take(FamilyCount).ToList();
        var (tokens, programs) = await client.SignUpAllAsync(families);

        var failures = new List<string>();
        var (done, enrolledWins, cancelWins) = (0, 0, 0);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (done < rounds && failures.Count < 10)
        {
            var ids = new Dictionary<Family, string>();
            foreach (var family in families.Take(rounds - done))
            {
                ids[family] = await client.ApplyAsync(tokens[family], family, programs[family]);
            }

            var run = (await client.OkAsync(ministry, RaceSeason.Run))["runAllocation"]!["run"]!;
            Assert.Equal("Completed", run["status"]!.GetValue<string>());
            foreach (var (family, id) in ids)
            {
                var confirmed = (await client.PostAsync("mutation($id: ID!) { confirmOffer(applicationId: $id) { status offerSchoolCode offerLanguage } }", new { id }, tokens[family])).Body;
                if (confirmed["errors"] is not null)
                {
                    failures.Add($"{family.ChildPin}: not confirmable after the run: {confirmed.Pretty()}");
                    continue;
                }

                var offer = confirmed["data"]!["confirmOffer"]!;
                var program = $"{offer["offerSchoolCode"]!.GetValue<string>()}/{offer["offerLanguage"]!.GetValue<string>()}";
                var school = offer["offerSchoolCode"]!.GetValue<string>();
                var round = done++;
                var problem = await RaceAsync(client, ministry, tokens[family], id, school, program);
                if (problem.Problem is not null)
                {
                    failures.Add($"round {round} ({family.ChildPin}): {problem.Problem}");
                }

                if (problem.Enrolled)
                {
                    enrolledWins++;
                    await client.OkAsync(ministry, "mutation($id: ID!) { recordWithdrawal(applicationId: $id, note: \"race round\") { status } }", new { id });
                }
                else
                {
                    cancelWins++;
                    var left = (await client.OkAsync(tokens[family], "query($id: ID!) { application(id: $id) { cancellations { remaining } } }", new { id }))
                        ["application"]!["cancellations"]!["remaining"]!.GetValue<int>();
                    if (left == 0)
                    {
                        await client.OkAsync(ministry, "mutation($id: ID!) { grantExtraCancellation(applicationId: $id, reason: \"race test\") { remaining } }", new { id });
                    }
                }
            }
        }

        output.WriteLine($"{done} rounds in {started.Elapsed.TotalSeconds:F1} s: enrollment won {enrolledWins}, cancellation won {cancelWins}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(done >= rounds, $"only {done} rounds ran");
    }

    private static async Task<(bool Enrolled, string? Problem)> RaceAsync(HttpClient client, string ministry, string parent, string id, string school, string program)
    {
        var seatsBefore = (await client.SeatsAsync([school]))[program];
        var historyBefore = await HistoryAsync(client, parent, id);
        var mark = await client.AuditMarkAsync(ministry);

        var (enroll, cancel) = await RaceKit.TogetherAsync(
            RaceKit.Ask(client, Enroll, new { s = school, ids = new[] { id } }, ministry),
            RaceKit.Ask(client, Cancel, new { id }, parent));

        var enrolled = enroll["errors"] is null;
        var cancelled = cancel["errors"] is null;
        if (enrolled == cancelled)
        {
            return (enrolled, $"{(enrolled ? "both" : "neither")} won: {enroll.Pretty()} / {cancel.Pretty()}");
        }

        var loser = enrolled ? cancel : enroll;
        if (!(enrolled ? CancelLoserCodes : EnrollLoserCodes).Contains(loser.ErrorCode()))
        {
            return (enrolled, $"the loser's answer is not a typed race error: {loser.Pretty()}");
        }

        var expected = enrolled ? "ENROLLED" : "CANCELLED";
        var application = (await client.OkAsync(parent, "query($id: ID!) { application(id: $id) { status } explanation(applicationId: $id) { offer { status } } }", new { id }));
        var status = application["application"]!["status"]!.GetValue<string>();
        if (status != expected)
        {
            return (enrolled, $"{expected[..^2].ToLowerInvariant()} won but the status is {status}");
        }

        var offerStatus = application["explanation"]?["offer"]?["status"]?.GetValue<string>();
        if (offerStatus != (enrolled ? "ENROLLED" : "RELEASED"))
        {
            return (enrolled, $"{status}, but Allocation's offer is {offerStatus ?? "missing"}");
        }

        var history = await HistoryAsync(client, parent, id);
        var added = history.Skip(historyBefore.Count).ToList();
        if (added.Count != 1 || added[0] != "CONFIRMED→" + expected || !history.Take(historyBefore.Count).SequenceEqual(historyBefore))
        {
            return (enrolled, $"history gained [{string.Join(", ", added)}], expected only CONFIRMED→{expected}");
        }

        var seatsAfter = (await client.SeatsAsync([school]))[program];
        var expectedSeats = (seatsBefore.Approved, seatsBefore.Enrolled + (enrolled ? 1 : 0), seatsBefore.Held - 1, seatsBefore.Free + (enrolled ? 0 : 1));
        if (seatsAfter != expectedSeats)
        {
            return (enrolled, $"{status}: seats {seatsBefore} → {seatsAfter}, expected {expectedSeats}");
        }

        var open = (await client.OpenDataAsync(school))[program];
        if (open != (seatsAfter.Held, seatsAfter.Enrolled, seatsAfter.Free))
        {
            return (enrolled, $"{status}: Reporting's open data {open} disagrees with the programs' seats {seatsAfter}");
        }

        var audit = await client.AuditSinceAsync(ministry, mark);
        var applicationWrites = audit.Where(e => e["entity"]!.GetValue<string>() == "Application").ToList();
        var offerWrites = audit.Where(e => e["entity"]!.GetValue<string>() == "Offer").ToList();
        var allowanceWrites = audit.Count(e => e["entity"]!.GetValue<string>() == "CancellationAllowance");
        if (applicationWrites.Count != 1 || applicationWrites[0]["entityKey"]!.GetValue<string>() != id
            || applicationWrites[0]["afterJson"]?.GetValue<string>()?.Contains(enrolled ? "\"EnrollmentOrderNumber\":\"R-1\"" : "\"ActiveKey\":null", StringComparison.Ordinal) != true)
        {
            return (enrolled, $"{status}: audit of the application: {string.Join(" | ", applicationWrites.Select(e => e.ToJsonString()))}");
        }

        if (offerWrites.Count != 1 || allowanceWrites != (enrolled ? 0 : 1))
        {
            return (enrolled, $"{status}: {offerWrites.Count} audit entries of the offer, {allowanceWrites} of the cancellation allowance: "
                + string.Join(" | ", audit.Select(e => $"{e["module"]}/{e["entity"]}/{e["action"]}")));
        }

        return (enrolled, null);
    }

    private static async Task<List<string>> HistoryAsync(HttpClient client, string parent, string id) =>
        [.. (await client.OkAsync(parent, "query($id: ID!) { application(id: $id) { history { from to } } }", new { id }))["application"]!["history"]!.AsArray()
            .Select(h => $"{h!["from"]}→{h["to"]}")];
}

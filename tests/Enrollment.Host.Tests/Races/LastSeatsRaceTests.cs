using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Races;

/// <summary>The real host in late enrollment (20 August 2026): late arrivals take free seats first-come.</summary>
public sealed class LateSeatsRaceFactory() : RaceSeasonFactory(new DateTimeOffset(2026, 8, 20, 6, 0, 0, TimeSpan.Zero));

/// <summary>
/// Many families taking the last free seats of one program at the same moment. <c>confirmOffer</c> never competes for a
/// seat: the allocation run already holds it for the application (Offered and Confirmed count alike; the confirmation is a
/// conditional update of that offer), so the paths that do take a seat first-come are raced here: late arrivals without
/// an application (<c>enrollLateArrival</c>) after the main registration closed. Each round the ministry sets the
/// program's approved seats to enrolled + K (a change request, approved), then N &gt; K enrollments of different children
/// fire at once. After every round: exactly min(N, K) won, every other one got NO_FREE_SEATS, enrolled never exceeds the
/// approved seats (Allocation/Quotas programs and Reporting's open data), and each child has at most one active
/// application. The winners are withdrawn on paper so the children can arrive again next round.
/// Rounds: 40 of 8 children (320 enrollments), or RACE_ROUNDS rounds.
/// </summary>
public sealed class LastSeatsRaceTests(LateSeatsRaceFactory factory, ITestOutputHelper output) : IClassFixture<LateSeatsRaceFactory>
{
    private const int Children = 8;

    private const string EnrollLate = """
        mutation($c: String!, $s: String!, $l: String!, $n: String!) {
          enrollLateArrival(childPin: $c, schoolCode: $s, language: $l, writtenApplicationNumber: $n, writtenApplicationDate: "2026-08-19") { id status }
        }
        """;

    [Fact]
    public async Task Late_arrivals_racing_for_the_last_seats_never_overbook_and_losers_get_NO_FREE_SEATS()
    {
        using var client = factory.CreateClient();
        var rounds = RaceSeason.Rounds(40);
        var ministry = await client.MinistryAsync();
        var school = Tiny.Account("SchoolAdmin").SchoolCode!;
        var quota = (await client.OkAsync(ministry, "query($s: String) { quotas(schoolCode: $s, status: APPROVED) { id schoolCode language classes } }", new { s = school }))
            ["quotas"]!.AsArray().First()!;
        var language = quota["language"]!.GetValue<string>();
        var classes = quota["classes"]!.GetValue<int>();
        var program = $"{school}/{language}";
        var children = await LateArrivalsAsync(client, ministry, school, language, classes);
        Assert.Equal(Children, children.Count);

        var failures = new List<string>();
        var (won, refused) = (0, 0);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < rounds && failures.Count < 10; round++)
        {
            var free = 1 + (round % 4); // K = 1..4 seats left for 8 children
            var enrolledBefore = (await client.SeatsAsync([school]))[program].Enrolled;
            await SetSeatsAsync(client, ministry, school, language, classes, enrolledBefore + free);

            var answers = await RaceSeason.AllTogetherAsync(children.Select((child, i) =>
                RaceKit.Ask(client, EnrollLate, new { c = child, s = school, l = language, n = $"R{round}-{i}" }, ministry)));
            var winners = answers.Where(RaceKit.Succeeded).Select(a => a["data"]!["enrollLateArrival"]!["id"]!.GetValue<string>()).ToList();
            won += winners.Count;
            refused += answers.Count(a => a.ErrorCode() == "NO_FREE_SEATS");
            if (winners.Count != Math.Min(free, Children))
            {
                failures.Add($"round {round}: {winners.Count} late arrivals enrolled for {free} free seat(s)");
            }

            failures.AddRange(answers.Where(a => !RaceKit.Succeeded(a) && a.ErrorCode() != "NO_FREE_SEATS").Select(a => $"round {round}: unexpected answer {a.Pretty()}"));
            var seats = (await client.SeatsAsync([school]))[program];
            if (seats.Enrolled + seats.Held > seats.Approved || seats.Enrolled != enrolledBefore + winners.Count)
            {
                failures.Add($"round {round}: overbooked or miscounted: {seats} after {winners.Count} enrollments from {enrolledBefore}");
            }

            var open = (await client.OpenDataAsync(school))[program];
            if (open.Enrolled != seats.Enrolled || open.Free != seats.Free)
            {
                failures.Add($"round {round}: Reporting's open data {open} disagrees with the programs' seats {seats}");
            }

            var active = await ActiveApplicationsAsync(client, ministry, school);
            failures.AddRange(active.Where(g => g.Value > 1).Select(g => $"round {round}: child {g.Key} has {g.Value} active applications"));
            foreach (var id in winners)
            {
                await client.OkAsync(ministry, "mutation($id: ID!) { recordWithdrawal(applicationId: $id, note: \"race round\") { status } }", new { id });
            }
        }

        output.WriteLine($"{rounds} rounds of {Children} children in {started.Elapsed.TotalSeconds:F1} s: {won} enrolled, {refused} NO_FREE_SEATS");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Late arrivals only ever are Enrolled (then Withdrawn): a child counted twice here has two active applications.</summary>
    private static async Task<Dictionary<string, int>> ActiveApplicationsAsync(HttpClient client, string ministry, string school)
    {
        var nodes = (await client.OkAsync(ministry, "query($s: String) { applications(schoolCode: $s, status: ENROLLED, first: 200) { nodes { childPin } } }", new { s = school }))
            ["applications"]!["nodes"]!.AsArray();
        return nodes.GroupBy(n => n!["childPin"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
    }

    private async Task SetSeatsAsync(HttpClient client, string ministry, string school, string language, int classes, int seats)
    {
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        var saved = (await client.OkAsync(ministry, "mutation($s: String!, $l: String!, $c: Int!, $n: Int!) { saveQuota(schoolCode: $s, language: $l, classes: $c, seats: $n, reason: \"race\") { id } }",
            new { s = school, l = language, c = classes, n = seats }))["saveQuota"]!["id"]!.GetValue<string>();
        await client.OkAsync(ministry, "mutation($ids: [ID!]!) { approveQuotas(quotaIds: $ids, acknowledgeClassSizeWarning: true) { id } }", new { ids = new[] { saved } });
    }

    /// <summary>Children of the Tiny dataset the school can enroll as late arrivals (tried one by one with room to spare, then withdrawn).</summary>
    private async Task<List<string>> LateArrivalsAsync(HttpClient client, string ministry, string school, string language, int classes)
    {
        var program = $"{school}/{language}";
        await SetSeatsAsync(client, ministry, school, language, classes, (await client.SeatsAsync([school]))[program].Enrolled + Children + 5);
        var result = new List<string>();
        foreach (var family in Families.Eligible)
        {
            var (_, body) = await client.PostAsync(EnrollLate, new { c = family.ChildPin, s = school, l = language, n = "probe" }, ministry);
            if (body["errors"] is null)
            {
                result.Add(family.ChildPin);
                await client.OkAsync(ministry, "mutation($id: ID!) { recordWithdrawal(applicationId: $id, note: \"probe\") { status } }",
                    new { id = body["data"]!["enrollLateArrival"]!["id"]!.GetValue<string>() });
            }

            if (result.Count == Children)
            {
                break;
            }
        }

        return result;
    }
}

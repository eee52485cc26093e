using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Races;

/// <summary>
/// Parents confirming their offers while an allocation run is triggered at the same moment. A confirmation does not
/// take a seat (the run's offer holds it; Offered and Confirmed count alike) and the run never takes a held seat away, so
/// every confirmation succeeds whatever the interleaving, the run commits (or retries on its epoch fence) and afterwards:
/// every confirmed application is Confirmed in Registry with its offer Confirmed in Allocation, no program is
/// overbooked (enrolled + held ≤ approved), and held offers equal the Offered/Confirmed applications. The applications
/// are rejected afterwards so the families apply again next round. Rounds: 10 of 6 parents, or RACE_ROUNDS.
/// </summary>
public sealed class ConfirmDuringRunRaceTests(RaceSeasonFactory factory, ITestOutputHelper output) : IClassFixture<RaceSeasonFactory>
{
    private const int Parents = 6;

    [Fact]
    public async Task Confirmations_racing_a_run_all_keep_their_seat_and_nothing_is_overbooked()
    {
        using var client = factory.CreateClient();
        var rounds = RaceSeason.Rounds(10);
        var ministry = await client.MinistryAsync();
        var families = Families.Eligible.Take(Parents).ToList();
        var (tokens, programs) = await client.SignUpAllAsync(families);

        var failures = new List<string>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < rounds && failures.Count < 10; round++)
        {
            var ids = new Dictionary<Family, string>();
            foreach (var family in families)
            {
                ids[family] = await client.ApplyAsync(tokens[family], family, programs[family]);
            }

            await client.OkAsync(ministry, RaceSeason.Run);
            var answers = await RaceSeason.AllTogetherAsync(families
                .Select(f => RaceKit.Ask(client, "mutation($id: ID!) { confirmOffer(applicationId: $id) { status } }", new { id = ids[f] }, tokens[f]))
                .Append(RaceKit.Ask(client, RaceSeason.Run, new { }, ministry)));
            failures.AddRange(answers.Take(Parents).Where(a => !RaceKit.Succeeded(a)).Select(a => $"round {round}: a confirmation failed: {a.Pretty()}"));
            var run = answers[^1];
            if (!RaceKit.Succeeded(run) && run.ErrorCode() is not ("ALLOCATION_RUN_CONFLICT" or "ALLOCATION_RUN_IN_PROGRESS"))
            {
                failures.Add($"round {round}: the run failed untyped: {run.Pretty()}");
            }

            foreach (var (family, id) in ids)
            {
                var state = await client.OkAsync(tokens[family], "query($id: ID!) { application(id: $id) { status } explanation(applicationId: $id) { offer { status } } }", new { id });
                if (state["application"]!["status"]!.GetValue<string>() != "CONFIRMED" || state["explanation"]?["offer"]?["status"]?.GetValue<string>() != "CONFIRMED")
                {
                    failures.Add($"round {round}: {family.ChildPin} is not confirmed in both modules: {state.Pretty()}");
                }
            }

            var seats = await client.SeatsAsync();
            failures.AddRange(seats.Where(s => s.Value.Enrolled + s.Value.Held > s.Value.Approved).Select(s => $"round {round}: {s.Key} overbooked {s.Value}"));
            var holding = await client.HoldingApplicationsAsync(ministry);

            if (seats.Values.Sum(s => s.Held) != holding)
            {
                failures.Add($"round {round}: {seats.Values.Sum(s => s.Held)} held offers but {holding} applications Offered/Confirmed");
            }

            foreach (var id in ids.Values)
            {
                await client.OkAsync(ministry, "mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"DUPLICATE_APPLICATION\") { status } }", new { id });
            }
        }

        output.WriteLine($"{rounds} rounds of {Parents} confirmations and a run in {started.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}

using System.Text.Json.Nodes;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Jobs;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Races;

/// <summary>
/// Two allocation runs triggered at the same moment on one host (SQLite): the ministry's <c>runAllocation</c> twice
/// (even rounds), or the ministry's mutation and the scheduled job's entry (<c>RunScheduledAllocation</c>, which waits
/// for the lock instead of refusing; odd rounds). Each round one new application is waiting for a seat. After every
/// round: each trigger either committed a run or was refused with ALLOCATION_RUN_IN_PROGRESS; the committed runs made
/// exactly one new offer between them (the second one found nothing to do); the application has exactly one offer; and,
/// over the whole campaign, the held offers of the programs equal the applications in Offered/Confirmed (no duplicate,
/// no orphan). The application is then rejected (DUPLICATE_APPLICATION) so the family applies again next round.
/// Rounds: 30 (60 triggers), or RACE_ROUNDS.
/// </summary>
public sealed class TwoRunsRaceTests(RaceSeasonFactory factory, ITestOutputHelper output) : IClassFixture<RaceSeasonFactory>
{
    [Fact]
    public async Task Two_runs_triggered_together_commit_once_and_never_duplicate_an_offer()
    {
        using var client = factory.CreateClient();
        var rounds = RaceSeason.Rounds(30);
        var ministry = await client.MinistryAsync();
        var families = Families.Eligible.Take(10).ToList();
        Assert.NotEmpty(families);
        var (tokens, programs) = await client.SignUpAllAsync(families);

        var failures = new List<string>();
        var (refused, both) = (0, 0);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < rounds && failures.Count < 10; round++)
        {
            var family = families[round % families.Count];
            var id = await client.ApplyAsync(tokens[family], family, programs[family]);
            var (a, b) = await RaceKit.TogetherAsync(
                RaceKit.Ask(client, RaceSeason.Run, new { }, ministry),
                round % 2 == 0 ? RaceKit.Ask(client, RaceSeason.Run, new { }, ministry) : ScheduledRunAsync);
            var answers = new[] { a, b };
            var committed = answers.Where(RaceKit.Succeeded).Select(x => x["data"]?["runAllocation"]?["run"] ?? x["data"]!["scheduled"]!).ToList();
            refused += answers.Count(x => x.ErrorCode() == "ALLOCATION_RUN_IN_PROGRESS");
            both += committed.Count == 2 ? 1 : 0;
            failures.AddRange(answers.Where(x => !RaceKit.Succeeded(x) && x.ErrorCode() != "ALLOCATION_RUN_IN_PROGRESS")
                .Select(x => $"round {round}: unexpected answer {x.Pretty()}"));
            if (committed.Count == 0 || committed.Any(r => r["status"]!.GetValue<string>() != "Completed"))
            {
                failures.Add($"round {round}: no committed run: {a.Pretty()} / {b.Pretty()}");
            }

            var offers = committed.Sum(r => r["offers"]!.GetValue<int>());
            if (offers != 1)
            {
                failures.Add($"round {round}: the runs made {offers} offers for one waiting application");
            }

            var offer = (await client.OkAsync(tokens[family], "query($id: ID!) { application(id: $id) { status } explanation(applicationId: $id) { offer { status } } }", new { id }));
            if (offer["application"]!["status"]!.GetValue<string>() != "OFFERED" || offer["explanation"]?["offer"]?["status"]?.GetValue<string>() != "OFFERED")
            {
                failures.Add($"round {round}: the application is not offered once: {offer.Pretty()}");
            }

            var held = (await client.SeatsAsync()).Values.Sum(s => s.Held);
            var holding = await client.HoldingApplicationsAsync(ministry);
            if (held != holding)
            {
                failures.Add($"round {round}: {held} held offers but {holding} applications Offered/Confirmed");
            }

            await client.OkAsync(ministry, "mutation($id: ID!) { rejectApplication(applicationId: $id, reasonCode: \"DUPLICATE_APPLICATION\", note: \"race round\") { status } }", new { id });
        }

        output.WriteLine($"{rounds} rounds in {started.Elapsed.TotalSeconds:F1} s: {refused} refused ALLOCATION_RUN_IN_PROGRESS, {both} rounds where both committed one after the other");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The scheduled run's job entry (what Hangfire's <c>allocation:nightly</c> sends), answered like a GraphQL body.</summary>
    private async Task<JsonNode> ScheduledRunAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        try
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunScheduledAllocation(RunTriggers.Nightly));
            return outcome is null
                ? JsonNode.Parse("""{ "errors": [ { "message": "skipped", "extensions": { "code": "SKIPPED" } } ] }""")!
                : new JsonObject { ["data"] = new JsonObject { ["scheduled"] = new JsonObject { ["status"] = outcome.Status, ["offers"] = outcome.Offers } } };
        }
        catch (Enrollment.BuildingBlocks.Errors.RuleViolation e)
        {
            return new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = e.Message, ["extensions"] = new JsonObject { ["code"] = e.Code } }) };
        }
    }
}

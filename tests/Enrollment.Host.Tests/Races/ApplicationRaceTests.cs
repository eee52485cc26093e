using System.Text.Json.Nodes;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Host.Tests.Registry;
using Xunit.Abstractions;

namespace Enrollment.Host.Tests.Races;

/// <summary>
/// A parent double-clicking: two drafts for the same child at once, then two submits for the same child at once, for every
/// eligible family of the Tiny dataset. Afterwards the child has exactly one active application, both answers are either
/// that application or a typed refusal, and its history is one consistent path (draft → submitted, no duplicate step).
/// </summary>
public sealed class ApplicationRaceTests(ApplicationsFactory factory, ITestOutputHelper output) : IClassFixture<ApplicationsFactory>
{
    private const int MaxFamilies = 60;

    [Fact]
    public async Task Two_drafts_and_two_submits_for_the_same_child_leave_one_active_application()
    {
        using var client = factory.CreateClient();
        var families = Families.Eligible.Take(MaxFamilies).ToList();
        Assert.True(families.Count >= 10, $"only {families.Count} eligible families in the Tiny dataset");
        var failures = new List<string>();
        var races = 0;
        foreach (var family in families)
        {
            var token = await client.SignUpAsync(family);
            const string draft = "mutation($c: String!) { createDraft(childPin: $c) { id status residentSchoolCodes } }";
            var (d1, d2) = await RaceKit.TogetherAsync(
                RaceKit.Ask(client, draft, new { c = family.ChildPin }, token),
                RaceKit.Ask(client, draft, new { c = family.ChildPin }, token));
            races++;
            failures.AddRange(new[] { d1, d2 }.Select(RaceKit.Problem).OfType<string>().Select(p => $"{family.ChildPin} draft: {p}"));
            var drafts = new[] { d1, d2 }.Where(RaceKit.Succeeded).Select(b => b["data"]!["createDraft"]!).ToList();
            if (drafts.Count == 0)
            {
                failures.Add($"{family.ChildPin}: neither draft request succeeded");
                continue;
            }

            if (drafts.Select(a => a.Id()).Distinct().Count() > 1)
            {
                failures.Add($"{family.ChildPin}: two different drafts {string.Join(", ", drafts.Select(a => a.Id()))}");
            }

            var resident = drafts[0]["residentSchoolCodes"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            var programs = await client.ProgramsAsync(resident);
            if (programs.Count == 0)
            {
                continue;
            }

            var (s1, s2) = await RaceKit.TogetherAsync(
                RaceKit.Ask(client, Families.Submit, Families.SubmitInput(family, [programs[0]], key: "a-" + family.ChildPin), token),
                RaceKit.Ask(client, Families.Submit, Families.SubmitInput(family, [programs[0]], key: "b-" + family.ChildPin), token));
            races++;
            failures.AddRange(new[] { s1, s2 }.Select(RaceKit.Problem).OfType<string>().Select(p => $"{family.ChildPin} submit: {p}"));
            if (!RaceKit.Succeeded(s1) && !RaceKit.Succeeded(s2))
            {
                failures.Add($"{family.ChildPin}: neither submit succeeded: {s1.Pretty()} / {s2.Pretty()}");
            }

            var (_, mine) = await client.PostAsync($"{{ myApplications {{ {Families.Fields} }} }}", bearer: token);
            var active = mine["data"]!["myApplications"]!.AsArray()
                .Where(a => a!["childPin"]!.GetValue<string>() == family.ChildPin && a["status"]!.GetValue<string>() is not ("CANCELLED" or "REJECTED" or "WITHDRAWN" or "EXPIRED"))
                .ToList();
            if (active.Count != 1)
            {
                failures.Add($"{family.ChildPin}: {active.Count} active applications");
                continue;
            }

            var history = active[0]!["history"]!.AsArray().Select(h => $"{h!["from"]}→{h["to"]}").ToList();
            if (history.Count != history.Distinct().Count())
            {
                failures.Add($"{family.ChildPin}: a step repeats in the history {string.Join(", ", history)}");
            }

            var status = active[0]!["status"]!.GetValue<string>();
            if (history.Count == 0 || !history[^1].EndsWith(status, StringComparison.Ordinal))
            {
                failures.Add($"{family.ChildPin}: status {status} but history ends {history.LastOrDefault()}");
            }
        }

        output.WriteLine($"{races} races over {families.Count} families");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}

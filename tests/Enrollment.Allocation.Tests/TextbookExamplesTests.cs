using Enrollment.Allocation.Engine;
using static Enrollment.Allocation.Tests.Build;

namespace Enrollment.Allocation.Tests;

/// <summary>Small instances with answers worked out by hand from the textbook algorithm.</summary>
public sealed class TextbookExamplesTests
{
    [Fact]
    public void Gale_Shapley_cyclic_example_gives_every_proposer_its_first_choice()
    {
        // Gale & Shapley (1962), example 1: each man's first choice ranks him last, yet the
        // proposer-optimal stable matching gives every proposer his first choice.
        //        A     B     C      (proposer's rank, program's rank)
        // α    1,3   2,2   3,1
        // β    3,1   1,3   2,2
        // γ    2,2   3,1   1,3
        var instance = Instance(
            [Program("A", 1), Program("B", 1), Program("C", 1)],
            [
                Student("alpha", 0, ("A", 2), ("B", 1), ("C", 0)),
                Student("beta", 0, ("B", 2), ("C", 1), ("A", 0)),
                Student("gamma", 0, ("C", 2), ("A", 1), ("B", 0)),
            ]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(
            new Dictionary<string, string?> { ["alpha"] = "A", ["beta"] = "B", ["gamma"] = "C" },
            Assignments(result));
        Assert.Empty(StabilityChecker.FindBlockingPairs(instance, result));
    }

    [Fact]
    public void Gale_Shapley_cyclic_example_with_sides_swapped_gives_the_other_stable_matching()
    {
        // The same market with the women proposing: each woman gets her first choice instead.
        var instance = Instance(
            [Program("alpha", 1), Program("beta", 1), Program("gamma", 1)],
            [
                Student("A", 0, ("beta", 2), ("gamma", 1), ("alpha", 0)),
                Student("B", 0, ("gamma", 2), ("alpha", 1), ("beta", 0)),
                Student("C", 0, ("alpha", 2), ("beta", 1), ("gamma", 0)),
            ]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(
            new Dictionary<string, string?> { ["A"] = "beta", ["B"] = "gamma", ["C"] = "alpha" },
            Assignments(result));
    }

    [Fact]
    public void School_choice_example_where_stability_costs_efficiency_matches_the_literature()
    {
        // The classic three-student example (Abdulkadiroğlu & Sönmez 2003, Roth 1982):
        //   i1: s2 > s1 > s3    i2: s1 > s2 > s3    i3: s1 > s2 > s3
        //   s1: i1 > i3 > i2    s2: i2 > i1 > i3    s3: i2 > i1 > i3, one seat each.
        // DA: i3 beats i2 at s1; i2 beats i1 at s2; i1 beats i3 at s1; i3 ends at s3.
        // Stable result i1–s1, i2–s2, i3–s3, although i1 and i2 would both rather swap.
        var instance = Instance(
            [Program("s1", 1), Program("s2", 1), Program("s3", 1)],
            [
                Student("i1", 0, ("s2", 1), ("s1", 0), ("s3", 1)),
                Student("i2", 0, ("s1", 2), ("s2", 0), ("s3", 0)),
                Student("i3", 0, ("s1", 1), ("s2", 2), ("s3", 2)),
            ]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(
            new Dictionary<string, string?> { ["i1"] = "s1", ["i2"] = "s2", ["i3"] = "s3" },
            Assignments(result));
        Assert.Empty(StabilityChecker.FindBlockingPairs(instance, result));
    }

    [Fact]
    public void Rejection_chain_moves_seats_across_programs_until_nobody_is_displaced()
    {
        // A has 2 seats, B has 1.
        //   s1: A (class 2, tb 5), B (class 1)     s2: A (class 1, tb 9)
        //   s3: B (class 2, tb 7), A (class 1)     s4: A (class 0, tb 100)
        // Round 1: A keeps s4, s2 and rejects s1; B keeps s3.
        // s1 → B displaces s3 (class 1 beats 2); s3 → A displaces s2 (same class 1, tb 7 < 9);
        // s2 has no choice left.
        var instance = Instance(
            [Program("A", 2), Program("B", 1)],
            [
                Student("s1", 5, ("A", 2), ("B", 1)),
                Student("s2", 9, ("A", 1)),
                Student("s3", 7, ("B", 2), ("A", 1)),
                Student("s4", 100, ("A", 0)),
            ]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(
            new Dictionary<string, string?> { ["s1"] = "B", ["s2"] = null, ["s3"] = "A", ["s4"] = "A" },
            Assignments(result));
        Assert.Equal(new AdmissionKey(1, 7), result.ProgramSummaries.Single(p => p.ProgramId == "A").Cutoff);
        Assert.Equal(ChoiceOutcome.NotAdmitted, Choice(result, "s2", "A").Outcome);
        Assert.Equal(1, Choice(result, "s2", "A").WaitlistPosition);
    }

    [Fact]
    public void Single_choice_admits_by_class_then_tiebreak_up_to_capacity()
    {
        var random = new SplitMix64(7);
        var students = Enumerable.Range(0, 200)
            .Select(k => Student($"c{k:D3}", random.Next(50), ("P", random.Next(4) switch { 3 => (int?)null, var c => c })))
            .ToList();
        var instance = Instance([Program("P", 37)], students);

        var result = DeferredAcceptance.Run(instance);

        var expected = students
            .OrderBy(s => s.Priorities.GetValueOrDefault("P", PriorityClasses.Others))
            .ThenBy(s => s.Tiebreak)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Take(37)
            .Select(s => s.Id)
            .ToHashSet();
        Assert.Equal(expected, result.Assignments.Where(a => a.Value == "P").Select(a => a.Key).ToHashSet());
    }

    [Fact]
    public void Exact_ties_of_class_and_tiebreak_are_broken_by_application_id_ordinal()
    {
        var instance = Instance(
            [Program("P", 1)],
            [Student("b", 3, ("P", 1)), Student("B", 3, ("P", 1)), Student("a", 3, ("P", 1))]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("P", result.Assignments["B"]); // 'B' (0x42) < 'a' (0x61) < 'b'
        Assert.Equal(1, Choice(result, "a", "P").WaitlistPosition);
        Assert.Equal(2, Choice(result, "b", "P").WaitlistPosition);
    }

    [Fact]
    public void Missing_priority_entry_counts_as_class_two()
    {
        var instance = Instance(
            [Program("P", 1)],
            [Student("x", 1, ("P", null)), Student("y", 2, ("P", 1))]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("P", result.Assignments["y"]);
        Assert.Equal(PriorityClasses.Others, Choice(result, "x", "P").PriorityClass);
    }

    [Fact]
    public void Student_without_choices_stays_unassigned_and_zero_capacity_programs_admit_nobody()
    {
        var instance = Instance(
            [Program("P", 0)],
            [Student("x", 1), Student("y", 1, ("P", 0))]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Null(result.Assignments["x"]);
        Assert.Null(result.Assignments["y"]);
        var choice = Choice(result, "y", "P");
        Assert.Equal(ChoiceOutcome.NotAdmitted, choice.Outcome);
        Assert.Null(choice.Cutoff);
        Assert.Equal(1, choice.WaitlistPosition);
    }
}

using Enrollment.Allocation.Engine;
using static Enrollment.Allocation.Tests.Build;

namespace Enrollment.Allocation.Tests;

public sealed class HoldsTests
{
    [Fact]
    public void Holder_never_loses_held_seat_to_higher_priority_applicants()
    {
        var instance = Instance(
            [Program("P", 1)],
            [Student("holder", long.MaxValue, ("P", 2)), Student("priority", 0, ("P", 0))],
            Holds(("holder", "P")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("P", result.Assignments["holder"]);
        Assert.Null(result.Assignments["priority"]);
        var held = Choice(result, "holder", "P");
        Assert.Equal(ChoiceOutcome.Held, held.Outcome);
        Assert.Equal(PriorityClasses.Hold, held.PriorityClass);
        Assert.Equal(new AdmissionKey(PriorityClasses.Hold, long.MaxValue), Choice(result, "priority", "P").Cutoff);
    }

    [Fact]
    public void Holder_moves_up_and_the_released_seat_is_reused_in_the_same_run()
    {
        var instance = Instance(
            [Program("A", 1), Program("B", 1)],
            [Student("h", 10, ("A", 2), ("B", 2)), Student("w", 1, ("B", 2))],
            Holds(("h", "B")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("A", result.Assignments["h"]);
        Assert.Equal("B", result.Assignments["w"]);
        var explanation = result.Explanations.Single(e => e.StudentId == "h");
        Assert.Equal("B", explanation.HeldProgramId);
        Assert.Equal([ChoiceOutcome.Admitted, ChoiceOutcome.NotConsidered], explanation.Choices.Select(c => c.Outcome));
    }

    [Fact]
    public void Holder_that_cannot_move_up_keeps_its_seat_and_is_waitlisted_above()
    {
        var instance = Instance(
            [Program("A", 1), Program("B", 1)],
            [Student("h", 10, ("A", 2), ("B", 2)), Student("a", 1, ("A", 1))],
            Holds(("h", "B")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("B", result.Assignments["h"]);
        Assert.Equal(ChoiceOutcome.NotAdmitted, Choice(result, "h", "A").Outcome);
        Assert.Equal(ChoiceOutcome.Held, Choice(result, "h", "B").Outcome);
    }

    [Fact]
    public void Holder_does_not_compete_for_choices_ranked_below_the_held_one()
    {
        var instance = Instance(
            [Program("A", 1), Program("B", 1)],
            [Student("h", 0, ("A", 0), ("B", 0)), Student("b", 9, ("B", 2))],
            Holds(("h", "A")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("A", result.Assignments["h"]);
        Assert.Equal("B", result.Assignments["b"]);
        Assert.Equal(ChoiceOutcome.NotConsidered, Choice(result, "h", "B").Outcome);
    }

    [Fact]
    public void Held_program_missing_from_the_choices_is_kept_as_the_last_choice()
    {
        var instance = Instance(
            [Program("A", 1), Program("H", 1)],
            [Student("h", 5, ("A", 2)), Student("a", 1, ("A", 2))],
            Holds(("h", "H")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("H", result.Assignments["h"]);
        var explanation = result.Explanations.Single(e => e.StudentId == "h");
        Assert.Equal(2, explanation.Choices.Count);
        var last = explanation.Choices[1];
        Assert.True(last.FromHold);
        Assert.Equal((2, "H", ChoiceOutcome.Held), (last.Rank, last.ProgramId, last.Outcome));
        Assert.Empty(StabilityChecker.FindFeasibilityViolations(instance, result));
    }

    [Fact]
    public void Program_full_of_holders_rejects_everyone_else()
    {
        var instance = Instance(
            [Program("P", 2)],
            [Student("h1", 50, ("P", 2)), Student("h2", 60, ("P", 2)), Student("x", 0, ("P", 0))],
            Holds(("h1", "P"), ("h2", "P")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(["P", "P", null], result.Assignments.Select(a => a.Value));
        Assert.Equal(new AdmissionKey(PriorityClasses.Hold, 60), result.ProgramSummaries[0].Cutoff);
    }

    [Fact]
    public void More_holders_than_capacity_is_rejected_and_reported()
    {
        var instance = Instance(
            [Program("P", 1)],
            [Student("h1", 1, ("P", 2)), Student("h2", 2, ("P", 2))],
            Holds(("h1", "P"), ("h2", "P")));

        var error = Assert.Throws<InvalidAllocationInstanceException>(() => DeferredAcceptance.Run(instance));

        Assert.Contains("program 'P' has 2 holders but capacity 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_holders_chain_lets_each_released_seat_go_to_the_next_in_line()
    {
        // h1 holds B and wants A (free); h2 holds C and wants B; w wants C only.
        var instance = Instance(
            [Program("A", 1), Program("B", 1), Program("C", 1)],
            [
                Student("h1", 3, ("A", 2), ("B", 2)),
                Student("h2", 2, ("B", 2), ("C", 2)),
                Student("w", 1, ("C", 2)),
            ],
            Holds(("h1", "B"), ("h2", "C")));

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(
            new Dictionary<string, string?> { ["h1"] = "A", ["h2"] = "B", ["w"] = "C" },
            Assignments(result));
        Assert.Empty(StabilityChecker.FindBlockingPairs(instance, result));
    }
}

using Enrollment.Allocation.Engine;
using static Enrollment.Allocation.Tests.Build;

namespace Enrollment.Allocation.Tests;

public sealed class ExplanationTests
{
    [Fact]
    public void Admitted_choice_reports_class_and_rank_among_admitted()
    {
        var instance = Instance(
            [Program("P", 3)],
            [Student("a", 9, ("P", 2)), Student("b", 5, ("P", 1)), Student("c", 1, ("P", 2)), Student("d", 0, ("P", 2))]);

        var result = DeferredAcceptance.Run(instance);

        // Order at P: b (1,5), d (2,0), c (2,1) | a (2,9) rejected.
        Assert.Equal((ChoiceOutcome.Admitted, 1, 1), Summary(Choice(result, "b", "P")));
        Assert.Equal((ChoiceOutcome.Admitted, 2, 2), Summary(Choice(result, "d", "P")));
        Assert.Equal((ChoiceOutcome.Admitted, 2, 3), Summary(Choice(result, "c", "P")));
        var rejected = Choice(result, "a", "P");
        Assert.Equal(ChoiceOutcome.NotAdmitted, rejected.Outcome);
        Assert.Equal(new AdmissionKey(2, 1), rejected.Cutoff);
        Assert.Equal(1, rejected.WaitlistPosition);
        Assert.Equal(new ProgramSummary("P", 3, 3, new AdmissionKey(2, 1)), result.ProgramSummaries[0]);

        static (ChoiceOutcome, int, int?) Summary(ChoiceExplanation c) => (c.Outcome, c.PriorityClass, c.AdmittedRank);
    }

    [Fact]
    public void Choices_below_the_assigned_one_are_not_considered_and_above_it_not_admitted()
    {
        var instance = Instance(
            [Program("A", 1), Program("B", 1), Program("C", 1)],
            [Student("x", 5, ("A", 2), ("B", 2), ("C", 2)), Student("a", 1, ("A", 1))]);

        var result = DeferredAcceptance.Run(instance);

        var choices = result.Explanations.Single(e => e.StudentId == "x").Choices;
        Assert.Equal([1, 2, 3], choices.Select(c => c.Rank));
        Assert.Equal([ChoiceOutcome.NotAdmitted, ChoiceOutcome.Admitted, ChoiceOutcome.NotConsidered], choices.Select(c => c.Outcome));
    }

    [Fact]
    public void Program_with_free_seats_has_no_cutoff()
    {
        var instance = Instance([Program("P", 5)], [Student("x", 1, ("P", 2))]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal(new ProgramSummary("P", 5, 1, null), result.ProgramSummaries[0]);
    }

    [Fact]
    public void Waitlist_positions_count_everyone_the_program_rejected_in_priority_order()
    {
        var instance = Instance(
            [Program("P", 1), Program("Q", 10)],
            [
                Student("w", 0, ("P", 0)),
                Student("r3", 1, ("P", 2), ("Q", 2)),
                Student("r1", 9, ("P", 1), ("Q", 2)),
                Student("r2", 0, ("P", 2)),
            ]);

        var result = DeferredAcceptance.Run(instance);

        // Rejected by P: r1 (1,9), r2 (2,0), r3 (2,1): positions 1, 2, 3 — whether or not they got a later choice.
        Assert.Equal(1, Choice(result, "r1", "P").WaitlistPosition);
        Assert.Equal(2, Choice(result, "r2", "P").WaitlistPosition);
        Assert.Equal(3, Choice(result, "r3", "P").WaitlistPosition);
    }

    [Fact]
    public void Explanations_are_consistent_on_random_instances()
    {
        for (ulong seed = 1; seed <= 300; seed++)
        {
            var instance = RandomInstances.Create(seed);
            var result = DeferredAcceptance.Run(instance);
            var students = instance.Students.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var holds = instance.Holds ?? new Dictionary<string, string>();

            (int, long, string) KeyAt(string student, string program) =>
                (holds.GetValueOrDefault(student) == program ? PriorityClasses.Hold : students[student].Priorities.GetValueOrDefault(program, PriorityClasses.Others),
                 students[student].Tiebreak,
                 student);

            var admitted = new Dictionary<string, List<(int, long, string)>>(StringComparer.Ordinal);
            var rejected = new Dictionary<string, List<(int, long, string)>>(StringComparer.Ordinal);
            foreach (var explanation in result.Explanations)
            {
                Assert.Equal(result.Assignments[explanation.StudentId], explanation.AssignedProgramId);
                var outcomes = explanation.Choices.Select(c => c.Outcome).ToList();
                var got = outcomes.FindIndex(o => o is ChoiceOutcome.Admitted or ChoiceOutcome.Held);
                if (got < 0)
                {
                    Assert.Null(explanation.AssignedProgramId);
                }
                else
                {
                    Assert.Equal(explanation.Choices[got].ProgramId, explanation.AssignedProgramId);
                    Assert.Equal(explanation.HeldProgramId == explanation.AssignedProgramId, outcomes[got] == ChoiceOutcome.Held);
                }

                var firstNotConsidered = outcomes.IndexOf(ChoiceOutcome.NotConsidered);
                for (var r = 0; r < outcomes.Count; r++)
                {
                    var choice = explanation.Choices[r];
                    var key = KeyAt(explanation.StudentId, choice.ProgramId);
                    Assert.Equal(key.Item1, choice.PriorityClass);
                    if (got >= 0 && r > got || firstNotConsidered >= 0 && r >= firstNotConsidered)
                    {
                        Assert.Equal(ChoiceOutcome.NotConsidered, choice.Outcome);
                    }
                    else if (r != got)
                    {
                        Assert.Equal(ChoiceOutcome.NotAdmitted, choice.Outcome);
                        rejected.TryAdd(choice.ProgramId, []);
                        rejected[choice.ProgramId].Add(key);

                        // Someone admitted beats the student: the cut-off is better than the student's key.
                        if (choice.Cutoff is { } cutoff)
                        {
                            Assert.True((cutoff.PriorityClass, cutoff.Tiebreak).CompareTo((key.Item1, key.Item2)) <= 0);
                        }
                    }
                    else
                    {
                        admitted.TryAdd(choice.ProgramId, []);
                        admitted[choice.ProgramId].Add(key);
                    }
                }
            }

            foreach (var summary in result.ProgramSummaries)
            {
                var list = admitted.GetValueOrDefault(summary.ProgramId) ?? [];
                Assert.Equal(list.Count, summary.Admitted);
                var sorted = Ordered(list);
                var full = summary.Admitted == summary.Capacity;
                Assert.Equal(full && sorted.Count > 0 ? new AdmissionKey(sorted[^1].Item1, sorted[^1].Item2) : null, summary.Cutoff);
                for (var k = 0; k < sorted.Count; k++)
                {
                    Assert.Equal(k + 1, Choice(result, sorted[k].Item3, summary.ProgramId).AdmittedRank);
                }

                var waitlist = Ordered(rejected.GetValueOrDefault(summary.ProgramId) ?? []);
                if (waitlist.Count > 0)
                {
                    Assert.True(full, $"seed {seed}: {summary.ProgramId} rejected someone with a free seat");
                }

                for (var k = 0; k < waitlist.Count; k++)
                {
                    Assert.Equal(k + 1, Choice(result, waitlist[k].Item3, summary.ProgramId).WaitlistPosition);
                }
            }
        }
    }

    private static List<(int, long, string)> Ordered(List<(int, long, string)> keys) =>
        [.. keys.OrderBy(k => k.Item1).ThenBy(k => k.Item2).ThenBy(k => k.Item3, StringComparer.Ordinal)];
}

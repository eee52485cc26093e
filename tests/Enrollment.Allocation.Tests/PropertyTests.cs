using Enrollment.Allocation.Engine;
using static Enrollment.Allocation.Tests.Build;

namespace Enrollment.Allocation.Tests;

/// <summary>Properties of the mechanism on a few hundred seeded random instances.</summary>
public sealed class PropertyTests
{
    private const int Instances = 400;

    [Fact]
    public void Result_has_no_blocking_pairs_and_is_feasible()
    {
        for (ulong seed = 1; seed <= Instances; seed++)
        {
            var instance = RandomInstances.Create(seed);
            var result = DeferredAcceptance.Run(instance);

            Assert.True(StabilityChecker.FindBlockingPairs(instance, result).Count == 0, $"seed {seed}: blocking pairs");
            Assert.True(StabilityChecker.FindFeasibilityViolations(instance, result).Count == 0, $"seed {seed}: infeasible");
        }
    }

    [Fact]
    public void Same_instance_in_any_order_gives_byte_identical_output()
    {
        for (ulong seed = 1; seed <= Instances; seed++)
        {
            var instance = RandomInstances.Create(seed);
            var expected = DeferredAcceptance.Run(instance);
            var shuffled = DeferredAcceptance.Run(RandomInstances.Shuffled(instance, seed * 31));

            Assert.Equal(AllocationJson.ResultToUtf8(expected), AllocationJson.ResultToUtf8(shuffled));
            Assert.Equal(AllocationJson.ExplanationsToUtf8(expected), AllocationJson.ExplanationsToUtf8(shuffled));
        }
    }

    [Fact]
    public void Holders_are_never_worse_off_and_never_unassigned()
    {
        for (ulong seed = 1; seed <= Instances; seed++)
        {
            var instance = RandomInstances.Create(seed);
            var result = DeferredAcceptance.Run(instance);

            foreach (var (student, held) in instance.Holds!)
            {
                var assigned = result.Assignments[student];
                Assert.NotNull(assigned);
                var choices = instance.Students.Single(s => s.Id == student).Choices.ToList();
                var heldRank = choices.Contains(held) ? choices.IndexOf(held) : choices.Count;
                var assignedRank = choices.Contains(assigned) ? choices.IndexOf(assigned) : choices.Count;
                Assert.True(assignedRank <= heldRank, $"seed {seed}: holder {student} moved down");
                Assert.True(assigned == held || assignedRank < heldRank);
            }
        }
    }

    [Fact]
    public void Without_holds_no_stable_matching_gives_any_student_a_better_program()
    {
        var checkedInstances = 0;
        for (ulong seed = 1; seed <= Instances; seed++)
        {
            var instance = RandomInstances.Create(seed, maxPrograms: 3, maxStudents: 5, withHolds: false, maxChoices: 3);
            var result = DeferredAcceptance.Run(instance);
            var stable = AllStableMatchings(instance);

            Assert.Contains(stable, m => m.SequenceEqual(result.Assignments.Select(a => a.Value)));
            foreach (var matching in stable)
            {
                var k = 0;
                foreach (var student in instance.Students.OrderBy(s => s.Id, StringComparer.Ordinal))
                {
                    Assert.True(
                        Rank(student, result.Assignments[student.Id]) <= Rank(student, matching[k]),
                        $"seed {seed}: {student.Id} is better off in another stable matching");
                    k++;
                }
            }

            checkedInstances++;
        }

        Assert.Equal(Instances, checkedInstances);
    }

    [Fact]
    public void Run_is_deterministic_across_repeated_and_parallel_runs()
    {
        var instance = InstanceGenerator.Generate(5_000, 80, "parallel");
        var expected = AllocationJson.ExplanationsToUtf8(DeferredAcceptance.Run(instance));

        var outputs = new byte[4][];
        Parallel.For(0, outputs.Length, k => outputs[k] = AllocationJson.ExplanationsToUtf8(DeferredAcceptance.Run(instance)));

        Assert.All(outputs, output => Assert.Equal(expected, output));
    }

    [Fact]
    public void Generated_instances_are_stable_feasible_and_keep_every_hold()
    {
        foreach (var seed in new[] { "a", "b", "c" })
        {
            var instance = InstanceGenerator.Generate(20_000, 300, seed);
            var result = DeferredAcceptance.Run(instance);

            Assert.NotEmpty(instance.Holds!);
            Assert.Empty(StabilityChecker.FindBlockingPairs(instance, result));
            Assert.Empty(StabilityChecker.FindFeasibilityViolations(instance, result));
        }
    }

    [Fact]
    public void Checker_detects_a_blocking_pair_and_an_overbooked_program()
    {
        var instance = Instance(
            [Program("A", 1), Program("B", 1)],
            [Student("x", 1, ("A", 1), ("B", 2)), Student("y", 2, ("A", 2))]);

        var unstable = ResultOf(new Dictionary<string, string?> { ["x"] = "B", ["y"] = "A" });
        var overbooked = ResultOf(new Dictionary<string, string?> { ["x"] = "A", ["y"] = "A" });
        var wasteful = ResultOf(new Dictionary<string, string?> { ["x"] = "A", ["y"] = null });

        Assert.Equal([new BlockingPair("x", "A")], StabilityChecker.FindBlockingPairs(instance, unstable));
        Assert.Contains("program 'A' admitted 2 over its capacity 1", StabilityChecker.FindFeasibilityViolations(instance, overbooked));
        Assert.Empty(StabilityChecker.FindBlockingPairs(instance, wasteful));
        var noChoice = ResultOf(new Dictionary<string, string?> { ["x"] = "A", ["y"] = "B" });
        Assert.Contains("student 'y' is assigned to 'B', which it did not choose or hold", StabilityChecker.FindFeasibilityViolations(instance, noChoice));
    }

    [Fact]
    public void Checker_treats_holders_as_top_priority_at_their_held_program()
    {
        var instance = Instance(
            [Program("P", 1)],
            [Student("h", 9, ("P", 2)), Student("x", 0, ("P", 0))],
            Holds(("h", "P")));

        Assert.Empty(StabilityChecker.FindBlockingPairs(instance, ResultOf(new Dictionary<string, string?> { ["h"] = "P", ["x"] = null })));
        var lost = ResultOf(new Dictionary<string, string?> { ["h"] = null, ["x"] = "P" });
        Assert.Equal([new BlockingPair("h", "P")], StabilityChecker.FindBlockingPairs(instance, lost));
        Assert.Contains("holder 'h' lost its seat at 'P'", StabilityChecker.FindFeasibilityViolations(instance, lost));
    }

    private static int Rank(StudentPreferences student, string? program) =>
        program is null ? int.MaxValue : student.Choices.ToList().IndexOf(program);

    /// <summary>Every feasible, stable matching, by brute force (students in id order).</summary>
    private static List<string?[]> AllStableMatchings(AllocationInstance instance)
    {
        var students = instance.Students.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var options = students.Select(s => s.Choices.Cast<string?>().Append(null).ToArray()).ToList();
        var stable = new List<string?[]>();
        var current = new string?[students.Count];

        void Enumerate(int k)
        {
            if (k == students.Count)
            {
                var assignments = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < students.Count; i++)
                {
                    assignments[students[i].Id] = current[i];
                }

                var result = ResultOf(assignments);
                if (StabilityChecker.FindFeasibilityViolations(instance, result).Count == 0
                    && StabilityChecker.FindBlockingPairs(instance, result).Count == 0)
                {
                    stable.Add((string?[])current.Clone());
                }

                return;
            }

            foreach (var option in options[k])
            {
                current[k] = option;
                Enumerate(k + 1);
            }
        }

        Enumerate(0);
        return stable;
    }
}

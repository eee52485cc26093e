using Enrollment.Allocation.Engine;
using static Enrollment.Allocation.Tests.Build;

namespace Enrollment.Allocation.Tests;

public sealed class ValidationTests
{
    private static readonly Dictionary<string, AllocationInstance> InvalidInstances = new(StringComparer.Ordinal)
    {
        {
            "student 'x' chooses unknown program 'Q'",
            Instance([Program("P", 1)], [Student("x", 1, ("Q", 1))])
        },
        {
            "student 'x' holds a seat at unknown program 'Q'",
            Instance([Program("P", 1)], [Student("x", 1, ("P", 1))], Holds(("x", "Q")))
        },
        {
            "a hold names unknown student 'nobody'",
            Instance([Program("P", 1)], [Student("x", 1, ("P", 1))], Holds(("nobody", "P")))
        },
        {
            "student 'x' has a priority at unknown program 'Q'",
            Instance([Program("P", 1)], [new StudentPreferences("x", ["P"], new Dictionary<string, int> { ["Q"] = 0 }, 1)])
        },
        {
            "duplicate program id 'P'",
            Instance([Program("P", 1), Program("P", 2)], [])
        },
        {
            "duplicate student id 'x'",
            Instance([Program("P", 1)], [Student("x", 1, ("P", 1)), Student("x", 2, ("P", 1))])
        },
        {
            "student 'x' chooses program 'P' twice",
            Instance([Program("P", 1)], [new StudentPreferences("x", ["P", "P"], new Dictionary<string, int>(), 1)])
        },
        {
            "program 'P' has a negative capacity (-1)",
            Instance([Program("P", -1)], [])
        },
        {
            "student 'x' has a negative priority class (-1) at program 'P'",
            Instance([Program("P", 1)], [Student("x", 1, ("P", -1))])
        },
        {
            "student 'x' has 6 choices (at most 5)",
            Instance(
                Enumerable.Range(0, 6).Select(k => Program($"P{k}", 1)),
                [Student("x", 1, [.. Enumerable.Range(0, 6).Select(k => ($"P{k}", (int?)null))])])
        },
        {
            "student #1 has no id",
            Instance([Program("P", 1)], [Student("", 1, ("P", 1))])
        },
    };

    public static TheoryData<string> Problems => [.. InvalidInstances.Keys];

    [Theory]
    [MemberData(nameof(Problems))]
    public void Invalid_instance_is_rejected_with_a_clear_message(string problem)
    {
        var instance = InvalidInstances[problem];
        var error = Assert.Throws<InvalidAllocationInstanceException>(() => DeferredAcceptance.Run(instance));

        Assert.Contains(problem, error.Problems);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public void All_problems_are_reported_together()
    {
        var instance = Instance(
            [Program("P", -2)],
            [Student("x", 1, ("Q", null)), Student("y", 1, ("R", null))]);

        var error = Assert.Throws<InvalidAllocationInstanceException>(() => DeferredAcceptance.Run(instance));

        Assert.Equal(3, error.Problems.Count);
        Assert.StartsWith("Invalid allocation instance: 3 problems: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Priority_at_a_known_program_that_was_not_chosen_is_ignored()
    {
        var instance = Instance(
            [Program("P", 1), Program("Q", 1)],
            [new StudentPreferences("x", ["P"], new Dictionary<string, int> { ["Q"] = 0 }, 1)]);

        var result = DeferredAcceptance.Run(instance);

        Assert.Equal("P", result.Assignments["x"]);
    }
}

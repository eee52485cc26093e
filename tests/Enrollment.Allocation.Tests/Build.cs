using Enrollment.Allocation.Engine;

namespace Enrollment.Allocation.Tests;

/// <summary>Terse builders for instances in tests.</summary>
internal static class Build
{
    public static ProgramCapacity Program(string id, int capacity) => new(id, capacity);

    /// <summary>A student with choices best first, each with its class (null = no entry, i.e. class 2).</summary>
    public static StudentPreferences Student(string id, long tiebreak, params (string Program, int? Class)[] choices)
    {
        var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (program, priorityClass) in choices)
        {
            if (priorityClass is { } c)
            {
                priorities[program] = c;
            }
        }

        return new StudentPreferences(id, [.. choices.Select(c => c.Program)], priorities, tiebreak);
    }

    public static AllocationInstance Instance(
        IEnumerable<ProgramCapacity> programs,
        IEnumerable<StudentPreferences> students,
        IReadOnlyDictionary<string, string>? holds = null) =>
        new([.. programs], [.. students], holds);

    public static Dictionary<string, string> Holds(params (string Student, string Program)[] holds) =>
        holds.ToDictionary(h => h.Student, h => h.Program, StringComparer.Ordinal);

    public static Dictionary<string, string?> Assignments(AllocationResult result) =>
        result.Assignments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    public static ChoiceExplanation Choice(AllocationResult result, string student, string program) =>
        result.Explanations.Single(e => e.StudentId == student).Choices.Single(c => c.ProgramId == program);

    /// <summary>A result holding only the assignments (for the checker and brute force).</summary>
    public static AllocationResult ResultOf(IReadOnlyDictionary<string, string?> assignments)
    {
        var keys = assignments.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        return new AllocationResult(new OrderedAssignments(keys, [.. keys.Select(k => assignments[k])]), [], []);
    }
}

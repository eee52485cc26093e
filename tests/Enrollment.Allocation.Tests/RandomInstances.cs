using Enrollment.Allocation.Engine;

namespace Enrollment.Allocation.Tests;

/// <summary>Small random instances from a seeded PRNG: few ids, many exact ties, optional holds.</summary>
internal static class RandomInstances
{
    public static AllocationInstance Create(ulong seed, int maxPrograms = 6, int maxStudents = 14, bool withHolds = true, int maxChoices = 5)
    {
        var random = new SplitMix64(seed);
        var programCount = random.Between(1, maxPrograms);
        var programs = new List<ProgramCapacity>();
        for (var p = 0; p < programCount; p++)
        {
            programs.Add(new ProgramCapacity($"P{p}", random.Between(0, 3)));
        }

        var studentCount = random.Between(1, maxStudents);
        var students = new List<StudentPreferences>();
        for (var s = 0; s < studentCount; s++)
        {
            var choiceCount = random.Between(0, Math.Min(maxChoices, programCount));
            var order = Enumerable.Range(0, programCount).OrderBy(_ => random.NextUInt64()).Take(choiceCount).ToList();
            var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in order)
            {
                var c = random.Next(4); // 3 = no entry (class 2 by default)
                if (c < 3)
                {
                    priorities[$"P{p}"] = c;
                }
            }

            // Tie-breaks from a tiny range so that exact (class, tie-break) ties are common.
            students.Add(new StudentPreferences($"s{s:D2}", [.. order.Select(p => $"P{p}")], priorities, random.Next(4)));
        }

        var holds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (withHolds)
        {
            var free = programs.ToDictionary(p => p.Id, p => p.Capacity, StringComparer.Ordinal);
            foreach (var student in students)
            {
                if (random.Next(4) != 0)
                {
                    continue;
                }

                // Usually one of the choices, sometimes any program.
                var program = student.Choices.Count > 0 && random.Next(5) != 0
                    ? student.Choices[random.Next(student.Choices.Count)]
                    : programs[random.Next(programs.Count)].Id;
                if (free[program] > 0)
                {
                    free[program]--;
                    holds[student.Id] = program;
                }
            }
        }

        return new AllocationInstance(programs, students, holds);
    }

    /// <summary>The same instance with programs, students and holds in a different order.</summary>
    public static AllocationInstance Shuffled(AllocationInstance instance, ulong seed)
    {
        var random = new SplitMix64(seed);
        var programs = instance.Programs.OrderBy(_ => random.NextUInt64()).ToList();
        var students = instance.Students
            .Select(s => new StudentPreferences(
                s.Id,
                s.Choices,
                s.Priorities.OrderBy(_ => random.NextUInt64()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                s.Tiebreak))
            .OrderBy(_ => random.NextUInt64())
            .ToList();
        var holds = instance.Holds?.OrderBy(_ => random.NextUInt64()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new AllocationInstance(programs, students, holds);
    }
}

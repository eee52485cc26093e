namespace Enrollment.Allocation.Engine;

/// <summary>
/// Audits a result against its instance, independently of <see cref="DeferredAcceptance"/>
/// (it reads only the instance and the assignments, with plain dictionaries).
/// </summary>
internal static class StabilityChecker
{
    /// <summary>
    /// Pairs (student s, program p) where s ranks p above its assignment (or is unassigned and chose p)
    /// and p has a free seat or admitted someone worse than s by (class, tie-break, id).
    /// A holder has class <see cref="PriorityClasses.Hold"/> at its held program, which counts as
    /// its last choice when it is not among the choices. Empty means the result is stable.
    /// </summary>
    public static IReadOnlyList<BlockingPair> FindBlockingPairs(AllocationInstance instance, AllocationResult result)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(result);
        var holds = instance.Holds ?? new Dictionary<string, string>();
        var capacity = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var program in instance.Programs)
        {
            capacity[program.Id] = program.Capacity;
        }

        // Per program: how many it admitted and the worst of them.
        var admitted = new Dictionary<string, int>(StringComparer.Ordinal);
        var worst = new Dictionary<string, (int Class, long Tiebreak, string Id)>(StringComparer.Ordinal);
        foreach (var student in instance.Students)
        {
            if (!result.Assignments.TryGetValue(student.Id, out var assigned) || assigned is null)
            {
                continue;
            }

            admitted[assigned] = admitted.GetValueOrDefault(assigned) + 1;
            var key = KeyAt(student, assigned, holds);
            if (!worst.TryGetValue(assigned, out var current) || Compare(key, current) > 0)
            {
                worst[assigned] = key;
            }
        }

        var pairs = new List<BlockingPair>();
        foreach (var student in instance.Students)
        {
            result.Assignments.TryGetValue(student.Id, out var assigned);
            foreach (var program in PreferenceList(student, holds))
            {
                if (program == assigned)
                {
                    break;
                }

                var seats = capacity.GetValueOrDefault(program);
                var taken = admitted.GetValueOrDefault(program);
                if (taken < seats
                    || (taken > 0 && Compare(KeyAt(student, program, holds), worst[program]) < 0))
                {
                    pairs.Add(new BlockingPair(student.Id, program));
                }
            }
        }

        pairs.Sort(static (a, b) =>
        {
            var byStudent = string.CompareOrdinal(a.StudentId, b.StudentId);
            return byStudent != 0 ? byStudent : string.CompareOrdinal(a.ProgramId, b.ProgramId);
        });
        return pairs;
    }

    /// <summary>
    /// Everything that makes a result infeasible: a program over capacity, a student missing or
    /// unknown, an assignment that is neither a choice nor the hold, a holder that lost its seat or
    /// was moved below it. Empty means feasible.
    /// </summary>
    public static IReadOnlyList<string> FindFeasibilityViolations(AllocationInstance instance, AllocationResult result)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(result);
        var holds = instance.Holds ?? new Dictionary<string, string>();
        var violations = new List<string>();
        var capacity = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var program in instance.Programs)
        {
            capacity[program.Id] = program.Capacity;
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        var admitted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var student in instance.Students)
        {
            known.Add(student.Id);
            if (!result.Assignments.TryGetValue(student.Id, out var assigned))
            {
                violations.Add($"student '{student.Id}' is missing from the result");
                continue;
            }

            var preferences = PreferenceList(student, holds);
            var holdsSeat = holds.TryGetValue(student.Id, out var held);
            if (assigned is null)
            {
                if (holdsSeat)
                {
                    violations.Add($"holder '{student.Id}' lost its seat at '{held}'");
                }

                continue;
            }

            admitted[assigned] = admitted.GetValueOrDefault(assigned) + 1;
            var rank = preferences.IndexOf(assigned);
            if (rank < 0)
            {
                violations.Add($"student '{student.Id}' is assigned to '{assigned}', which it did not choose or hold");
            }
            else if (holdsSeat && rank > preferences.IndexOf(held!))
            {
                violations.Add($"holder '{student.Id}' was moved from '{held}' down to '{assigned}'");
            }
        }

        foreach (var (studentId, _) in result.Assignments)
        {
            if (!known.Contains(studentId))
            {
                violations.Add($"the result assigns unknown student '{studentId}'");
            }
        }

        foreach (var (program, count) in admitted)
        {
            if (!capacity.TryGetValue(program, out var seats))
            {
                violations.Add($"unknown program '{program}' admitted {count}");
            }
            else if (count > seats)
            {
                violations.Add($"program '{program}' admitted {count} over its capacity {seats}");
            }
        }

        violations.Sort(StringComparer.Ordinal);
        return violations;
    }

    private static List<string> PreferenceList(StudentPreferences student, IReadOnlyDictionary<string, string> holds)
    {
        var list = new List<string>(student.Choices.Count + 1);
        list.AddRange(student.Choices);
        if (holds.TryGetValue(student.Id, out var held) && !list.Contains(held))
        {
            list.Add(held);
        }

        return list;
    }

    private static (int Class, long Tiebreak, string Id) KeyAt(
        StudentPreferences student, string program, IReadOnlyDictionary<string, string> holds)
    {
        var priorityClass = holds.TryGetValue(student.Id, out var held) && held == program
            ? PriorityClasses.Hold
            : student.Priorities.GetValueOrDefault(program, PriorityClasses.Others);
        return (priorityClass, student.Tiebreak, student.Id);
    }

    private static int Compare((int Class, long Tiebreak, string Id) a, (int Class, long Tiebreak, string Id) b)
    {
        var byClass = a.Class.CompareTo(b.Class);
        if (byClass != 0)
        {
            return byClass;
        }

        var byTiebreak = a.Tiebreak.CompareTo(b.Tiebreak);
        return byTiebreak != 0 ? byTiebreak : string.CompareOrdinal(a.Id, b.Id);
    }
}

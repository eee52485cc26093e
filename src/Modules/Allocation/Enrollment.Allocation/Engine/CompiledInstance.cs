namespace Enrollment.Allocation.Engine;

/// <summary>
/// A validated <see cref="AllocationInstance"/> turned into int-indexed arrays.
/// Programs and students are sorted by id (ordinal), so an index comparison is an id comparison and
/// the input order never matters. Choices are stored flat: student <c>i</c> owns
/// <c>ChoiceProgram[ChoiceStart[i]..ChoiceStart[i + 1]]</c>, best first.
/// The effective preference list of a student is its choices, except that a holder's list ends with
/// its held program (at index <see cref="HeldRank"/>, which is the number of choices when the held
/// program was not chosen): entries below the held program are never proposed to.
/// </summary>
internal sealed class CompiledInstance
{
    private const int MaxReportedProblems = 100;

    private CompiledInstance(
        string[] programIds,
        int[] capacity,
        StudentPreferences[] students,
        int[] choiceStart,
        int[] choiceProgram,
        int[] choiceClass,
        int[] heldProgram,
        int[] heldRank)
    {
        ProgramIds = programIds;
        Capacity = capacity;
        Students = students;
        ChoiceStart = choiceStart;
        ChoiceProgram = choiceProgram;
        ChoiceClass = choiceClass;
        HeldProgram = heldProgram;
        HeldRank = heldRank;
    }

    public string[] ProgramIds { get; }

    public int[] Capacity { get; }

    public StudentPreferences[] Students { get; }

    public int[] ChoiceStart { get; }

    public int[] ChoiceProgram { get; }

    public int[] ChoiceClass { get; }

    /// <summary>Program index held by the student, or -1.</summary>
    public int[] HeldProgram { get; }

    /// <summary>0-based rank of the held program in the effective list, or -1 when nothing is held.</summary>
    public int[] HeldRank { get; }

    public int StudentCount => Students.Length;

    public int ProgramCount => ProgramIds.Length;

    public int ChoiceCount(int student) => ChoiceStart[student + 1] - ChoiceStart[student];

    /// <summary>Length of the effective preference list of <paramref name="student"/>.</summary>
    public int EffectiveLength(int student) =>
        HeldRank[student] >= 0 ? HeldRank[student] + 1 : ChoiceCount(student);

    public int ProgramAt(int student, int rank) =>
        rank == HeldRank[student] ? HeldProgram[student] : ChoiceProgram[ChoiceStart[student] + rank];

    public int ClassAt(int student, int rank) =>
        rank == HeldRank[student] ? PriorityClasses.Hold : ChoiceClass[ChoiceStart[student] + rank];

    public static CompiledInstance Compile(AllocationInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var problems = new List<string>();

        void Problem(string text)
        {
            if (problems.Count < MaxReportedProblems)
            {
                problems.Add(text);
            }
        }

        // Programs, sorted by id.
        var programList = new List<ProgramCapacity>(instance.Programs?.Count ?? 0);
        if (instance.Programs is null)
        {
            Problem("programs are missing");
        }
        else
        {
            for (var k = 0; k < instance.Programs.Count; k++)
            {
                var program = instance.Programs[k];
                if (program is null || string.IsNullOrEmpty(program.Id))
                {
                    Problem($"program #{k + 1} has no id");
                    continue;
                }

                if (program.Capacity < 0)
                {
                    Problem($"program '{program.Id}' has a negative capacity ({program.Capacity})");
                }

                programList.Add(program);
            }
        }

        var programs = programList.ToArray();
        Array.Sort(programs, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var programIndex = new Dictionary<string, int>(programs.Length, StringComparer.Ordinal);
        var programIds = new string[programs.Length];
        var capacity = new int[programs.Length];
        for (var p = 0; p < programs.Length; p++)
        {
            programIds[p] = programs[p].Id;
            capacity[p] = Math.Max(0, programs[p].Capacity);
            if (!programIndex.TryAdd(programs[p].Id, p))
            {
                Problem($"duplicate program id '{programs[p].Id}'");
            }
        }

        // Students, sorted by id.
        var studentList = new List<StudentPreferences>(instance.Students?.Count ?? 0);
        if (instance.Students is null)
        {
            Problem("students are missing");
        }
        else
        {
            for (var k = 0; k < instance.Students.Count; k++)
            {
                var student = instance.Students[k];
                if (student is null || string.IsNullOrEmpty(student.Id))
                {
                    Problem($"student #{k + 1} has no id");
                    continue;
                }

                studentList.Add(student);
            }
        }

        var students = studentList.ToArray();
        Array.Sort(students, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var studentIndex = new Dictionary<string, int>(students.Length, StringComparer.Ordinal);
        for (var i = 0; i < students.Length; i++)
        {
            if (!studentIndex.TryAdd(students[i].Id, i))
            {
                Problem($"duplicate student id '{students[i].Id}'");
            }
        }

        // Choices and priority classes.
        var choiceStart = new int[students.Length + 1];
        for (var i = 0; i < students.Length; i++)
        {
            choiceStart[i + 1] = choiceStart[i] + (students[i].Choices?.Count ?? 0);
        }

        var choiceProgram = new int[choiceStart[students.Length]];
        var choiceClass = new int[choiceProgram.Length];
        var seen = new HashSet<int>();
        for (var i = 0; i < students.Length; i++)
        {
            var student = students[i];
            if (student.Choices is null)
            {
                Problem($"student '{student.Id}' has no choices list");
                continue;
            }

            if (student.Choices.Count > DeferredAcceptance.MaxChoices)
            {
                Problem($"student '{student.Id}' has {student.Choices.Count} choices (at most {DeferredAcceptance.MaxChoices})");
            }

            seen.Clear();
            for (var j = 0; j < student.Choices.Count; j++)
            {
                var choice = student.Choices[j];
                var slot = choiceStart[i] + j;
                if (choice is null || !programIndex.TryGetValue(choice, out var p))
                {
                    Problem($"student '{student.Id}' chooses unknown program '{choice}'");
                    continue;
                }

                if (!seen.Add(p))
                {
                    Problem($"student '{student.Id}' chooses program '{choice}' twice");
                }

                choiceProgram[slot] = p;
                choiceClass[slot] = PriorityClasses.Others;
                if (student.Priorities is not null && student.Priorities.TryGetValue(choice, out var priorityClass))
                {
                    choiceClass[slot] = priorityClass;
                }
            }

            if (student.Priorities is not null)
            {
                foreach (var (programId, priorityClass) in student.Priorities)
                {
                    if (programId is null || !programIndex.ContainsKey(programId))
                    {
                        Problem($"student '{student.Id}' has a priority at unknown program '{programId}'");
                    }
                    else if (priorityClass < 0)
                    {
                        Problem($"student '{student.Id}' has a negative priority class ({priorityClass}) at program '{programId}'");
                    }
                }
            }
        }

        // Holds.
        var heldProgram = new int[students.Length];
        var heldRank = new int[students.Length];
        Array.Fill(heldProgram, -1);
        Array.Fill(heldRank, -1);
        if (instance.Holds is not null)
        {
            var holders = new int[programs.Length];
            foreach (var (studentId, programId) in instance.Holds)
            {
                if (studentId is null || !studentIndex.TryGetValue(studentId, out var i))
                {
                    Problem($"a hold names unknown student '{studentId}'");
                    continue;
                }

                if (programId is null || !programIndex.TryGetValue(programId, out var p))
                {
                    Problem($"student '{studentId}' holds a seat at unknown program '{programId}'");
                    continue;
                }

                heldProgram[i] = p;
                holders[p]++;
                var rank = ChoiceCount(choiceStart, i);
                for (var j = 0; j < ChoiceCount(choiceStart, i); j++)
                {
                    if (choiceProgram[choiceStart[i] + j] == p && students[i].Choices![j] == programId)
                    {
                        rank = j;
                        break;
                    }
                }

                heldRank[i] = rank;
            }

            for (var p = 0; p < programs.Length; p++)
            {
                if (holders[p] > capacity[p])
                {
                    Problem($"program '{programIds[p]}' has {holders[p]} holders but capacity {capacity[p]}");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidAllocationInstanceException(problems);
        }

        return new CompiledInstance(programIds, capacity, students, choiceStart, choiceProgram, choiceClass, heldProgram, heldRank);
    }

    private static int ChoiceCount(int[] choiceStart, int student) => choiceStart[student + 1] - choiceStart[student];
}

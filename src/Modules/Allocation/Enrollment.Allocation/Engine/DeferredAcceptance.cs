namespace Enrollment.Allocation.Engine;

/// <summary>
/// Student-proposing deferred acceptance (Gale–Shapley) with holds.
/// <para>
/// Every application proposes to its choices best first; a program tentatively keeps the best
/// applications by (priority class, tie-break, application id), lower first, up to its capacity, and
/// rejects the rest, who propose to their next choice. Without holds the result is the unique
/// student-optimal stable assignment (priorities are strict after the tie-break and id).
/// </para>
/// <para>
/// A holder (an application that already holds a seat) has class <see cref="PriorityClasses.Hold"/>
/// at its held program and proposes only to the choices ranked above it, then to the held program;
/// since holders never outnumber a program's capacity, a holder never loses its seat, may move up,
/// and a seat it releases is reused in the same run.
/// </para>
/// The run is single-threaded and depends only on the content of the instance, never on its order.
/// </summary>
internal static class DeferredAcceptance
{
    /// <summary>The most ranked choices an application may carry.</summary>
    public const int MaxChoices = 5;

    public static AllocationResult Run(AllocationInstance instance)
    {
        var compiled = CompiledInstance.Compile(instance);
        var state = Propose(compiled);
        return Explain(compiled, state);
    }

    /// <summary>One entry of a program's tentative list: lower key wins.</summary>
    private readonly record struct Entry(int PriorityClass, long Tiebreak, int Student)
    {
        public bool IsBetterThan(Entry other) =>
            PriorityClass != other.PriorityClass ? PriorityClass < other.PriorityClass
            : Tiebreak != other.Tiebreak ? Tiebreak < other.Tiebreak
            : Student < other.Student;

        public static int Compare(Entry a, Entry b) =>
            a.PriorityClass != b.PriorityClass ? a.PriorityClass.CompareTo(b.PriorityClass)
            : a.Tiebreak != b.Tiebreak ? a.Tiebreak.CompareTo(b.Tiebreak)
            : a.Student.CompareTo(b.Student);
    }

    private sealed class State(int[] next, Entry[] heap, int[] heapStart, int[] heapCount)
    {
        /// <summary>Rank (in the effective list) the student holds; = effective length when unassigned.</summary>
        public int[] Next { get; } = next;

        /// <summary>Per-program bounded max-heaps (worst on top), stored back to back.</summary>
        public Entry[] Heap { get; } = heap;

        public int[] HeapStart { get; } = heapStart;

        public int[] HeapCount { get; } = heapCount;
    }

    private static State Propose(CompiledInstance c)
    {
        var n = c.StudentCount;
        var m = c.ProgramCount;

        // A program never holds more than min(capacity, number of applications that list it).
        var demand = new int[m];
        for (var i = 0; i < n; i++)
        {
            var length = c.EffectiveLength(i);
            for (var r = 0; r < length; r++)
            {
                demand[c.ProgramAt(i, r)]++;
            }
        }

        var heapStart = new int[m + 1];
        for (var p = 0; p < m; p++)
        {
            heapStart[p + 1] = heapStart[p] + Math.Min(c.Capacity[p], demand[p]);
        }

        var heap = new Entry[heapStart[m]];
        var heapCount = new int[m];
        var next = new int[n];
        var tiebreak = new long[n];
        for (var i = 0; i < n; i++)
        {
            tiebreak[i] = c.Students[i].Tiebreak;
        }

        for (var first = 0; first < n; first++)
        {
            // Follow the chain: the proposer, then whoever it displaces, until someone settles.
            var i = first;
            while (true)
            {
                var rank = next[i];
                if (rank >= c.EffectiveLength(i))
                {
                    break; // unassigned
                }

                var p = c.ProgramAt(i, rank);
                var entry = new Entry(c.ClassAt(i, rank), tiebreak[i], i);
                var start = heapStart[p];
                var count = heapCount[p];
                if (count < c.Capacity[p])
                {
                    heap[start + count] = entry;
                    heapCount[p] = count + 1;
                    SiftUp(heap, start, count);
                    break;
                }

                if (count > 0 && entry.IsBetterThan(heap[start]))
                {
                    var displaced = heap[start].Student;
                    heap[start] = entry;
                    SiftDown(heap, start, count, 0);
                    i = displaced;
                }

                next[i]++;
            }
        }

        return new State(next, heap, heapStart, heapCount);
    }

    private static void SiftUp(Entry[] heap, int start, int index)
    {
        var item = heap[start + index];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!heap[start + parent].IsBetterThan(item))
            {
                break;
            }

            heap[start + index] = heap[start + parent];
            index = parent;
        }

        heap[start + index] = item;
    }

    private static void SiftDown(Entry[] heap, int start, int count, int index)
    {
        var item = heap[start + index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && heap[start + child].IsBetterThan(heap[start + child + 1]))
            {
                child++;
            }

            if (!item.IsBetterThan(heap[start + child]))
            {
                break;
            }

            heap[start + index] = heap[start + child];
            index = child;
        }

        heap[start + index] = item;
    }

    private static AllocationResult Explain(CompiledInstance c, State state)
    {
        var n = c.StudentCount;
        var m = c.ProgramCount;
        var next = state.Next;

        // Admitted lists in order: rank among admitted, cut-off.
        var admittedRank = new int[n];
        var summaries = new ProgramSummary[m];
        var lastAdmitted = new AdmissionKey?[m];
        for (var p = 0; p < m; p++)
        {
            var admitted = state.Heap.AsSpan(state.HeapStart[p], state.HeapCount[p]);
            admitted.Sort(Entry.Compare);
            for (var k = 0; k < admitted.Length; k++)
            {
                admittedRank[admitted[k].Student] = k + 1;
            }

            if (admitted.Length > 0)
            {
                lastAdmitted[p] = new AdmissionKey(admitted[^1].PriorityClass, admitted[^1].Tiebreak);
            }

            var full = admitted.Length == c.Capacity[p];
            summaries[p] = new ProgramSummary(c.ProgramIds[p], c.Capacity[p], admitted.Length, full ? lastAdmitted[p] : null);
        }

        // Rejections: every effective choice above the one a student ended with was proposed to and
        // rejected. Bucket them per program, order by key, and read off the waitlist positions.
        var rejectedStart = new int[m + 1];
        for (var i = 0; i < n; i++)
        {
            for (var r = 0; r < next[i]; r++)
            {
                rejectedStart[c.ProgramAt(i, r) + 1]++;
            }
        }

        for (var p = 0; p < m; p++)
        {
            rejectedStart[p + 1] += rejectedStart[p];
        }

        var rejected = new Entry[rejectedStart[m]];
        var fill = (int[])rejectedStart.Clone();
        for (var i = 0; i < n; i++)
        {
            for (var r = 0; r < next[i]; r++)
            {
                var p = c.ProgramAt(i, r);
                rejected[fill[p]++] = new Entry(c.ClassAt(i, r), c.Students[i].Tiebreak, i);
            }
        }

        // waitlist[ChoiceStart[i] + r] for rejected choice r of student i (held programs are never rejected).
        var waitlist = new int[c.ChoiceStart[n]];
        for (var p = 0; p < m; p++)
        {
            var span = rejected.AsSpan(rejectedStart[p], rejectedStart[p + 1] - rejectedStart[p]);
            span.Sort(Entry.Compare);
            for (var k = 0; k < span.Length; k++)
            {
                var i = span[k].Student;
                for (var r = 0; r < next[i]; r++)
                {
                    if (c.ProgramAt(i, r) == p)
                    {
                        waitlist[c.ChoiceStart[i] + r] = k + 1;
                        break;
                    }
                }
            }
        }

        var ids = new string[n];
        var assignedIds = new string?[n];
        var explanations = new StudentExplanation[n];
        for (var i = 0; i < n; i++)
        {
            var student = c.Students[i];
            var length = c.EffectiveLength(i);
            var final = next[i];
            var assigned = final < length ? c.ProgramAt(i, final) : -1;
            var heldRank = c.HeldRank[i];
            var choiceCount = c.ChoiceCount(i);
            var entries = new ChoiceExplanation[heldRank == choiceCount ? choiceCount + 1 : choiceCount];
            for (var r = 0; r < entries.Length; r++)
            {
                var p = r < choiceCount ? c.ChoiceProgram[c.ChoiceStart[i] + r] : c.HeldProgram[i];
                var priorityClass = r == heldRank ? PriorityClasses.Hold : c.ChoiceClass[c.ChoiceStart[i] + r];
                var fromHold = r == choiceCount;
                ChoiceExplanation entry;
                if (r < final && r < length)
                {
                    entry = new ChoiceExplanation(r + 1, c.ProgramIds[p], ChoiceOutcome.NotAdmitted, priorityClass, null, lastAdmitted[p], waitlist[c.ChoiceStart[i] + r], fromHold);
                }
                else if (r == final && assigned >= 0)
                {
                    var outcome = r == heldRank ? ChoiceOutcome.Held : ChoiceOutcome.Admitted;
                    entry = new ChoiceExplanation(r + 1, c.ProgramIds[p], outcome, priorityClass, admittedRank[i], null, null, fromHold);
                }
                else
                {
                    entry = new ChoiceExplanation(r + 1, c.ProgramIds[p], ChoiceOutcome.NotConsidered, priorityClass, null, null, null, fromHold);
                }

                entries[r] = entry;
            }

            ids[i] = student.Id;
            assignedIds[i] = assigned >= 0 ? c.ProgramIds[assigned] : null;
            var held = c.HeldProgram[i] >= 0 ? c.ProgramIds[c.HeldProgram[i]] : null;
            explanations[i] = new StudentExplanation(student.Id, assignedIds[i], held, entries);
        }

        return new AllocationResult(new OrderedAssignments(ids, assignedIds), explanations, summaries);
    }
}

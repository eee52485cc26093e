namespace Enrollment.Allocation.Engine;

/// <summary>A program (school × language × grade) and the seats it offers in this allocation run.</summary>
internal sealed record ProgramCapacity(string Id, int Capacity);

/// <summary>
/// One application: ranked choices (best first), the priority class at each chosen program
/// (lower wins; a program without an entry is class <see cref="PriorityClasses.Others"/>)
/// and the tie-break key (lower wins).
/// </summary>
internal sealed record StudentPreferences(
    string Id,
    IReadOnlyList<string> Choices,
    IReadOnlyDictionary<string, int> Priorities,
    long Tiebreak);

/// <summary>
/// The input of one allocation run. <paramref name="Holds"/> maps an application id to the program
/// where it already holds a seat (an offer): that seat is never lost, and the application competes
/// only for choices ranked above it.
/// </summary>
internal sealed record AllocationInstance(
    IReadOnlyList<ProgramCapacity> Programs,
    IReadOnlyList<StudentPreferences> Students,
    IReadOnlyDictionary<string, string>? Holds = null);

/// <summary>Priority classes (lower wins).</summary>
internal static class PriorityClasses
{
    /// <summary>Effective class of a holder at the program it holds: above every real class.</summary>
    public const int Hold = -1;

    /// <summary>A verified priority category.</summary>
    public const int PriorityCategory = 0;

    /// <summary>Registered in the school's micro-district.</summary>
    public const int MicroDistrict = 1;

    /// <summary>Everyone else; also the class of a chosen program missing from <see cref="StudentPreferences.Priorities"/>.</summary>
    public const int Others = 2;
}

/// <summary>The position of an application in a program's order: (class, tie-break), lower wins.</summary>
internal sealed record AdmissionKey(int PriorityClass, long Tiebreak);

internal enum ChoiceOutcome
{
    /// <summary>The application got this program (a new offer or a move up).</summary>
    Admitted,

    /// <summary>The program filled with applications of higher priority: see the cut-off and waitlist position.</summary>
    NotAdmitted,

    /// <summary>Ranked below the program the application got (or below its held seat): never needed.</summary>
    NotConsidered,

    /// <summary>The application kept the seat it already held.</summary>
    Held,
}

/// <summary>
/// Why one choice of one application ended as it did.
/// <paramref name="Rank"/> is the 1-based rank of the choice; a held program that is not among the
/// choices is listed last with <paramref name="FromHold"/> = true and rank = choices + 1.
/// <paramref name="PriorityClass"/> is the application's class at the program
/// (<see cref="PriorityClasses.Hold"/> for its held program).
/// <paramref name="AdmittedRank"/>: 1-based rank among everyone admitted at the program (Admitted, Held).
/// <paramref name="Cutoff"/>: the last admitted (class, tie-break) of the program (NotAdmitted; null when the program has no seats).
/// <paramref name="WaitlistPosition"/>: 1-based position among the applications the program rejected,
/// ordered by (class, tie-break, id) (NotAdmitted).
/// </summary>
internal sealed record ChoiceExplanation(
    int Rank,
    string ProgramId,
    ChoiceOutcome Outcome,
    int PriorityClass,
    int? AdmittedRank,
    AdmissionKey? Cutoff,
    int? WaitlistPosition,
    bool FromHold);

/// <summary>The outcome of one application with one explanation per choice.</summary>
internal sealed record StudentExplanation(
    string StudentId,
    string? AssignedProgramId,
    string? HeldProgramId,
    IReadOnlyList<ChoiceExplanation> Choices);

/// <summary>
/// One program after the run. <paramref name="Cutoff"/> is the last admitted (class, tie-break)
/// when the program is full, null while it still has free seats (everyone who asked got in).
/// </summary>
internal sealed record ProgramSummary(string ProgramId, int Capacity, int Admitted, AdmissionKey? Cutoff);

/// <summary>
/// The result of a run. <paramref name="Assignments"/> enumerates applications by id (ordinal);
/// <paramref name="Explanations"/> is in the same order, <paramref name="ProgramSummaries"/> by program id (ordinal).
/// </summary>
internal sealed record AllocationResult(
    IReadOnlyDictionary<string, string?> Assignments,
    IReadOnlyList<StudentExplanation> Explanations,
    IReadOnlyList<ProgramSummary> ProgramSummaries);

/// <summary>A student and a program that would both rather be matched to each other.</summary>
internal sealed record BlockingPair(string StudentId, string ProgramId);

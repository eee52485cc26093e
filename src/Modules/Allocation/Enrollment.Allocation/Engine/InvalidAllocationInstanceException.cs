namespace Enrollment.Allocation.Engine;

/// <summary>
/// The allocation input is inconsistent (unknown program, duplicate id, too many holders, …).
/// <see cref="Problems"/> lists every problem found; the message is one line naming the first few.
/// </summary>
internal sealed class InvalidAllocationInstanceException : ArgumentException
{
    private const int ProblemsInMessage = 5;

    public InvalidAllocationInstanceException(string problem)
        : this([problem])
    {
    }

    public InvalidAllocationInstanceException(IReadOnlyList<string> problems)
        : base(BuildMessage(problems))
    {
        Problems = problems;
    }

    public InvalidAllocationInstanceException(string problem, Exception innerException)
        : base(BuildMessage([problem]), innerException)
    {
        Problems = [problem];
    }

    public IReadOnlyList<string> Problems { get; } = [];

    private static string BuildMessage(IReadOnlyList<string> problems)
    {
        if (problems.Count == 1)
        {
            return "Invalid allocation instance: " + problems[0];
        }

        var shown = string.Join("; ", problems.Take(ProblemsInMessage));
        var more = problems.Count > ProblemsInMessage ? $"; … and {problems.Count - ProblemsInMessage} more" : string.Empty;
        return $"Invalid allocation instance: {problems.Count} problems: {shown}{more}";
    }
}

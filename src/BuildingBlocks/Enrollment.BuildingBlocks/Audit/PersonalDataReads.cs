using Enrollment.BuildingBlocks.Security;

namespace Enrollment.BuildingBlocks.Audit;

/// <summary>
/// Reads of a child's personal data by staff during one request (docs/security.md, "What is audited"). Read handlers
/// and pages call <see cref="Record"/> with the ids they return; the Host writes <b>one</b> audit entry per request
/// with every read (who, role, scope, request id, entity ids or a list summary) before the response starts. Reads by
/// parents (their own data), anonymous callers and jobs are not recorded.
/// </summary>
public sealed class PersonalDataReads(ICurrentUser user)
{
    /// <summary>At most this many ids per read are kept in the entry; the count is always exact.</summary>
    public const int MaxIdsPerRead = 200;

    private readonly List<PersonalDataRead> _reads = [];
    private readonly Lock _gate = new();

    public bool IsAudited => user.IsAuthenticated && Roles.Staff.Any(user.IsInRole);

    /// <summary>The reads recorded so far (a copy).</summary>
    public IReadOnlyList<PersonalDataRead> Reads
    {
        get
        {
            lock (_gate)
            {
                return [.. _reads];
            }
        }
    }

    /// <summary>
    /// Records that the caller was shown personal data of these entities (<paramref name="what"/>: a short summary,
    /// e.g. "application list, school S1, page 2"). Does nothing for non-staff callers or an empty list.
    /// </summary>
    public void Record(string module, string entity, IEnumerable<string> ids, string? what = null)
    {
        if (!IsAudited)
        {
            return;
        }

        var list = ids.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _reads.Add(new PersonalDataRead(module, entity, what, list.Count, [.. list.Take(MaxIdsPerRead)]));
        }
    }

    /// <summary>Takes the recorded reads out (the Host does this once, when it writes the entry).</summary>
    public IReadOnlyList<PersonalDataRead> Drain()
    {
        lock (_gate)
        {
            var copy = _reads.ToList();
            _reads.Clear();
            return copy;
        }
    }
}

/// <summary>One read: which entities of which module, how many, the first ids, and what was looked at.</summary>
public sealed record PersonalDataRead(string Module, string Entity, string? What, int Count, IReadOnlyList<string> Ids);

using System.Collections.Concurrent;
using Enrollment.Schools.Contracts;
using Mediator;

namespace Enrollment.Reporting.Features.ReadModel;

/// <summary>
/// What the status-change path would otherwise ask for on every event (ADR 0601): the schools' region/district/names
/// (Schools' <c>GetSchoolsByCodes</c>) and which schools already have program rows in the read table. One per host
/// (singleton). Entries live <see cref="Lifetime"/> at most; the school map is also forgotten on
/// <see cref="SchoolListChanged"/> and the program knowledge whenever this host removes program rows (a refresh or a
/// rebuild), so one host never uses a stale school after its change. Another host's change (PostgreSQL, several hosts)
/// is seen after <see cref="Lifetime"/>; the nightly rebuild re-reads everything anyway.
/// </summary>
internal sealed class ReadModelCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (SchoolDto? School, long Until)> _schools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid Campaign, string School), long> _programs = new();

    // A monotonic technical timer (not a domain instant): tests move IClock by days, which must not matter here.
    private static long Now => Environment.TickCount64;

    /// <summary>The schools of <paramref name="codes"/> known and fresh (a code Schools does not know maps to null); the rest in <paramref name="missing"/>.</summary>
    public Dictionary<string, SchoolDto> Schools(IEnumerable<string> codes, out List<string> missing)
    {
        var now = Now;
        var map = new Dictionary<string, SchoolDto>(StringComparer.Ordinal);
        missing = [];
        foreach (var code in codes)
        {
            if (_schools.TryGetValue(code, out var e) && e.Until > now)
            {
                if (e.School is not null)
                {
                    map[code] = e.School;
                }
            }
            else
            {
                missing.Add(code);
            }
        }

        return map;
    }

    /// <summary>Remembers what Schools answered for <paramref name="asked"/> (codes without an answer are remembered as unknown).</summary>
    public void Remember(IEnumerable<string> asked, IReadOnlyDictionary<string, SchoolDto> answered)
    {
        var until = Now + (long)Lifetime.TotalMilliseconds;
        foreach (var code in asked)
        {
            _schools[code] = (answered.GetValueOrDefault(code), until);
        }
    }

    public void ForgetSchools() => _schools.Clear();

    /// <summary>The schools of <paramref name="codes"/> not known to have program rows of the campaign.</summary>
    public List<string> SchoolsWithoutKnownPrograms(Guid campaignId, IEnumerable<string> codes)
    {
        var now = Now;
        return [.. codes.Where(c => !(_programs.TryGetValue((campaignId, c), out var until) && until > now))];
    }

    public void RememberPrograms(Guid campaignId, IEnumerable<string> codes)
    {
        var until = Now + (long)Lifetime.TotalMilliseconds;
        foreach (var code in codes)
        {
            _programs[(campaignId, code)] = until;
        }
    }

    public void ForgetPrograms() => _programs.Clear();
}

/// <summary>A school changed (name, district, region, added or removed): the read model's school map is read afresh.</summary>
internal sealed class WhenSchoolListChangedForgetSchools(ReadModelCache cache) : INotificationHandler<SchoolListChanged>
{
    public ValueTask Handle(SchoolListChanged notification, CancellationToken ct)
    {
        cache.ForgetSchools();
        return ValueTask.CompletedTask;
    }
}

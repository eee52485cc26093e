using System.Globalization;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Engine;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;

namespace Enrollment.Allocation.Features;

/// <summary>One program's numbers going into a run.</summary>
internal sealed class ProgramState(string id, string schoolCode, string language, int grade)
{
    public string Id { get; } = id;
    public string SchoolCode { get; } = schoolCode;
    public string Language { get; } = language;
    public int Grade { get; } = grade;
    public int Approved { get; set; }
    public int Enrolled { get; set; }

    /// <summary>Held by children who cannot move (first choice held, or not in the snapshot).</summary>
    public int HeldFixed { get; set; }

    /// <summary>Held by children who may move up (they are in the instance with a hold here).</summary>
    public int HeldMovable { get; set; }

    /// <summary>approved − enrolled − fixed holds, never below the movable holds (they never lose their seat).</summary>
    public int Capacity => Math.Max(Approved - Enrolled - HeldFixed, HeldMovable);

    public int OccupiedBefore => Enrolled + HeldFixed + HeldMovable;
}

/// <summary>The snapshot of one run: the engine's instance plus what is needed to turn its result into offers.</summary>
internal sealed record PreparedRun(
    AllocationInstance Instance,
    IReadOnlyDictionary<string, ProgramState> Programs,
    IReadOnlyDictionary<Guid, Offer> MovableHolds,
    IReadOnlyDictionary<Guid, ApplicationStatus> Statuses,
    string Seed);

/// <summary>
/// Builds the engine's instance from the Contracts snapshot (docs/adr/0400):
/// programs = approved quotas (+ any program chosen, held or enrolled without one, with 0 approved seats);
/// students = applications Submitted/Waitlisted/Offered/Confirmed with choices, except holders whose held program is
/// their first choice (nothing to move up to) — their seats are subtracted from the capacity instead;
/// tie-break = SubmissionTime (equal-footing window applied per stage opening) or Lottery (published seed).
/// Programs and students are sorted by id, so the instance JSON is canonical.
/// </summary>
internal static class RunInputs
{
    public const string SubmissionTime = "SubmissionTime";
    public const string Lottery = "Lottery";

    private static readonly ApplicationStatus[] Participating =
        [ApplicationStatus.Submitted, ApplicationStatus.Waitlisted, ApplicationStatus.Offered, ApplicationStatus.Confirmed];

    public static string ProgramId(string schoolCode, string language, int grade) =>
        string.Create(CultureInfo.InvariantCulture, $"{schoolCode}:{language}:{grade}");

    public static string StudentId(Guid applicationId) => applicationId.ToString("D");

    public static PreparedRun Build(
        CampaignDto campaign, IReadOnlyList<ProgramDto> quotaPrograms, IReadOnlyList<AllocationApplicationDto> applications,
        IReadOnlyList<Offer> heldOffers)
    {
        var seed = SeedOf(campaign);
        var programs = new Dictionary<string, ProgramState>(StringComparer.Ordinal);

        ProgramState Program(string school, string language, int grade)
        {
            var id = ProgramId(school, language, grade);
            if (!programs.TryGetValue(id, out var state))
            {
                state = new ProgramState(id, school, language, grade);
                programs.Add(id, state);
            }

            return state;
        }

        foreach (var p in quotaPrograms.Where(p => p.CampaignId == campaign.Id))
        {
            Program(p.SchoolCode, p.Language, p.Grade).Approved += p.ApprovedSeats;
        }

        var byApplication = new Dictionary<Guid, AllocationApplicationDto>();
        foreach (var a in applications)
        {
            byApplication[a.ApplicationId] = a;
            if (a.Status == ApplicationStatus.Enrolled && a.EnrolledProgram is { } enrolled)
            {
                Program(enrolled.SchoolCode, enrolled.Language, enrolled.Grade).Enrolled++;
            }
        }

        var holdOf = new Dictionary<Guid, Offer>();
        foreach (var offer in heldOffers.OrderBy(o => o.MadeAt).ThenBy(o => o.Id))
        {
            holdOf[offer.ApplicationId] = offer;
        }

        var students = new List<StudentPreferences>();
        var holds = new Dictionary<string, string>(StringComparer.Ordinal);
        var movable = new Dictionary<Guid, Offer>();
        var statuses = new Dictionary<Guid, ApplicationStatus>();
        foreach (var a in applications.OrderBy(a => a.ApplicationId))
        {
            statuses[a.ApplicationId] = a.Status;
            if (!Participating.Contains(a.Status))
            {
                continue;
            }

            var choices = new List<string>();
            var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in a.Choices.OrderBy(c => c.Rank))
            {
                var program = Program(c.SchoolCode, c.Language, c.Grade);
                if (choices.Count < DeferredAcceptance.MaxChoices && priorities.TryAdd(program.Id, Math.Max(0, c.PriorityClass)))
                {
                    choices.Add(program.Id);
                }
            }

            holdOf.TryGetValue(a.ApplicationId, out var hold);
            if (hold is not null && (choices.Count == 0 || choices[0] == hold.ProgramId))
            {
                continue; // holds its first choice (or has no choices): nothing to move up to; counted as a fixed hold below
            }

            if (choices.Count == 0)
            {
                continue;
            }

            var id = StudentId(a.ApplicationId);
            students.Add(new StudentPreferences(id, choices, priorities, Tiebreak(campaign, seed, a)));
            if (hold is not null)
            {
                holds[id] = hold.ProgramId;
                movable[a.ApplicationId] = hold;
                Program(hold.SchoolCode, hold.Language, hold.Grade).HeldMovable++;
            }
        }

        foreach (var (applicationId, offer) in holdOf)
        {
            if (!movable.ContainsKey(applicationId))
            {
                Program(offer.SchoolCode, offer.Language, offer.Grade).HeldFixed++;
            }
        }

        var programList = programs.Values.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new ProgramCapacity(p.Id, p.Capacity)).ToList();
        students.Sort(static (x, y) => string.CompareOrdinal(x.Id, y.Id));
        var instance = new AllocationInstance(programList, students, holds.Count == 0 ? null : holds);
        return new PreparedRun(instance, programs, movable, statuses, seed);
    }

    /// <summary>The lottery's published seed; for SubmissionTime the campaign id (seeds the same-second tie-break).</summary>
    public static string SeedOf(CampaignDto campaign) => campaign.TieBreak switch
    {
        Lottery => string.IsNullOrWhiteSpace(campaign.LotterySeed)
            ? throw new RuleViolation("LOTTERY_SEED_MISSING", "The campaign uses the lottery tie-break but has no published seed.")
            : campaign.LotterySeed,
        _ => campaign.Id.ToString("D"),
    };

    /// <summary>
    /// Lower wins. Lottery: <see cref="LotteryTiebreak"/> of the published seed and the application id.
    /// SubmissionTime: the submission instant with the equal-footing window applied (submitted within
    /// <c>EqualFootingHours</c> of a stage's opening = submitted at the opening), in whole seconds, shifted left by
    /// 30 bits; the low 30 bits are the top of the lottery number of (campaign id, application id), so children
    /// treated as submitting at the same second are ordered by a fair, re-computable draw rather than by their ids.
    /// </summary>
    public static long Tiebreak(CampaignDto campaign, string seed, AllocationApplicationDto application)
    {
        var lottery = LotteryTiebreak.For(seed, StudentId(application.ApplicationId));
        if (campaign.TieBreak == Lottery)
        {
            return lottery;
        }

        var effective = EffectiveSubmission(campaign, application.SubmittedAt);
        var seconds = Math.Max(0, effective.ToUnixTimeSeconds());
        return (seconds << 30) | (lottery >> 33);
    }

    public static DateTimeOffset EffectiveSubmission(CampaignDto campaign, DateTimeOffset submittedAt)
    {
        var window = TimeSpan.FromHours(Math.Max(0, campaign.EqualFootingHours));
        foreach (var opening in new[] { campaign.Calendar.StageOneOpensAt, campaign.Calendar.StageTwoOpensAt })
        {
            if (submittedAt >= opening && submittedAt < opening + window)
            {
                return opening;
            }
        }

        return submittedAt;
    }
}

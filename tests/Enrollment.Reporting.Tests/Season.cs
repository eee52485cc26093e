using Enrollment.Registry.Contracts;

namespace Enrollment.Reporting.Tests;

/// <summary>
/// Drives applications through statuses the way Registry would: updates the fake Contracts truth and returns the
/// <see cref="ApplicationStatusChanged"/> event it would publish (history ids are version-7 Guids, ordered in time).
/// </summary>
internal sealed class Season(Harness h)
{
    private int _child;

    public DateTimeOffset Now => h.Clock.UtcNow;

    public ApplicationStatusChanged Submit(string stage, char sex = 'F', int birthYear = 2019, string? priority = null, bool verified = false,
        params ProgramKeyDto[] choices)
    {
        var id = Guid.CreateVersion7(Now);
        var fact = new ApplicationFactDto(id, Harness.CampaignId, $"child-{++_child:0000}", birthYear, sex, ApplicationStatus.Submitted, stage, Now,
            choices, priority, verified, null, Now);
        return Record(fact, null);
    }

    public ApplicationStatusChanged Move(Guid applicationId, ApplicationStatus to, ProgramKeyDto? enrolled = null, bool? verified = null, bool resubmit = false)
    {
        var old = h.Sources.Facts[applicationId];
        var fact = old with
        {
            Status = to, UpdatedAt = Now, EnrolledProgram = enrolled ?? (to == ApplicationStatus.Withdrawn ? null : old.EnrolledProgram),
            PriorityVerified = verified ?? old.PriorityVerified, SubmittedAt = resubmit ? Now : old.SubmittedAt,
        };
        return Record(fact, old.Status);
    }

    private ApplicationStatusChanged Record(ApplicationFactDto fact, ApplicationStatus? from)
    {
        h.Sources.Facts[fact.ApplicationId] = fact;
        var e = new ApplicationStatusChanged(Guid.CreateVersion7(Now), fact, from, fact.Status, Now, "test", null);
        h.Clock.Advance(TimeSpan.FromMinutes(7));
        return e;
    }

    public static ProgramKeyDto P(string school, string language) => new(school, language, 1);
}

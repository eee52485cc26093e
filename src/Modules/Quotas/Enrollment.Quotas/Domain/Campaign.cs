using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;

namespace Enrollment.Quotas.Domain;

/// <summary>One admission year with its calendar and rules. Every date, age and limit is configuration.</summary>
internal sealed class Campaign
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public int StartYear { get; set; }
    public DateTimeOffset QuotaEntryOpensAt { get; set; }
    public DateTimeOffset QuotaEntryClosesAt { get; set; }
    public DateTimeOffset StageOneOpensAt { get; set; }
    public DateTimeOffset StageTwoOpensAt { get; set; }
    public DateTimeOffset MainClosesAt { get; set; }
    public DateTimeOffset LateEnrollmentEndsAt { get; set; }
    public int MaxChoices { get; set; } = 1;
    public string TieBreak { get; set; } = "SubmissionTime";
    public string? LotterySeed { get; set; }
    public int EqualFootingHours { get; set; } = 72;
    public int OfferConfirmDays { get; set; } = 5;
    public int CancellationLimit { get; set; } = 3;
    public int CorrectionDays { get; set; } = 3;
    public int AppealDays { get; set; } = 14;
    public int ClassSizeLimit { get; set; } = 36;
    public DateOnly EligibleBirthFrom { get; set; }
    public DateOnly EligibleBirthTo { get; set; }
    public int AgeLimitYears { get; set; } = 8;

    /// <summary>The defaults of domain.md for the school year starting in <paramref name="startYear"/>.</summary>
    public static Campaign CreateDefault(Guid id, int startYear)
    {
        var campaign = new Campaign
        {
            Id = id,
            Name = $"{startYear}/{(startYear + 1) % 100:00}",
            StartYear = startYear,
            QuotaEntryOpensAt = Bishkek.ToUtc(new DateTime(startYear, 2, 27, 9, 0, 0)),
            QuotaEntryClosesAt = Bishkek.ToUtc(new DateTime(startYear, 3, 16, 0, 0, 0)),
            StageOneOpensAt = Bishkek.ToUtc(new DateTime(startYear, 4, 1, 10, 0, 0)),
            StageTwoOpensAt = Bishkek.ToUtc(new DateTime(startYear, 6, 1, 10, 0, 0)),
            MainClosesAt = Bishkek.ToUtc(new DateTime(startYear, 8, 16, 0, 0, 0)),
            LateEnrollmentEndsAt = Bishkek.ToUtc(new DateTime(startYear, 10, 1, 0, 0, 0)),
            EligibleBirthFrom = new DateOnly(startYear - 7, 1, 1),
            EligibleBirthTo = new DateOnly(startYear - 6, 12, 31),
        };
        campaign.EnsureCalendarInOrder();
        return campaign;
    }

    public void EnsureCalendarInOrder()
    {
        DateTimeOffset[] order = [QuotaEntryOpensAt, QuotaEntryClosesAt, StageOneOpensAt, StageTwoOpensAt, MainClosesAt, LateEnrollmentEndsAt];
        for (var i = 1; i < order.Length; i++)
        {
            if (order[i] <= order[i - 1])
            {
                throw new RuleViolation("CALENDAR_OUT_OF_ORDER",
                    "Quota entry opens < closes < Stage One < Stage Two < main close < late enrollment end must hold.");
            }
        }
    }

    /// <summary>The stage at an instant, and when and into what it changes next.</summary>
    public (Stage Stage, DateTimeOffset? NextChangeAt, Stage? NextStage) StageAt(DateTimeOffset instant)
    {
        (DateTimeOffset At, Stage Stage)[] steps =
        [
            (QuotaEntryOpensAt, Stage.QuotaEntry),
            (QuotaEntryClosesAt, Stage.BetweenQuotaEntryAndStageOne),
            (StageOneOpensAt, Stage.StageOne),
            (StageTwoOpensAt, Stage.StageTwo),
            (MainClosesAt, Stage.LateEnrollment),
            (LateEnrollmentEndsAt, Stage.Closed),
        ];
        var current = Stage.NotStarted;
        foreach (var (at, stage) in steps)
        {
            if (instant < at)
            {
                return (current, at, stage);
            }

            current = stage;
        }

        return (current, null, null);
    }

    public CampaignDto ToDto() => new(Id, Name, StartYear,
        new CampaignCalendarDto(QuotaEntryOpensAt, QuotaEntryClosesAt, StageOneOpensAt, StageTwoOpensAt, MainClosesAt, LateEnrollmentEndsAt),
        MaxChoices, TieBreak, LotterySeed, EqualFootingHours, OfferConfirmDays, CancellationLimit, CorrectionDays, AppealDays,
        ClassSizeLimit, EligibleBirthFrom, EligibleBirthTo, AgeLimitYears);
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.BuildingBlocks.Validation;
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

    public void EnsureCalendarInOrder() =>
        EnsureInOrder([QuotaEntryOpensAt, QuotaEntryClosesAt, StageOneOpensAt, StageTwoOpensAt, MainClosesAt, LateEnrollmentEndsAt]);

    private static readonly string[] CalendarFields =
        ["quotaEntryOpensAt", "quotaEntryClosesAt", "stageOneOpensAt", "stageTwoOpensAt", "mainClosesAt", "lateEnrollmentEndsAt"];

    private static void EnsureInOrder(DateTimeOffset[] order)
    {
        for (var i = 1; i < order.Length; i++)
        {
            if (order[i] <= order[i - 1])
            {
                throw new RuleViolation("CALENDAR_OUT_OF_ORDER",
                    $"{CalendarFields[i]} must come after {CalendarFields[i - 1]} " +
                    "(quota entry opens < closes < Stage One < Stage Two < main close < late enrollment end).");
            }
        }
    }

    /// <summary>The calendar instant at which <paramref name="stage"/> begins (null for <see cref="Stage.NotStarted"/>).</summary>
    public DateTimeOffset? StageStartsAt(Stage stage) => stage switch
    {
        Stage.QuotaEntry => QuotaEntryOpensAt,
        Stage.BetweenQuotaEntryAndStageOne => QuotaEntryClosesAt,
        Stage.StageOne => StageOneOpensAt,
        Stage.StageTwo => StageTwoOpensAt,
        Stage.LateEnrollment => MainClosesAt,
        Stage.Closed => LateEnrollmentEndsAt,
        _ => null,
    };

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

    /// <summary>Checks the settings (shape and calendar order) and applies them; nothing is applied when a check fails.</summary>
    public static void Check(CampaignSettingsInput s)
    {
        var errors = new ValidationErrors();
        errors.Required("name", s.Name, 16);
        errors.Range("startYear", s.StartYear, 2000, 2100);
        errors.Range("maxChoices", s.MaxChoices, 1, 5);
        if (s.TieBreak is not ("SubmissionTime" or "Lottery"))
        {
            errors.Add("tieBreak", "UNKNOWN_TIE_BREAK", "SubmissionTime or Lottery.");
        }

        errors.MaxLength("lotterySeed", s.LotterySeed, 128);
        errors.Range("equalFootingHours", s.EqualFootingHours, 0, 720);
        errors.Range("offerConfirmDays", s.OfferConfirmDays, 1, 60);
        errors.Range("cancellationLimit", s.CancellationLimit, 0, 20);
        errors.Range("correctionDays", s.CorrectionDays, 1, 60);
        errors.Range("appealDays", s.AppealDays, 1, 90);
        errors.Range("classSizeLimit", s.ClassSizeLimit, 10, 60);
        errors.Range("ageLimitYears", s.AgeLimitYears, 5, 12);
        if (errors.Items.Count > 0)
        {
            throw new ValidationFailed(errors.Items);
        }

        if (s.EligibleBirthFrom > s.EligibleBirthTo)
        {
            throw new RuleViolation("ELIGIBILITY_OUT_OF_ORDER", "The eligible birth-date range must start before it ends.");
        }

        var c = s.Calendar;
        EnsureInOrder([c.QuotaEntryOpensAt, c.QuotaEntryClosesAt, c.StageOneOpensAt, c.StageTwoOpensAt, c.MainClosesAt, c.LateEnrollmentEndsAt]);
    }

    public void Apply(CampaignSettingsInput s)
    {
        Check(s);
        Name = s.Name.Trim();
        StartYear = s.StartYear;
        QuotaEntryOpensAt = s.Calendar.QuotaEntryOpensAt.ToUniversalTime();
        QuotaEntryClosesAt = s.Calendar.QuotaEntryClosesAt.ToUniversalTime();
        StageOneOpensAt = s.Calendar.StageOneOpensAt.ToUniversalTime();
        StageTwoOpensAt = s.Calendar.StageTwoOpensAt.ToUniversalTime();
        MainClosesAt = s.Calendar.MainClosesAt.ToUniversalTime();
        LateEnrollmentEndsAt = s.Calendar.LateEnrollmentEndsAt.ToUniversalTime();
        MaxChoices = s.MaxChoices;
        TieBreak = s.TieBreak;
        LotterySeed = string.IsNullOrWhiteSpace(s.LotterySeed) ? null : s.LotterySeed.Trim();
        EqualFootingHours = s.EqualFootingHours;
        OfferConfirmDays = s.OfferConfirmDays;
        CancellationLimit = s.CancellationLimit;
        CorrectionDays = s.CorrectionDays;
        AppealDays = s.AppealDays;
        ClassSizeLimit = s.ClassSizeLimit;
        EligibleBirthFrom = s.EligibleBirthFrom;
        EligibleBirthTo = s.EligibleBirthTo;
        AgeLimitYears = s.AgeLimitYears;
    }

    /// <summary>Settings are locked from the opening of Stage One (changes need an audited ministry override).</summary>
    public bool IsLockedAt(DateTimeOffset instant) => instant >= StageOneOpensAt;

    /// <summary>A readable "field: old → new" list of what <paramref name="after"/> changes; empty when nothing does.</summary>
    public string Diff(CampaignDto after)
    {
        var before = ToDto();
        var parts = new List<string>();
        void Cmp(string field, object? a, object? b)
        {
            if (!Equals(a, b))
            {
                parts.Add($"{field}: {Fmt(a)} → {Fmt(b)}");
            }
        }

        Cmp("name", before.Name, after.Name);
        Cmp("startYear", before.StartYear, after.StartYear);
        Cmp("quotaEntryOpensAt", before.Calendar.QuotaEntryOpensAt, after.Calendar.QuotaEntryOpensAt);
        Cmp("quotaEntryClosesAt", before.Calendar.QuotaEntryClosesAt, after.Calendar.QuotaEntryClosesAt);
        Cmp("stageOneOpensAt", before.Calendar.StageOneOpensAt, after.Calendar.StageOneOpensAt);
        Cmp("stageTwoOpensAt", before.Calendar.StageTwoOpensAt, after.Calendar.StageTwoOpensAt);
        Cmp("mainClosesAt", before.Calendar.MainClosesAt, after.Calendar.MainClosesAt);
        Cmp("lateEnrollmentEndsAt", before.Calendar.LateEnrollmentEndsAt, after.Calendar.LateEnrollmentEndsAt);
        Cmp("maxChoices", before.MaxChoices, after.MaxChoices);
        Cmp("tieBreak", before.TieBreak, after.TieBreak);
        Cmp("lotterySeed", before.LotterySeed, after.LotterySeed);
        Cmp("equalFootingHours", before.EqualFootingHours, after.EqualFootingHours);
        Cmp("offerConfirmDays", before.OfferConfirmDays, after.OfferConfirmDays);
        Cmp("cancellationLimit", before.CancellationLimit, after.CancellationLimit);
        Cmp("correctionDays", before.CorrectionDays, after.CorrectionDays);
        Cmp("appealDays", before.AppealDays, after.AppealDays);
        Cmp("classSizeLimit", before.ClassSizeLimit, after.ClassSizeLimit);
        Cmp("eligibleBirthFrom", before.EligibleBirthFrom, after.EligibleBirthFrom);
        Cmp("eligibleBirthTo", before.EligibleBirthTo, after.EligibleBirthTo);
        Cmp("ageLimitYears", before.AgeLimitYears, after.AgeLimitYears);
        return string.Join("; ", parts);

        static string Fmt(object? v) => v switch
        {
            null => "—",
            DateTimeOffset d => Bishkek.ToLocal(d).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
    }

    public CampaignDto ToDto() => new(Id, Name, StartYear,
        new CampaignCalendarDto(QuotaEntryOpensAt, QuotaEntryClosesAt, StageOneOpensAt, StageTwoOpensAt, MainClosesAt, LateEnrollmentEndsAt),
        MaxChoices, TieBreak, LotterySeed, EqualFootingHours, OfferConfirmDays, CancellationLimit, CorrectionDays, AppealDays,
        ClassSizeLimit, EligibleBirthFrom, EligibleBirthTo, AgeLimitYears);
}

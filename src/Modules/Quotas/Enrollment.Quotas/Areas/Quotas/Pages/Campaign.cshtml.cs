using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>Ministry: the current campaign's settings (calendar in Asia/Bishkek wall-clock time), or a new campaign.</summary>
[Authorize(Roles = Roles.MinistryAdmin)]
internal sealed class CampaignModel(IMediator mediator) : PageModel
{
    [BindProperty] public CampaignForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public bool New { get; set; }

    public IReadOnlyList<CampaignChangeDto> History { get; private set; } = [];
    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var current = New ? null : await mediator.Send(new GetCurrentCampaign(), ct);
        Form = current is null ? CampaignForm.Default(DateTime.UtcNow.Year + 1) : CampaignForm.From(current);
        await LoadHistoryAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await ModelState.TryAsync(async () =>
        {
            var settings = Form.ToSettings();
            var saved = Form.Id is { } id
                ? await mediator.Send(new UpdateCampaign(id, settings, Form.OverrideReason), ct)
                : await mediator.Send(new CreateCampaign(settings), ct);
            Form = CampaignForm.From(saved);
            Saved = true;
        });

        await LoadHistoryAsync(ct);
        return Page();
    }

    private async Task LoadHistoryAsync(CancellationToken ct) =>
        History = Form.Id is { } id ? await mediator.Send(new GetCampaignHistory(id), ct) : [];
}

/// <summary>The form's fields; calendar instants are Asia/Bishkek wall-clock times.</summary>
internal sealed class CampaignForm
{
    public Guid? Id { get; set; }
    public string Name { get; set; } = "";
    public int StartYear { get; set; }
    public DateTime QuotaEntryOpensAt { get; set; }
    public DateTime QuotaEntryClosesAt { get; set; }
    public DateTime StageOneOpensAt { get; set; }
    public DateTime StageTwoOpensAt { get; set; }
    public DateTime MainClosesAt { get; set; }
    public DateTime LateEnrollmentEndsAt { get; set; }
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
    public string? OverrideReason { get; set; }

    public static CampaignForm Default(int year) => new()
    {
        Name = $"{year}/{(year + 1) % 100:00}", StartYear = year,
        QuotaEntryOpensAt = new DateTime(year, 2, 27, 9, 0, 0), QuotaEntryClosesAt = new DateTime(year, 3, 16, 0, 0, 0),
        StageOneOpensAt = new DateTime(year, 4, 1, 10, 0, 0), StageTwoOpensAt = new DateTime(year, 6, 1, 10, 0, 0),
        MainClosesAt = new DateTime(year, 8, 16, 0, 0, 0), LateEnrollmentEndsAt = new DateTime(year, 10, 1, 0, 0, 0),
        EligibleBirthFrom = new DateOnly(year - 7, 1, 1), EligibleBirthTo = new DateOnly(year - 6, 12, 31),
    };

    public static CampaignForm From(CampaignDto c) => new()
    {
        Id = c.Id, Name = c.Name, StartYear = c.StartYear,
        QuotaEntryOpensAt = Local(c.Calendar.QuotaEntryOpensAt), QuotaEntryClosesAt = Local(c.Calendar.QuotaEntryClosesAt),
        StageOneOpensAt = Local(c.Calendar.StageOneOpensAt), StageTwoOpensAt = Local(c.Calendar.StageTwoOpensAt),
        MainClosesAt = Local(c.Calendar.MainClosesAt), LateEnrollmentEndsAt = Local(c.Calendar.LateEnrollmentEndsAt),
        MaxChoices = c.MaxChoices, TieBreak = c.TieBreak, LotterySeed = c.LotterySeed, EqualFootingHours = c.EqualFootingHours,
        OfferConfirmDays = c.OfferConfirmDays, CancellationLimit = c.CancellationLimit, CorrectionDays = c.CorrectionDays,
        AppealDays = c.AppealDays, ClassSizeLimit = c.ClassSizeLimit, EligibleBirthFrom = c.EligibleBirthFrom,
        EligibleBirthTo = c.EligibleBirthTo, AgeLimitYears = c.AgeLimitYears,
    };

    public CampaignSettingsInput ToSettings() => new(Name ?? "", StartYear,
        new CampaignCalendarDto(Bishkek.ToUtc(QuotaEntryOpensAt), Bishkek.ToUtc(QuotaEntryClosesAt), Bishkek.ToUtc(StageOneOpensAt),
            Bishkek.ToUtc(StageTwoOpensAt), Bishkek.ToUtc(MainClosesAt), Bishkek.ToUtc(LateEnrollmentEndsAt)),
        MaxChoices, TieBreak ?? "", LotterySeed, EqualFootingHours, OfferConfirmDays, CancellationLimit, CorrectionDays, AppealDays,
        ClassSizeLimit, EligibleBirthFrom, EligibleBirthTo, AgeLimitYears);

    private static DateTime Local(DateTimeOffset instant) => Bishkek.ToLocal(instant).DateTime;
}

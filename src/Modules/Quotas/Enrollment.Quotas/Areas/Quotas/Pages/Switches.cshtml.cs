using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>
/// Ministry: announce switches with their period (cancellation off, extra-quota window naming schools), list them, and add
/// extra seats at a named school while an extra-quota window is in force.
/// </summary>
[Authorize(Roles = Roles.MinistryAdmin)]
internal sealed class SwitchesModel(IMediator mediator, IClock clock) : ActionPageModel
{
    [BindProperty] public SwitchForm Form { get; set; } = new();
    [BindProperty] public ExtraSeatsForm Extra { get; set; } = new();

    public IReadOnlyList<CampaignSwitchDto> Switches { get; private set; } = [];
    public AllowedNowDto? Allowed { get; private set; }
    public QuotaDto? ExtraResult { get; private set; }
    public DateTimeOffset Now => clock.UtcNow;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var start = Bishkek.ToLocal(clock.UtcNow).DateTime.Date.AddDays(1).AddHours(10);
        Form = new SwitchForm { StartsAt = start, EndsAt = start.AddDays(3) };
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAnnounceAsync(CancellationToken ct)
    {
        var codes = (Form.SchoolCodes ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        await RunAsync(async () => await mediator.Send(new AnnounceSwitch(Form.Kind, Bishkek.ToUtc(Form.StartsAt), Bishkek.ToUtc(Form.EndsAt), codes, Form.Note), ct),
            "Announced");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostExtraAsync(CancellationToken ct)
    {
        await RunAsync(async () => ExtraResult = await mediator.Send(
            new AddExtraSeats(Extra.SchoolCode?.Trim() ?? "", Extra.Language ?? "", Extra.Classes, Extra.Seats, Extra.Reason ?? ""), ct), "ExtraSeatsAdded");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Switches = await mediator.Send(new GetSwitches(), ct);
        Allowed = await mediator.Send(new GetAllowedNow(), ct);
    }
}

/// <summary>A switch as the ministry announces it; the period is Asia/Bishkek wall-clock time.</summary>
internal sealed class SwitchForm
{
    public SwitchKind Kind { get; set; } = SwitchKind.CancellationDisabled;
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public string? SchoolCodes { get; set; }
    public string? Note { get; set; }
}

internal sealed class ExtraSeatsForm
{
    public string? SchoolCode { get; set; }
    public string? Language { get; set; }
    public int Classes { get; set; }
    public int Seats { get; set; }
    public string? Reason { get; set; }
}

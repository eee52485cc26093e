using Enrollment.BuildingBlocks.Security;
using Enrollment.Quotas.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>Quota entry form of one school: one row per language it offers; save a row, then submit all for approval.</summary>
[Authorize(Roles = Roles.SchoolAdmin + "," + Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class EntryModel(IMediator mediator, ICurrentUser user) : ActionPageModel
{
    [BindProperty(SupportsGet = true)] public string? School { get; set; }

    public SchoolDto? SchoolInfo { get; private set; }
    public IReadOnlyList<QuotaDto> Quotas { get; private set; } = [];
    public IReadOnlyDictionary<Guid, IReadOnlyList<QuotaChangeDto>> Histories { get; private set; } = new Dictionary<Guid, IReadOnlyList<QuotaChangeDto>>();
    public StageInfoDto? Stage { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(string language, int classes, int seats, string? reason, CancellationToken ct)
    {
        await RunAsync(() => mediator.Send(new SaveQuota(SchoolCode(), language, classes, seats, reason), ct).AsTask(), "Saved");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(CancellationToken ct)
    {
        await RunAsync(() => mediator.Send(new SubmitQuotas(SchoolCode()), ct).AsTask(), "Submitted");
        await LoadAsync(ct);
        return Page();
    }

    private string SchoolCode() =>
        user.IsInRole(Roles.SchoolAdmin) && !user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.DistrictOfficer)
            ? user.SchoolCode ?? "-"
            : School ?? "-";

    private async Task LoadAsync(CancellationToken ct)
    {
        School = SchoolCode();
        Stage = await mediator.Send(new GetCurrentStage(), ct);
        if (School == "-")
        {
            return;
        }

        var found = await mediator.Send(new GetSchoolsByCodes([School]), ct);
        SchoolInfo = found.Count > 0 ? found[0] : null;
        if (SchoolInfo is not null)
        {
            Quotas = await mediator.Send(new GetQuotas(School, null, null), ct);
            Histories = await mediator.Send(new Features.GetQuotaHistories([.. Quotas.Select(q => q.Id)]), ct);
        }
    }
}

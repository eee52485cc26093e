using Enrollment.BuildingBlocks.Security;
using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>District approval queue: submitted quotas and change requests of the officer's district; bulk approve, return with a comment.</summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class ApprovalModel(IMediator mediator, Microsoft.Extensions.Localization.IStringLocalizer<QuotasResources> localizer) : ActionPageModel
{
    public IReadOnlyList<QuotaDto> Pending { get; private set; } = [];
    public IReadOnlyDictionary<Guid, IReadOnlyList<QuotaChangeDto>> Histories { get; private set; } = new Dictionary<Guid, IReadOnlyList<QuotaChangeDto>>();

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostApproveAsync(List<Guid> ids, bool acknowledge, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            ModelState.AddModelError("", $"NOTHING_SELECTED: {localizer["NothingSelected"]}");
        }
        else
        {
            await RunAsync(() => mediator.Send(new ApproveQuotas(ids, acknowledge), ct).AsTask(), "Approved");
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid id, string? comment, CancellationToken ct)
    {
        await RunAsync(() => mediator.Send(new ReturnQuota(id, comment ?? ""), ct).AsTask(), "Returned");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var all = await mediator.Send(new GetQuotas(null, null, null), ct);
        Pending = [.. all.Where(q => q.Status is QuotaStatus.Submitted or QuotaStatus.ChangeRequested)];
        Histories = Pending.Count == 0 ? Histories : await mediator.Send(new Features.GetQuotaHistories([.. Pending.Select(q => q.Id)]), ct);
    }
}

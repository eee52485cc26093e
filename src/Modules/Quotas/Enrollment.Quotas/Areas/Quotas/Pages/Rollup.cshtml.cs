using Enrollment.BuildingBlocks.Security;
using Enrollment.Quotas.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>Approved and pending seats by region, district or language (district officers: their district).</summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin + "," + Roles.Analyst)]
internal sealed class RollupModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)] public RollupLevel Level { get; set; } = RollupLevel.Region;

    public IReadOnlyList<QuotaRollupRowDto> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await mediator.Send(new GetQuotaRollup(Level, null), ct);
}

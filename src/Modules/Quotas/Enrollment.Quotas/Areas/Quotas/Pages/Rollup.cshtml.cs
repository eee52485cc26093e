using Enrollment.BuildingBlocks.Security;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>
/// Approved and pending seats against the eligible children by region, district or language (district officers: their
/// district); rows with a shortfall are highlighted — there Kyrgyz, Russian or other classes must be opened.
/// </summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin + "," + Roles.Analyst)]
internal sealed class RollupModel(IMediator mediator, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)] public RollupLevel Level { get; set; } = RollupLevel.Region;
    [BindProperty(SupportsGet = true)] public string? District { get; set; }

    public IReadOnlyList<QuotaRollupRowDto> Rows { get; private set; } = [];

    /// <summary>Eligible children whose address no micro-district claims (national view only; null for district officers).</summary>
    public int? Unresolved { get; private set; }

    public bool ChoosesDistrict => user.IsInRole(Roles.MinistryAdmin) || user.IsInRole(Roles.Analyst);

    public async Task OnGetAsync(CancellationToken ct)
    {
        District = ChoosesDistrict && !string.IsNullOrWhiteSpace(District) ? District.Trim() : null;
        if (District is { Length: > 16 })
        {
            District = null;
        }

        Rows = await mediator.Send(new GetQuotaRollup(Level, District), ct);
        if (ChoosesDistrict && District is null && await mediator.Send(new GetCurrentCampaign(), ct) is { } campaign)
        {
            var children = await mediator.Send(new GetEligibleChildrenBySchool(campaign.EligibleBirthFrom, campaign.EligibleBirthTo), ct);
            Unresolved = children.Where(c => c.SchoolCode.Length == 0).Sum(c => c.Children);
        }
    }
}

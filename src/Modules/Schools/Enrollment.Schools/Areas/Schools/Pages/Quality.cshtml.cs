using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features.Microdistricts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>Micro-district quality report of a district: overlaps, gaps, schools without a micro-district, invalid polygons.</summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.DistrictOfficer + "," + Roles.Analyst)]
internal sealed class QualityModel(IMediator mediator, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? District { get; set; }

    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];
    public MicrodistrictQualityReport? Report { get; private set; }
    public string? Error { get; private set; }
    public bool CanChooseDistrict { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var home = DistrictScope.Home(user);
        CanChooseDistrict = home is null;
        Districts = await mediator.Send(new GetDistricts(null), ct);
        District = CanChooseDistrict ? (District is { Length: > 0 } ? District : (Districts.Count > 0 ? Districts[0].Code : null)) : home;
        if (District is null)
        {
            return;
        }

        try
        {
            Report = await mediator.Send(new GetQualityReport(District), ct);
        }
        catch (RuleViolation e)
        {
            Error = e.Message;
        }
    }
}

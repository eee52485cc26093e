using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Features;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>The school list: district officers see their district, school admins their school, the ministry all.</summary>
internal sealed class IndexModel(IMediator mediator, ICurrentUser user) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RegionDto> Regions { get; private set; } = [];
    public SchoolPage Result { get; private set; } = new([], 0);
    public string? Error { get; private set; }

    public bool CanEdit(string districtCode) => Features.Microdistricts.DistrictScope.CanEdit(user, districtCode);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Regions = await mediator.Send(new GetRegions(), ct);
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var filter = new SchoolFilter(RegionCode: Region is { Length: > 0 } ? Region : null,
            DistrictCode: user.IsInRole(Roles.DistrictOfficer) && !user.IsInRole(Roles.MinistryAdmin) ? user.DistrictCode ?? "-" : null,
            Language: Language is { Length: > 0 } ? Language : null, Search: Q);
        if (user.IsInRole(Roles.SchoolAdmin) && !user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.DistrictOfficer))
        {
            Result = new SchoolPage(await mediator.Send(new GetSchoolsByCodes([user.SchoolCode ?? "-"]), ct), 1);
            return;
        }

        try
        {
            Result = await mediator.Send(new SearchSchools(filter, (PageNumber - 1) * PageSize, PageSize), ct);
        }
        catch (ValidationFailed e)
        {
            Error = e.Message;
        }
    }
}

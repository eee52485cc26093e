using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features;
using Enrollment.Schools.Features.Microdistricts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>
/// Pending micro-district proposals: the ministry sees every district's (optionally one district) and approves or
/// rejects them; district officers and analysts see their scope read-only.
/// </summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.DistrictOfficer + "," + Roles.Analyst)]
internal sealed class ProposalsModel(IMediator mediator, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? District { get; set; }

    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];
    public IReadOnlyList<MicrodistrictProposal> Proposals { get; private set; } = [];
    public IReadOnlyDictionary<string, SchoolDto> Schools { get; private set; } = new Dictionary<string, SchoolDto>();
    public bool CanChooseDistrict => DistrictScope.Home(user) is null;
    public bool CanDecide => user.IsInRole(Roles.MinistryAdmin);

    [TempData] public string? Message { get; set; }
    [TempData] public string? Error { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Districts = CanChooseDistrict ? await mediator.Send(new GetDistricts(null), ct) : [];
        var district = CanChooseDistrict ? (District is { Length: > 0 and <= 16 } ? District : null) : DistrictScope.Home(user);
        try
        {
            Proposals = await mediator.Send(new GetMicrodistrictProposals(district, MicrodistrictProposalStatus.Pending), ct);
        }
        catch (AccessDenied)
        {
            return Forbid();
        }

        Schools = (await mediator.Send(new GetSchoolsByCodes([.. Proposals.Select(p => p.SchoolCode).Distinct()]), ct)).ToDictionary(s => s.Code);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(long proposalId, bool approve, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new DecideMicrodistrictProposal(proposalId, approve), ct);
            Message = approve ? "ProposalApproved" : "ProposalRejected";
        }
        catch (AccessDenied)
        {
            return Forbid();
        }
        catch (RuleViolation e)
        {
            Error = e.Code + ": " + e.Message;
        }

        return RedirectToPage(new { district = District });
    }
}

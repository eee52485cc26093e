using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Appeals.Areas.Appeals.Pages;

/// <summary>The appeal queue: open appeals by due date with the overdue ones marked (a district officer: their district).</summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public AppealPage Appeals { get; private set; } = new([], 0);

    /// <summary>"open" (default), "answered", "overdue" or "all".</summary>
    public string Show { get; private set; } = "open";

    public AppealKind? Kind { get; private set; }
    public int Skip { get; private set; }

    public async Task OnGetAsync(string? show, AppealKind? kind, int skip, CancellationToken ct)
    {
        Show = show is "answered" or "overdue" or "all" ? show : "open";
        Kind = kind;
        Skip = Math.Max(0, skip);
        var filter = Show switch
        {
            "answered" => new AppealFilter(Open: false, Kind: kind),
            "overdue" => new AppealFilter(OverdueOnly: true, Kind: kind),
            "all" => new AppealFilter(Kind: kind),
            _ => new AppealFilter(Open: true, Kind: kind),
        };
        Appeals = await mediator.Send(new SearchAppeals(filter, Skip, PageSize), ct);
    }
}

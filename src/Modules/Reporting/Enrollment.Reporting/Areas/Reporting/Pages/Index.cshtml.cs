using Enrollment.Reporting.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Reporting.Areas.Reporting.Pages;

internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<RegionSummaryDto> Regions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Regions = await mediator.Send(new GetRegionSummaries(), ct);
}

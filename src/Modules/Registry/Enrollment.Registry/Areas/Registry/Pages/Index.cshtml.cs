using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Registry.Areas.Registry.Pages;

/// <summary>State of the population registry connection (counts only, no personal data).</summary>
internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public PopulationCountsDto Counts { get; private set; } = new(0, 0, 0, 0);

    public async Task OnGetAsync(CancellationToken ct) => Counts = await mediator.Send(new GetPopulationCounts(), ct);
}

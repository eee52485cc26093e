using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Features;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Allocation.Areas.Allocation.Pages;

internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public AllocationScheduleDto? Schedule { get; private set; }
    public IReadOnlyList<AllocationRunSummary> Runs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Schedule = await mediator.Send(new GetAllocationSchedule(), ct);
        Runs = await mediator.Send(new GetAllocationRuns(50), ct);
    }
}

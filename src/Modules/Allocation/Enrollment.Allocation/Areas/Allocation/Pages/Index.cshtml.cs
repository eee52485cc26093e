using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Allocation.Areas.Allocation.Pages;

/// <summary>Schedule and run history; the ministry triggers a run or a dry run here.</summary>
internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public AllocationScheduleDto? Schedule { get; private set; }
    public IReadOnlyList<AllocationRunSummary> Runs { get; private set; } = [];
    public RunOutcome? Outcome { get; private set; }

    public bool CanRun => User.IsInRole(Roles.MinistryAdmin);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRunAsync(bool dryRun, CancellationToken ct)
    {
        if (!CanRun)
        {
            return Forbid();
        }

        if (!ModelState.IsValid)
        {
            // A malformed dry-run flag must not fall back to false and start a real run.
            await LoadAsync(ct);
            return Page();
        }

        try
        {
            Outcome = await mediator.Send(new RunAllocation(RunTriggers.Manual, dryRun), ct);
        }
        catch (RuleViolation e)
        {
            ModelState.AddModelError("", $"{e.Code}: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The run was rolled back and recorded as Failed with its error (see the history below); no 500 page.
            // The exception's type stays in the log and the run's history: the page never names exception types.
            ModelState.AddModelError("", "RUN_FAILED: the run was rolled back; its error is in the history below.");
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Schedule = await mediator.Send(new GetAllocationSchedule(), ct);
        Runs = await mediator.Send(new GetAllocationRuns(50), ct);
    }
}

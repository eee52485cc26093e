using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Security;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Allocation.Areas.Allocation.Pages;

/// <summary>One run: settings, counts, the per-program table (capacity, offers, cut-off) and the export downloads (ministry).</summary>
internal sealed class RunModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? School { get; set; }

    public AllocationRunDetail? Detail { get; private set; }
    public IReadOnlyList<RunProgramRow> Programs { get; private set; } = [];

    public bool CanExport => User.IsInRole(Roles.MinistryAdmin);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Detail = await mediator.Send(new GetAllocationRun(Id), ct);
        if (Detail is null)
        {
            return NotFound();
        }

        var school = School?.Trim();
        Programs = string.IsNullOrEmpty(school) ? Detail.Programs : [.. Detail.Programs.Where(p => p.SchoolCode == school)];
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(RunExportKind kind, CancellationToken ct)
    {
        if (!CanExport)
        {
            return Forbid();
        }

        try
        {
            var export = await mediator.Send(new GetRunExport(Id, kind), ct);
            return File(export.Content, "application/json", export.FileName);
        }
        catch (Enrollment.BuildingBlocks.Errors.NotFound)
        {
            return NotFound();
        }
    }
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features.Applications;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Registry.Areas.Registry.Pages;

/// <summary>
/// Applications in the caller's scope (school admins: their school; district officers: their district; ministry: all),
/// with filters and paging; verify or reject priority claims; the school's enrollment order for the selected children.
/// </summary>
[Authorize(Roles = Roles.SchoolAdmin + "," + Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class ApplicationsModel(IMediator mediator, ICurrentUser user) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public ApplicationStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public PriorityClaimStatus? Priority { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Language { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? School { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Skip { get; set; }

    public ApplicationPage Result { get; private set; } = new([], 0);

    public string? Message { get; private set; }

    /// <summary>Metadata of the proof files the listed applications reference (link, size, hash next to the verification buttons).</summary>
    public IReadOnlyDictionary<Guid, Features.Proofs.ProofInfo> Proofs { get; private set; } = new Dictionary<Guid, Features.Proofs.ProofInfo>();

    /// <summary>The school whose enrollment order this page records (a school admin's own; others pick the school filter).</summary>
    public string? OrderSchool => user.IsInRole(Roles.SchoolAdmin) && !user.IsInRole(Roles.MinistryAdmin) ? user.SchoolCode : School;

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostVerifyAsync(Guid id, bool verified, string? note, CancellationToken ct)
    {
        await RunAsync(() => mediator.Send(new VerifyPriority(id, verified, string.IsNullOrWhiteSpace(note) ? null : note), ct).AsTask(),
            verified ? "PriorityVerified" : "PriorityRejected");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostEnrollAsync(List<Guid> ids, string? orderNumber, DateOnly? orderDate, CancellationToken ct)
    {
        if (ids.Count == 0 || string.IsNullOrWhiteSpace(orderNumber) || orderDate is null || OrderSchool is null)
        {
            ModelState.AddModelError("", "ORDER_INCOMPLETE");
        }
        else
        {
            await RunAsync(() => mediator.Send(new EnrollChildren(OrderSchool, orderNumber, orderDate.Value, ids, null), ct).AsTask(), "Enrolled");
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A late arrival without an application (LateEnrollment/Closed), on the parent's written application.</summary>
    public async Task<IActionResult> OnPostLateArrivalAsync(
        string? childPin, string? language, string? writtenNumber, DateOnly? writtenDate, string? note, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(childPin) || string.IsNullOrWhiteSpace(language) || string.IsNullOrWhiteSpace(writtenNumber) || writtenDate is null
            || OrderSchool is null)
        {
            ModelState.AddModelError("", "LATE_ARRIVAL_INCOMPLETE");
        }
        else
        {
            await RunAsync(() => mediator.Send(new EnrollLateArrival(childPin, OrderSchool, language, writtenNumber, writtenDate.Value,
                string.IsNullOrWhiteSpace(note) ? null : note), ct).AsTask(), "LateArrival");
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task RunAsync(Func<Task> action, string done)
    {
        try
        {
            await action();
            Message = done;
        }
        catch (RuleViolation e)
        {
            ModelState.AddModelError("", $"{e.Code}: {e.Message}");
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Skip = Math.Max(0, Skip);
        var school = string.IsNullOrWhiteSpace(School) ? null : School.Trim().ToUpperInvariant();
        var language = string.IsNullOrWhiteSpace(Language) ? null : Language.Trim().ToLowerInvariant();
        try
        {
            Result = await mediator.Send(new SearchApplications(new ApplicationFilter(school, null, Status, language, Priority, null), Skip, PageSize), ct);
            Proofs = await HttpContext.RequestServices.GetRequiredService<GraphQL.ProofLoader>().ManyAsync(
                Result.Items.SelectMany(x => new[] { x.PriorityProofId, x.RepresentativeProofId }).OfType<Guid>(), ct);
        }
        catch (RuleViolation e)
        {
            ModelState.AddModelError("", $"{e.Code}: {e.Message}");
        }
    }
}

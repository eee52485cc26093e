using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Appeals.Areas.Appeals.Pages;

/// <summary>One appeal: the parent's text, the thread, a message form and the answer form (Upheld / Dismissed with text).</summary>
[Authorize(Roles = Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class AppealModel(IMediator mediator) : PageModel
{
    public AppealView? Appeal { get; private set; }
    public string? Done { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => LoadAsync(id, ct);

    public async Task<IActionResult> OnPostAnswerAsync(Guid id, AppealDecision? decision, string? text, CancellationToken ct)
    {
        if (decision is null)
        {
            ModelState.AddModelError("decision", "VALIDATION_FAILED: decision: REQUIRED");
            return await LoadAsync(id, ct);
        }

        return await RunAsync(id, () => mediator.Send(new AnswerAppeal(id, decision.Value, text ?? ""), ct).AsTask(), "Answered", ct);
    }

    public Task<IActionResult> OnPostMessageAsync(Guid id, string? text, CancellationToken ct) =>
        RunAsync(id, () => mediator.Send(new AddAppealMessage(id, text ?? ""), ct).AsTask(), "MessageAdded", ct);

    private async Task<IActionResult> RunAsync(Guid id, Func<Task> action, string done, CancellationToken ct)
    {
        try
        {
            await action();
            Done = done;
        }
        catch (RuleViolation e) when (e is not Enrollment.BuildingBlocks.Errors.NotFound)
        {
            ModelState.AddModelError("", $"{e.Code}: {e.Message}");
        }
        catch (NotFound)
        {
            return NotFound();
        }

        return await LoadAsync(id, ct);
    }

    private async Task<IActionResult> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Appeal = await mediator.Send(new GetAppeal(id), ct);
            return Page();
        }
        catch (NotFound)
        {
            return NotFound();
        }
    }
}

using Enrollment.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Quotas.Areas.Quotas.Pages;

/// <summary>Runs one page action; a refusal becomes a validation message on the page ("CODE: message"), never a 500.</summary>
internal static class PageActions
{
    public static async Task<bool> TryAsync(this ModelStateDictionary modelState, Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (ValidationFailed e)
        {
            foreach (var error in e.Errors)
            {
                modelState.AddModelError(error.Field, $"{error.Field}: {error.Code}: {error.Message}");
            }
        }
        catch (RuleViolation e)
        {
            modelState.AddModelError("", $"{e.Code}: {e.Message}");
        }

        return false;
    }
}

/// <summary>A page whose posts run one action each and show the resource key of what was done as <see cref="Message"/>.</summary>
internal abstract class ActionPageModel : PageModel
{
    public string? Message { get; private set; }

    protected async Task RunAsync(Func<Task> action, string done)
    {
        if (await ModelState.TryAsync(action))
        {
            Message = done;
        }
    }
}

using Enrollment.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Mvc.ModelBinding;

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

using System.ComponentModel.DataAnnotations;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.Host.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Enrollment.Host.Pages.Admin.Users;

/// <summary>The ministry's staff accounts: list, create, disable/enable, reset password, sign out everywhere (ministry only, by folder convention).</summary>
internal sealed class IndexModel(AccountService accounts, IStringLocalizer<SharedResource> l) : PageModel
{
    public IReadOnlyList<StaffAccountDto> Accounts { get; private set; } = [];

    /// <summary>A one-time password to show once, right after a reset.</summary>
    public PasswordResetResult? Reset { get; private set; }

    public string? Done { get; private set; }

    [BindProperty, Required(ErrorMessage = "Required"), StringLength(64)] public string NewUserName { get; set; } = "";
    [BindProperty, Required(ErrorMessage = "Required"), StringLength(200)] public string NewDisplayName { get; set; } = "";
    [BindProperty, Required(ErrorMessage = "Required")] public string NewRole { get; set; } = "";
    [BindProperty, StringLength(16)] public string? NewDistrictCode { get; set; }
    [BindProperty, StringLength(16)] public string? NewSchoolCode { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Accounts = await accounts.ListStaffAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            await RunAsync(async () =>
            {
                await accounts.CreateStaffAsync(NewUserName, NewDisplayName, NewRole, NewDistrictCode, NewSchoolCode, ct);
                Done = l["AccountCreated", NewUserName];
            });
        }

        Accounts = await accounts.ListStaffAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostDisableAsync(string userName, CancellationToken ct) =>
        ActAsync(async () => await accounts.DisableAsync(userName, ct), l["AccountDisabled", userName], ct);

    public Task<IActionResult> OnPostEnableAsync(string userName, CancellationToken ct) =>
        ActAsync(async () => await accounts.EnableAsync(userName, ct), l["AccountEnabled", userName], ct);

    public Task<IActionResult> OnPostSignOutAsync(string userName, CancellationToken ct) =>
        ActAsync(async () => await accounts.SignOutEverywhereAsync(userName, ct), l["AccountSignedOut", userName], ct);

    public Task<IActionResult> OnPostResetAsync(string userName, CancellationToken ct) =>
        ActAsync(async () => Reset = await accounts.ResetPasswordAsync(userName, ct), null, ct);

    private async Task<IActionResult> ActAsync(Func<Task> action, string? done, CancellationToken ct)
    {
        ModelState.Clear();
        await RunAsync(async () =>
        {
            await action();
            Done = done;
        });
        Accounts = await accounts.ListStaffAsync(ct);
        return Page();
    }

    private async Task RunAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (RuleViolation e)
        {
            ModelState.AddModelError("", $"{e.Code}: {e.Message}");
        }
    }
}

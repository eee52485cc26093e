using System.ComponentModel.DataAnnotations;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Host.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Enrollment.Host.Pages.Admin.Account;

internal sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, IStringLocalizer<SharedResource> l,
    Enrollment.Host.Security.SignInRateLimiter limiter) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Required"), StringLength(64)] public string UserName { get; set; } = "";
    [BindProperty, Required(ErrorMessage = "Required"), StringLength(128)] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            limiter.Check(HttpContext, UserName);
        }
        catch (Enrollment.Host.Security.RateLimited limited)
        {
            Enrollment.Host.Security.RateLimits.SetRetryAfter(HttpContext, limited.RetryAfter);
            ModelState.AddModelError("", l["RateLimited"]);
            return new PageResult { StatusCode = StatusCodes.Status429TooManyRequests };
        }

        var user = await users.FindByNameAsync(UserName);
        var isStaff = user is not null && !user.IsDisabled && (await users.GetRolesAsync(user)).Any(r => Roles.Staff.Contains(r));
        if (!isStaff)
        {
            ModelState.AddModelError("", l["InvalidLogin"]);
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user!, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError("", l["LockedOut"]);
            return Page();
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError("", l["InvalidLogin"]);
            return Page();
        }

        return LocalRedirect(ReturnUrl is { Length: > 0 } && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/admin");
    }
}

using System.ComponentModel.DataAnnotations;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Enrollment.Host.Pages.Admin.Audit;

/// <summary>
/// Ministry: search the append-only audit trail (by person, school, district, entity, period) and verify its hash
/// chain. Read only — there is no edit or delete anywhere. Dates are Asia/Bishkek calendar days.
/// </summary>
internal sealed class IndexModel(AuditSearch search, AuditVerifier verifier, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true), StringLength(64)] public string? Module { get; set; }
    [BindProperty(SupportsGet = true), StringLength(128)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true), StringLength(256)] public string? EntityKey { get; set; }
    [BindProperty(SupportsGet = true), StringLength(256)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true), StringLength(16)] public string? School { get; set; }
    [BindProperty(SupportsGet = true), StringLength(16)] public string? District { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public AuditChainReport? Chain { get; private set; }

    /// <summary>Id to continue from when the page is full (older entries).</summary>
    public long? Next => Entries.Count == PageSize ? Entries[^1].Id : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (From is { } from && To is { } to && to < from)
        {
            ModelState.AddModelError(nameof(To), l["PeriodOutOfOrder"]);
        }

        if (!ModelState.IsValid)
        {
            return;
        }

        var filter = new AuditFilter(Module, Entity, EntityKey, Actor, School, District,
            From is { } f ? Bishkek.ToUtc(f.ToDateTime(TimeOnly.MinValue)) : null,
            To is { } t ? Bishkek.ToUtc(t.AddDays(1).ToDateTime(TimeOnly.MinValue)) : null);
        try
        {
            Entries = await search.SearchAsync(filter, PageSize, Before, ct);
        }
        catch (ValidationFailed e)
        {
            foreach (var error in e.Errors)
            {
                ModelState.AddModelError(error.Field, error.Message);
            }
        }
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        Chain = await verifier.VerifyAsync(ct);
        await OnGetAsync(ct);
        return Page();
    }
}

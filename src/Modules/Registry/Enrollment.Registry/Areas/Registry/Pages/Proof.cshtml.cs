using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features.Proofs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Registry.Areas.Registry.Pages;

/// <summary>
/// <c>/admin/registry/proof?id=</c>: streams a proof file to staff who may see an application referencing it (as an
/// attachment, nosniff, no-store; every read is audited). Anyone else gets 404; a file whose bytes no longer match its
/// SHA-256 is not served (409 with an explanation).
/// </summary>
[Authorize(Roles = Roles.SchoolAdmin + "," + Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class ProofModel(ProofService proofs) : PageModel
{
    public string ErrorCode { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var content = await proofs.OpenAsync(id, ct);
            ProofEndpoints.PrepareDownload(Response, content);
            return File(content.Bytes, content.Info.ContentType);
        }
        catch (NotFound)
        {
            return NotFound();
        }
        catch (RuleViolation e) when (e.Code is ProofErrors.IntegrityFailed or ProofErrors.FileMissing)
        {
            ErrorCode = e.Code;
            Response.StatusCode = ProofEndpoints.StatusOf(e);
            return Page();
        }
    }
}

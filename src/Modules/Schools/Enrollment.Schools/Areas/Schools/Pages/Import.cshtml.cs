using System.Text;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Features.SchoolList;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>School list import (ministry) and export (CSV).</summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.Analyst + "," + Roles.DistrictOfficer)]
[RequestSizeLimit(25_000_000)]
internal sealed class ImportModel(IMediator mediator) : PageModel
{
    public SchoolImportResult? Result { get; private set; }
    public string? Error { get; private set; }
    public bool CanImport => User.IsInRole(Roles.MinistryAdmin);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var csv = await mediator.Send(new ExportSchools(), ct);
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), "text/csv; charset=utf-8", "schools.csv");
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (!CanImport)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Error = "REQUIRED";
            return Page();
        }

        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        try
        {
            Result = await mediator.Send(new ImportSchools(await reader.ReadToEndAsync(ct)), ct);
        }
        catch (RuleViolation e)
        {
            Error = e.Code + ": " + e.Message;
        }

        return Page();
    }
}

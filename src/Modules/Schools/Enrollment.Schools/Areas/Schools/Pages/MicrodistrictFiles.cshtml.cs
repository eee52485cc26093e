using System.Text;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Features;
using Enrollment.Schools.Features.Microdistricts;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>A district's micro-districts as files: rules (CSV) and polygons (GeoJSON), download and all-or-nothing upload.</summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.DistrictOfficer + "," + Roles.Analyst)]
[RequestSizeLimit(25_000_000)]
internal sealed class MicrodistrictFilesModel(IMediator mediator, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? District { get; set; }

    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];
    public bool CanChooseDistrict { get; private set; }
    public bool CanImport => District is not null && DistrictScope.CanEdit(user, District);
    public MicrodistrictImportResult? Result { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetRulesAsync(CancellationToken ct) =>
        await DownloadAsync(d => new ExportMicrodistrictRules(d), "text/csv; charset=utf-8", "microdistrict-rules-{0}.csv", ct);

    public async Task<IActionResult> OnGetPolygonsAsync(CancellationToken ct) =>
        await DownloadAsync(d => new ExportMicrodistrictPolygons(d), "application/geo+json; charset=utf-8", "microdistricts-{0}.geojson", ct);

    public Task<IActionResult> OnPostRulesAsync(IFormFile? file, CancellationToken ct) =>
        UploadAsync(file, (d, text) => new ImportMicrodistrictRules(d, text), ct);

    public Task<IActionResult> OnPostPolygonsAsync(IFormFile? file, CancellationToken ct) =>
        UploadAsync(file, (d, text) => new ImportMicrodistrictPolygons(d, text), ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        var home = DistrictScope.Home(user);
        CanChooseDistrict = home is null;
        Districts = await mediator.Send(new GetDistricts(null), ct);
        // A district officer's own district by default; naming another one is refused by the export/import (ACCESS_DENIED).
        District = District is { Length: > 0 } ? District : home ?? (Districts.Count > 0 ? Districts[0].Code : null);
    }

    private async Task<IActionResult> DownloadAsync(Func<string, IQuery<string>> query, string contentType, string name, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (District is null)
        {
            return NotFound();
        }

        try
        {
            var text = await mediator.Send(query(District), ct);
            return File(Encoding.UTF8.GetBytes(text), contentType, string.Format(System.Globalization.CultureInfo.InvariantCulture, name, District));
        }
        catch (AccessDenied)
        {
            return Forbid();
        }
        catch (NotFound)
        {
            return NotFound();
        }
    }

    private async Task<IActionResult> UploadAsync(IFormFile? file, Func<string, string, ICommand<MicrodistrictImportResult>> command, CancellationToken ct)
    {
        await LoadAsync(ct);
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
            Result = await mediator.Send(command(District!, await reader.ReadToEndAsync(ct)), ct);
        }
        catch (AccessDenied)
        {
            return Forbid();
        }
        catch (RuleViolation e)
        {
            Error = e.Code + ": " + e.Message;
        }

        return Page();
    }
}

using System.Globalization;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Domain;
using Enrollment.Schools.Features;
using Enrollment.Schools.Features.SchoolList;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Schools.Areas.Schools.Pages;

/// <summary>
/// One school's own data: create (no <see cref="Code"/> in the URL) or edit. District officers within their district,
/// the ministry everywhere; every bad field gets its message next to it and nothing is saved.
/// </summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.DistrictOfficer)]
internal sealed class EditModel(IMediator mediator, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public string NewCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string DistrictCode { get; set; } = "";
    [BindProperty] public string SettlementCode { get; set; } = "";
    [BindProperty] public string NameKy { get; set; } = "";
    [BindProperty] public string NameRu { get; set; } = "";
    [BindProperty] public string Address { get; set; } = "";
    [BindProperty] public string Latitude { get; set; } = "";
    [BindProperty] public string Longitude { get; set; } = "";
    [BindProperty] public string Type { get; set; } = SchoolTypes.Municipal;
    [BindProperty] public List<string> Languages { get; set; } = [];
    [BindProperty] public bool Participates { get; set; }
    [BindProperty] public string? Reason { get; set; }

    [TempData] public string? Message { get; set; }

    public bool Creating => string.IsNullOrEmpty(Code);
    public IReadOnlyList<DistrictDto> Districts { get; private set; } = [];
    public IReadOnlyList<Settlement> Settlements { get; private set; } = [];
    public List<ValidationError> Errors { get; } = [];

    public IEnumerable<ValidationError> ErrorsFor(string field) => Errors.Where(e => e.Field == field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Creating)
        {
            var found = Code!.Length > 16 ? [] : await mediator.Send(new GetSchoolsByCodes([Code]), ct);
            if (found.Count == 0)
            {
                return NotFound();
            }

            var s = found[0];
            if (!Features.Microdistricts.DistrictScope.CanEdit(user, s.DistrictCode))
            {
                return Forbid();
            }

            (DistrictCode, SettlementCode, NameKy, NameRu, Address) = (s.DistrictCode, s.SettlementCode, s.NameKy, s.NameRu, s.Address);
            Latitude = s.Latitude.ToString("0.######", CultureInfo.InvariantCulture);
            Longitude = s.Longitude.ToString("0.######", CultureInfo.InvariantCulture);
            (Type, Languages, Participates, Reason) = (s.Type, [.. s.Languages], s.ParticipatesInEnrollment, s.NonParticipationReason);
        }
        else
        {
            Participates = true;
            Languages = ["ky"];
            if (!user.IsInRole(Roles.MinistryAdmin))
            {
                DistrictCode = user.DistrictCode ?? "";
            }
        }

        await LoadListsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var draft = new SchoolDraft(Creating ? NewCode : Code!, null, DistrictCode, SettlementCode, NameKy ?? "", NameRu ?? "", Address ?? "",
            Number(Latitude), Number(Longitude), Type ?? "", Languages, Participates, Participates ? null : Reason);
        try
        {
            var saved = await mediator.Send(new SaveSchool(Creating, draft), ct);
            Message = "SchoolSaved";
            return RedirectToPage(new { code = saved.Code, districtCode = (string?)null });
        }
        catch (AccessDenied)
        {
            return Forbid();
        }
        catch (NotFound)
        {
            return NotFound();
        }
        catch (ValidationFailed e)
        {
            Errors.AddRange(e.Errors);
        }
        catch (RuleViolation e)
        {
            Errors.Add(new ValidationError(e.Code == "SCHOOL_EXISTS" ? "code" : "", e.Code, e.Message));
        }

        await LoadListsAsync(ct);
        return Page();
    }

    private async Task LoadListsAsync(CancellationToken ct)
    {
        Districts = [.. (await mediator.Send(new GetDistricts(null), ct)).Where(d => Features.Microdistricts.DistrictScope.CanEdit(user, d.Code))];
        if (DistrictCode.Length == 0 && Districts.Count > 0)
        {
            DistrictCode = Districts[0].Code;
        }

        Settlements = DistrictCode.Length is > 0 and <= 16 ? await mediator.Send(new GetSettlements(DistrictCode), ct) : [];
    }

    private static double Number(string? text) =>
        double.TryParse((text ?? "").Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
}

using System.Text.Json;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Features.Export;
using Enrollment.Reporting.Features.Reports;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Reporting.Areas.Reporting.Pages;

/// <summary>Kundoluk export of a school's enrolled children (CSV and JSON): the school's admin, its district officer, the ministry.</summary>
[Authorize(Roles = Roles.SchoolAdmin + "," + Roles.DistrictOfficer + "," + Roles.MinistryAdmin)]
internal sealed class JournalModel(IMediator mediator, ICurrentUser user) : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    [BindProperty(SupportsGet = true)] public string? School { get; set; }

    public JournalExport? Export { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? format, CancellationToken ct)
    {
        School = user.IsInRole(Roles.SchoolAdmin) && !user.IsInRole(Roles.MinistryAdmin) ? user.SchoolCode : School?.Trim();
        if (string.IsNullOrEmpty(School))
        {
            return Page();
        }

        try
        {
            Export = await mediator.Send(new GetJournalExport(School), ct);
        }
        catch (RuleViolation e)
        {
            Error = e.Message;
            return Page();
        }

        return format switch
        {
            "json" => File(JsonSerializer.SerializeToUtf8Bytes(Export, Json), "application/json; charset=utf-8", $"kundoluk-{School}.json"),
            "csv" => File(Export.ToTable().ToCsv(), Table.CsvType, $"kundoluk-{School}.csv"),
            _ => Page(),
        };
    }
}

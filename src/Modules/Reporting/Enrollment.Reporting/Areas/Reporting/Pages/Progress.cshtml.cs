using System.Globalization;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Features.Export;
using Enrollment.Reporting.Features.Reports;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Reporting.Areas.Reporting.Pages;

/// <summary>Campaign progress for the ministry, analysts and district officers (their district only), with CSV/.xlsx export.</summary>
[Authorize(Roles = Roles.MinistryAdmin + "," + Roles.Analyst + "," + Roles.DistrictOfficer)]
internal sealed class ProgressModel(IMediator mediator, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)] public ReportDimension By { get; set; } = ReportDimension.Region;
    [BindProperty(SupportsGet = true)] public string? District { get; set; }

    public ProgressReport Report { get; private set; } = null!;
    public ReportingAreasDto Areas { get; private set; } = new([], []);
    public bool OwnDistrictOnly => !user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.Analyst);
    public string ChartJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string? format, CancellationToken ct)
    {
        Areas = await mediator.Send(new GetReportingAreas(), ct);
        Report = await mediator.Send(new GetProgressReport(By, OwnDistrictOnly ? user.DistrictCode : District), ct);
        var name = $"progress-{By.ToString().ToLowerInvariant()}{(Report.DistrictCode is { } d ? "-" + d : "")}";
        switch (format)
        {
            case "csv":
                return File(Report.ToTable().ToCsv(), Table.CsvType, name + ".csv");
            case "xlsx":
                return File(Report.ToTable().ToXlsx("Progress"), Table.XlsxType, name + ".xlsx");
            case "daily-csv":
                return File(Report.DailyTable().ToCsv(), Table.CsvType, name + "-daily.csv");
        }

        ChartJson = Charts.Json(Report.Daily.Select(d => d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            [new Charts.Dataset("", [.. Report.Daily.Select(d => (double)d.Submitted)])]);
        return Page();
    }
}

using System.Globalization;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Features.Export;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Reporting.Pages.OpenData;

/// <summary>The public open-data page: national and regional numbers, schools with free seats, applications per day.</summary>
[AllowAnonymous]
internal sealed class IndexModel(IMediator mediator) : PageModel
{
    public static readonly string[] Languages = ["ky", "ru", "uz", "tg"];

    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? District { get; set; }
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }

    public bool Kyrgyz => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ky";
    public OpenDataSeatsRowDto National { get; private set; } = null!;
    public IReadOnlyList<OpenDataSeatsRowDto> Regions { get; private set; } = [];
    public ReportingAreasDto Areas { get; private set; } = new([], []);
    public IReadOnlyList<OpenDataProgramDto> Schools { get; private set; } = [];
    public string ChartJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Areas = await mediator.Send(new GetReportingAreas(), ct);
        Region = Areas.Regions.Any(r => r.Code == Region) ? Region : null;
        District = Areas.Districts.Any(d => d.Code == District && (Region is null || d.ParentCode == Region)) ? District : null;
        Language = Languages.Contains(Language) ? Language : null;

        National = Sum(OpenDataRowsName.National, await mediator.Send(new GetOpenDataSeats(AreaLevel.National), ct));
        Regions = [.. (await mediator.Send(new GetOpenDataSeats(AreaLevel.Region), ct)).GroupBy(r => r.AreaCode).Select(g => Sum(g.Key, g))];
        Schools = await mediator.Send(new GetOpenDataPrograms(Region, District, null, Language, OnlyWithFreeSeats: true), ct);

        var daily = await mediator.Send(new GetOpenDataDaily(), ct);
        ChartJson = Charts.DailyByRegion(daily, Areas.Regions.ToDictionary(r => r.Code, r => Kyrgyz ? r.NameKy : r.NameRu));
    }

    public string AreaName(AreaNameDto a) => Kyrgyz ? a.NameKy : a.NameRu;

    public string AreaName(OpenDataSeatsRowDto r) => Kyrgyz ? r.AreaNameKy : r.AreaNameRu;

    public string DistrictName(string code) => Areas.Districts.FirstOrDefault(d => d.Code == code) is { } d ? AreaName(d) : code;

    private static OpenDataSeatsRowDto Sum(string code, IEnumerable<OpenDataSeatsRowDto> rows)
    {
        var list = rows.ToList();
        return new OpenDataSeatsRowDto(code, list.FirstOrDefault()?.AreaNameKy ?? code, list.FirstOrDefault()?.AreaNameRu ?? code, "", 0,
            list.Sum(r => r.Programs), list.Sum(r => r.ApprovedSeats), list.Sum(r => r.Offers), list.Sum(r => r.Enrolled), list.Sum(r => r.FreeSeats),
            list.Sum(r => r.Applications), list.Sum(r => r.Privileged));
    }

    private static class OpenDataRowsName
    {
        public const string National = "KG";
    }
}

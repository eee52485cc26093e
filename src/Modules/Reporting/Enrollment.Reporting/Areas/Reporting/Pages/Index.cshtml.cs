using System.Globalization;
using System.Text.Json;
using Enrollment.Reporting.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Enrollment.Reporting.Areas.Reporting.Pages;

/// <summary>The reporting dashboard: schools per region, and charts of applications per day, fill rate and seats by language.</summary>
internal sealed class IndexModel(IMediator mediator, IStringLocalizer<ReportingResources> text) : PageModel
{
    public IReadOnlyList<RegionSummaryDto> Regions { get; private set; } = [];
    public string DailyJson { get; private set; } = "{}";
    public string FillJson { get; private set; } = "{}";
    public string LanguageJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Regions = await mediator.Send(new GetRegionSummaries(), ct);
        var ky = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ky";

        var daily = await mediator.Send(new GetOpenDataDaily(), ct);
        var days = daily.Select(d => d.Day).Distinct().Order().ToList();
        var regionNames = Regions.ToDictionary(r => r.RegionCode, r => ky ? r.NameKy : r.NameRu);
        DailyJson = JsonSerializer.Serialize(new
        {
            labels = days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            datasets = daily.GroupBy(d => d.RegionCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new
            {
                label = regionNames.GetValueOrDefault(g.Key, g.Key),
                data = days.Select(day => g.Where(x => x.Day == day).Sum(x => x.Submitted)),
            }),
        });

        var districts = (await mediator.Send(new GetOpenDataSeats(AreaLevel.District), ct))
            .GroupBy(r => r.AreaCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new { Name = ky ? g.First().AreaNameKy : g.First().AreaNameRu, Approved = g.Sum(r => r.ApprovedSeats), Taken = g.Sum(r => r.Offers + r.Enrolled) })
            .Where(d => d.Approved > 0).ToList();
        FillJson = JsonSerializer.Serialize(new
        {
            labels = districts.Select(d => d.Name),
            datasets = new[] { new { label = "", data = districts.Select(d => Math.Round(100.0 * d.Taken / d.Approved, 1)) } },
        });

        var languages = (await mediator.Send(new GetOpenDataSeats(AreaLevel.National), ct))
            .GroupBy(r => r.Language).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        LanguageJson = JsonSerializer.Serialize(new
        {
            labels = languages.Select(g => g.Key),
            datasets = new object[]
            {
                new { label = text["ApprovedSeats"].Value, data = languages.Select(g => g.Sum(r => r.ApprovedSeats)) },
                new { label = text["Applications"].Value, data = languages.Select(g => g.Sum(r => r.Applications)) },
            },
        });
    }
}

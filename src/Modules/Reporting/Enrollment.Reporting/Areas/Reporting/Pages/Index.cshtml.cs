using System.Globalization;
using Enrollment.Quotas.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Features;
using Enrollment.Reporting.Features.Export;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Enrollment.Reporting.Areas.Reporting.Pages;

/// <summary>The reporting dashboard: schools per region, and charts of applications per day, fill rate, seats by language and seats vs eligible children by language.</summary>
internal sealed class IndexModel(IMediator mediator, IReportingSources sources, IStringLocalizer<ReportingResources> text) : PageModel
{
    public IReadOnlyList<RegionSummaryDto> Regions { get; private set; } = [];
    public string DailyJson { get; private set; } = "{}";
    public string FillJson { get; private set; } = "{}";
    public string LanguageJson { get; private set; } = "{}";
    public IReadOnlyList<QuotaRollupRowDto> SeatsVsEligible { get; private set; } = [];
    public string SeatsVsEligibleJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Regions = await mediator.Send(new GetRegionSummaries(), ct);
        var ky = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ky";

        var daily = await mediator.Send(new GetOpenDataDaily(), ct);
        DailyJson = Charts.DailyByRegion(daily, Regions.ToDictionary(r => r.RegionCode, r => ky ? r.NameKy : r.NameRu));

        var districts = (await mediator.Send(new GetOpenDataSeats(AreaLevel.District), ct))
            .GroupBy(r => r.AreaCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new { Name = ky ? g.First().AreaNameKy : g.First().AreaNameRu, Approved = g.Sum(r => r.ApprovedSeats), Taken = g.Sum(r => r.Offers + r.Enrolled) })
            .Where(d => d.Approved > 0).ToList();
        FillJson = Charts.Json(districts.Select(d => d.Name), [new Charts.Dataset("", [.. districts.Select(d => Math.Round(100.0 * d.Taken / d.Approved, 1))])]);

        var languages = (await mediator.Send(new GetOpenDataSeats(AreaLevel.National), ct))
            .GroupBy(r => r.Language).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        LanguageJson = Charts.Json(languages.Select(g => g.Key),
        [
            new Charts.Dataset(text["ApprovedSeats"].Value, [.. languages.Select(g => (double)g.Sum(r => r.ApprovedSeats))]),
            new Charts.Dataset(text["Applications"].Value, [.. languages.Select(g => (double)g.Sum(r => r.Applications))]),
        ]);

        SeatsVsEligible = await sources.SeatsVsEligibleByLanguageAsync(ct);
        SeatsVsEligibleJson = Charts.Json(SeatsVsEligible.Select(r => r.Key),
        [
            new Charts.Dataset(text["ApprovedSeats"].Value, [.. SeatsVsEligible.Select(r => (double)r.ApprovedSeats)]),
            new Charts.Dataset(text["EligibleChildren"].Value, [.. SeatsVsEligible.Select(r => (double)(r.EligibleChildren ?? 0))]),
        ]);
    }
}

using System.Globalization;
using System.Text.Json;
using Enrollment.Reporting.Contracts;

namespace Enrollment.Reporting.Features.Export;

/// <summary>Chart data as the pages embed it (JSON in a non-executed script element, read by /open-data/open-data.js).</summary>
internal static class Charts
{
    /// <summary>Applications per day, one stacked dataset per region.</summary>
    public static string DailyByRegion(IReadOnlyList<DailyApplicationsDto> daily, IReadOnlyDictionary<string, string> regionNames)
    {
        var days = daily.Select(d => d.Day).Distinct().Order().ToList();
        return Json(days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            daily.GroupBy(d => d.RegionCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Dataset(
                regionNames.GetValueOrDefault(g.Key, g.Key), [.. days.Select(day => (double)g.Where(x => x.Day == day).Sum(x => x.Submitted))])));
    }

    public static string Json(IEnumerable<string> labels, IEnumerable<Dataset> datasets) =>
        JsonSerializer.Serialize(new { labels, datasets = datasets.Select(d => new { label = d.Label, data = d.Data }) })
            .Replace("</", "<\\/", StringComparison.Ordinal);

    internal sealed record Dataset(string Label, IReadOnlyList<double> Data);
}

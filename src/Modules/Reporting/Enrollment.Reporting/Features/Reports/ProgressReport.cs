using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Features.Export;
using Enrollment.Reporting.Features.OpenData;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features.Reports;

internal enum ReportDimension
{
    Region,
    District,
    School,
    Language,
    Stage,
    Status,
    PriorityCategory,
}

/// <summary>One row of the campaign progress: applications per status, privileged children, total.</summary>
internal sealed record ProgressRow(string Key, string Name, IReadOnlyList<int> ByStatus, int Privileged, int Total);

internal sealed record DayCount(DateOnly Day, int Submitted);

/// <summary>
/// Campaign progress by one dimension with a column per status, and the day-by-day series of submissions; a district
/// officer's report is always their district's (<see cref="DistrictCode"/>).
/// </summary>
internal sealed record ProgressReport(ReportDimension By, string? DistrictCode, IReadOnlyList<string> Statuses, IReadOnlyList<ProgressRow> Rows,
    IReadOnlyList<DayCount> Daily)
{
    public Table ToTable() => new(
        [By.ToString(), "name", .. Statuses, "privileged", "total"],
        [.. Rows.Select(r => new object?[] { r.Key, r.Name }.Concat(r.ByStatus.Cast<object?>()).Append(r.Privileged).Append(r.Total).ToArray())]);

    public Table DailyTable() => Table.From(Daily, ("day", d => d.Day), ("submitted", d => d.Submitted));
}

internal sealed record GetProgressReport(ReportDimension By, string? DistrictCode = null) : IQuery<ProgressReport>;

internal sealed class GetProgressReportHandler(OpenDataReader reader, ICurrentUser user) : IQueryHandler<GetProgressReport, ProgressReport>
{
    /// <summary>Statuses in the order of the lifecycle (drafts are not applications yet).</summary>
    public static readonly ApplicationStatus[] Statuses = [.. Enum.GetValues<ApplicationStatus>().Where(s => s != ApplicationStatus.Draft)];

    public async ValueTask<ProgressReport> Handle(GetProgressReport query, CancellationToken ct)
    {
        var district = Scope(user, query.DistrictCode);
        var facts = await reader.FactsAsync(null, district, ct);
        var keyed = query.By switch
        {
            ReportDimension.Region => facts.Select(f => new { Key = f.RegionCode ?? "", f.Status, f.Privileged }),
            ReportDimension.District => facts.Select(f => new { Key = f.DistrictCode ?? "", f.Status, f.Privileged }),
            ReportDimension.School => facts.Select(f => new { Key = f.SchoolCode ?? "", f.Status, f.Privileged }),
            ReportDimension.Language => facts.Select(f => new { Key = f.Language ?? "", f.Status, f.Privileged }),
            ReportDimension.Stage => facts.Select(f => new { Key = f.Stage ?? "", f.Status, f.Privileged }),
            ReportDimension.Status => facts.Select(f => new { Key = "", f.Status, f.Privileged }),
            _ => facts.Select(f => new { Key = f.PriorityCategory ?? "", f.Status, f.Privileged }),
        };
        var groups = await keyed.GroupBy(k => new { k.Key, k.Status })
            .Select(g => new { g.Key.Key, g.Key.Status, Count = g.Count(), Privileged = g.Count(x => x.Privileged) })
            .ToListAsync(ct);
        if (query.By == ReportDimension.Status)
        {
            groups = [.. groups.Select(g => g with { Key = g.Status.ToString() })];
        }

        var names = await NamesAsync(query.By, ct);
        var rows = groups.GroupBy(g => g.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ProgressRow(
            g.Key, names(g.Key), [.. Statuses.Select(s => g.Where(x => x.Status == s).Sum(x => x.Count))],
            g.Sum(x => x.Privileged), g.Sum(x => x.Count))).ToList();

        var daily = await facts.Where(f => f.SubmittedOn != null).GroupBy(f => f.SubmittedOn)
            .Select(g => new { Day = g.Key!.Value, Count = g.Count() }).ToListAsync(ct);
        return new ProgressReport(query.By, district, [.. Statuses.Select(s => s.ToString())], rows,
            [.. daily.OrderBy(d => d.Day).Select(d => new DayCount(d.Day, d.Count))]);
    }

    /// <summary>The ministry and analysts see every district (or the one they ask for); a district officer only theirs.</summary>
    public static string? Scope(ICurrentUser user, string? requested)
    {
        if (user.IsInRole(Roles.MinistryAdmin) || user.IsInRole(Roles.Analyst))
        {
            return string.IsNullOrWhiteSpace(requested) ? null : requested;
        }

        if (user.IsInRole(Roles.DistrictOfficer) && user.DistrictCode is { } own)
        {
            return string.IsNullOrWhiteSpace(requested) || requested == own ? own : throw new AccessDenied($"District {requested} is not yours.");
        }

        throw new AccessDenied("Reports are for the ministry, analysts and district officers.");
    }

    private async Task<Func<string, string>> NamesAsync(ReportDimension by, CancellationToken ct)
    {
        var ky = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ky";
        var level = by switch { ReportDimension.Region => AreaLevel.Region, ReportDimension.District => AreaLevel.District, ReportDimension.School => AreaLevel.School, _ => (AreaLevel?)null };
        if (level is null)
        {
            return key => key;
        }

        var names = await reader.NamesAsync(level.Value, ct);
        return key => ky ? names(key).Ky : names(key).Ru;
    }
}

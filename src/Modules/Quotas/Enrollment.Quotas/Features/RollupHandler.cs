using Enrollment.BuildingBlocks.Security;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Features;

/// <summary>Eligible children per micro-district school, read through the Registry Contracts (a seam so handler tests need no Registry).</summary>
internal interface IEligibleChildren
{
    Task<IReadOnlyList<EligibleChildrenDto>> BySchoolAsync(DateOnly birthFrom, DateOnly birthTo, CancellationToken ct);
}

internal sealed class MediatorEligibleChildren(ISender sender) : IEligibleChildren
{
    public async Task<IReadOnlyList<EligibleChildrenDto>> BySchoolAsync(DateOnly birthFrom, DateOnly birthTo, CancellationToken ct) =>
        await sender.Send(new GetEligibleChildrenBySchool(birthFrom, birthTo), ct);
}

/// <summary>
/// Seats against eligible children by region, district (each split by language) or language (docs/adr/0202). The children of a
/// school's micro-district are shared over its languages in proportion to its approved seats (equally while it has none), so a
/// row's shortfall says which language's classes the area lacks.
/// </summary>
internal sealed class GetQuotaRollupHandler(QuotasDbContext db, CurrentCampaign current, ICurrentUser user, ISchoolDirectory schools, IEligibleChildren eligible)
    : IQueryHandler<GetQuotaRollup, IReadOnlyList<QuotaRollupRowDto>>
{
    public async ValueTask<IReadOnlyList<QuotaRollupRowDto>> Handle(GetQuotaRollup query, CancellationToken ct)
    {
        var campaign = await current.FindAsync(ct);
        if (campaign is null)
        {
            return [];
        }

        var q = db.Quotas.AsNoTracking().Where(x => x.CampaignId == campaign.Id);
        var district = user.IsInRole(Roles.DistrictOfficer) && !user.IsMinistry() && !user.IsInRole(Roles.Analyst)
            ? user.DistrictCode ?? "-"
            : query.DistrictCode;
        if (!string.IsNullOrEmpty(district))
        {
            q = q.Where(x => x.DistrictCode == district);
        }

        var quotas = await q.Select(x => new { x.RegionCode, x.DistrictCode, x.SchoolCode, x.Language, x.ApprovedClasses, x.ApprovedSeats, x.Seats, x.Status })
            .ToListAsync(ct);
        var children = await ChildrenAsync(campaign.EligibleBirthFrom, campaign.EligibleBirthTo, district,
            quotas.Where(x => x.ApprovedSeats > 0).Select(x => (x.SchoolCode, x.Language, x.ApprovedSeats)), ct);

        (string, string?) KeyOf(string region, string districtCode, string language) => query.Level switch
        {
            RollupLevel.Region => (region, language),
            RollupLevel.District => (districtCode, language),
            _ => (language, null),
        };

        var seats = quotas.GroupBy(x => KeyOf(x.RegionCode, x.DistrictCode, x.Language)).ToDictionary(g => g.Key);
        var kids = children.GroupBy(c => KeyOf(c.Region, c.District, c.Language)).ToDictionary(g => g.Key, g => g.Sum(c => c.Children));
        return [.. seats.Keys.Union(kids.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2, StringComparer.Ordinal)
            .Select(k =>
            {
                var g = seats.GetValueOrDefault(k)?.ToList() ?? [];
                var approved = g.Sum(x => x.ApprovedSeats);
                var eligibleChildren = (int)Math.Round(kids.GetValueOrDefault(k), MidpointRounding.AwayFromZero);
                var shortfall = Math.Max(0, eligibleChildren - approved);
                return new QuotaRollupRowDto(k.Item1, k.Item2, g.Select(x => x.SchoolCode).Distinct().Count(), g.Sum(x => x.ApprovedClasses), approved,
                    g.Where(x => x.Status != QuotaStatus.Approved).Sum(x => x.Seats), eligibleChildren, shortfall,
                    (shortfall + campaign.ClassSizeLimit - 1) / campaign.ClassSizeLimit);
            })];
    }

    /// <summary>Each micro-district school's eligible children, shared over its languages (by approved seats, else equally).</summary>
    private async Task<IReadOnlyList<(string Region, string District, string Language, double Children)>> ChildrenAsync(
        DateOnly from, DateOnly to, string? district, IEnumerable<(string School, string Language, int Seats)> approved, CancellationToken ct)
    {
        var counts = (await eligible.BySchoolAsync(from, to, ct)).Where(c => c.SchoolCode.Length > 0 && c.Children > 0).ToList();
        if (counts.Count == 0)
        {
            return [];
        }

        var info = (await schools.FindAsync([.. counts.Select(c => c.SchoolCode)], ct)).ToDictionary(s => s.Code, StringComparer.Ordinal);
        var seatsBySchool = approved.GroupBy(a => a.School, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => (a.Language, Weight: (double)a.Seats)).ToList(), StringComparer.Ordinal);
        var result = new List<(string, string, string, double)>();
        foreach (var count in counts)
        {
            if (!info.TryGetValue(count.SchoolCode, out var school) || (!string.IsNullOrEmpty(district) && school.DistrictCode != district))
            {
                continue;
            }

            var weights = seatsBySchool.GetValueOrDefault(count.SchoolCode) ?? [.. school.Languages.Select(l => (l, 1.0))];
            var total = weights.Sum(w => w.Weight);
            if (total <= 0)
            {
                continue;
            }

            result.AddRange(weights.Select(w => (school.RegionCode, school.DistrictCode, w.Language, count.Children * w.Weight / total)));
        }

        return result;
    }
}

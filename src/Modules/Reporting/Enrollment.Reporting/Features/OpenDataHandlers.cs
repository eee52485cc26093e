using Enrollment.BuildingBlocks.Time;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features;

/// <summary>Recomputes the region summary read model from the Schools Contracts. Idempotent: same input, same rows.</summary>
internal sealed record RefreshOpenData : ICommand<int>;

internal sealed class RefreshOpenDataHandler(ReportingDbContext db, IMediator mediator, IClock clock) : ICommandHandler<RefreshOpenData, int>
{
    public async ValueTask<int> Handle(RefreshOpenData command, CancellationToken ct)
    {
        var regions = await mediator.Send(new GetRegions(), ct);
        var districts = await mediator.Send(new GetDistricts(null), ct);
        var counts = await mediator.Send(new GetSchoolCounts(), ct);
        var now = clock.UtcNow;
        var existing = await db.RegionSummaries.ToDictionaryAsync(r => r.RegionCode, StringComparer.Ordinal, ct);
        foreach (var region in regions)
        {
            if (!existing.Remove(region.Code, out var row))
            {
                row = new RegionSummaryRow { RegionCode = region.Code, NameKy = region.NameKy, NameRu = region.NameRu };
                db.RegionSummaries.Add(row);
            }

            row.NameKy = region.NameKy;
            row.NameRu = region.NameRu;
            row.Districts = districts.Count(d => d.RegionCode == region.Code);
            row.Schools = counts.Where(c => c.RegionCode == region.Code).Sum(c => c.Schools);
            row.ParticipatingSchools = counts.Where(c => c.RegionCode == region.Code).Sum(c => c.ParticipatingSchools);
            row.UpdatedAt = now;
        }

        db.RegionSummaries.RemoveRange(existing.Values);
        var names = await db.Districts.ToDictionaryAsync(d => d.DistrictCode, StringComparer.Ordinal, ct);
        foreach (var district in districts)
        {
            if (!names.Remove(district.Code, out var d))
            {
                d = new DistrictRow { DistrictCode = district.Code, RegionCode = district.RegionCode, NameKy = district.NameKy, NameRu = district.NameRu };
                db.Districts.Add(d);
            }

            (d.RegionCode, d.NameKy, d.NameRu) = (district.RegionCode, district.NameKy, district.NameRu);
        }

        db.Districts.RemoveRange(names.Values);
        await db.SaveChangesAsync(ct);
        return regions.Count;
    }
}

/// <summary>Schools changed: refresh the open-data numbers within seconds.</summary>
internal sealed class WhenSchoolListChanged(IMediator mediator) : INotificationHandler<SchoolListChanged>
{
    public async ValueTask Handle(SchoolListChanged notification, CancellationToken ct) =>
        await mediator.Send(new RefreshOpenData(), ct);
}

internal sealed class GetRegionSummariesHandler(ReportingDbContext db) : IQueryHandler<GetRegionSummaries, IReadOnlyList<RegionSummaryDto>>
{
    public async ValueTask<IReadOnlyList<RegionSummaryDto>> Handle(GetRegionSummaries query, CancellationToken ct) =>
        await db.RegionSummaries.AsNoTracking().OrderBy(r => r.RegionCode)
            .Select(r => new RegionSummaryDto(r.RegionCode, r.NameKy, r.NameRu, r.Districts, r.Schools, r.ParticipatingSchools))
            .ToListAsync(ct);
}

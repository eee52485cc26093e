using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Enrollment.Quotas.Features;

/// <summary>
/// A short-lived per-host copy of one campaign's programs (quotas with approved seats) for the question every submit
/// asks — does each chosen school teach the first grade in that language (ADR 0204). Only a caller that asks for it
/// (<see cref="GetPrograms.FromHostCopy"/>: a parent's choice check) reads it; allocation, reporting, the admin and
/// the late-arrival enrollment always read the database. A quota saved through this process (or seeded) drops the copy
/// at once; another host's change is seen within <c>Quotas:ProgramsCacheSeconds</c> (default 1 s, 0 = always read).
/// </summary>
internal sealed class ProgramsCopy(IConfiguration configuration)
{
    private readonly HostCopy<Snapshot> _copy = new(configuration.GetValue<double?>("Quotas:ProgramsCacheSeconds"));

    /// <summary>Called when quotas were saved or seeded in this process (every host instance in the process re-reads).</summary>
    public static void Edited() => HostCopy<Snapshot>.Edited();

    /// <summary>The programs of <paramref name="schoolCodes"/> in the campaign, ordered as the database query orders them.</summary>
    public async Task<IReadOnlyList<ProgramDto>> GetAsync(QuotasDbContext db, Guid campaignId, IReadOnlyCollection<string> schoolCodes, CancellationToken ct)
    {
        var snapshot = await _copy.GetAsync(s => s.CampaignId == campaignId, async () =>
            new Snapshot(campaignId, (await Programs.Of(db, campaignId).ToListAsync(ct)).ToLookup(p => p.SchoolCode, StringComparer.Ordinal)));
        return [.. schoolCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).SelectMany(code => snapshot.BySchool[code])];
    }

    private sealed record Snapshot(Guid CampaignId, ILookup<string, ProgramDto> BySchool);
}

/// <summary>The programs query shared by <see cref="GetProgramsHandler"/> and <see cref="ProgramsCopy"/>.</summary>
internal static class Programs
{
    public static IQueryable<ProgramDto> Of(QuotasDbContext db, Guid campaignId, IReadOnlyList<string>? schoolCodes = null)
    {
        var q = db.Quotas.AsNoTracking().Where(x => x.CampaignId == campaignId && x.ApprovedSeats > 0);
        if (schoolCodes is not null)
        {
            q = q.Where(x => schoolCodes.Contains(x.SchoolCode));
        }

        return q.OrderBy(x => x.SchoolCode).ThenBy(x => x.Language).ThenBy(x => x.Grade)
            .Select(x => new ProgramDto(x.CampaignId, x.SchoolCode, x.DistrictCode, x.RegionCode, x.Language, x.Grade, x.ApprovedClasses, x.ApprovedSeats));
    }
}

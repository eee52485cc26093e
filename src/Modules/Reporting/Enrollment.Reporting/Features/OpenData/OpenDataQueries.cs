using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features.OpenData;

/// <summary>Reads of the read tables for the current campaign, shared by open data, reports and exports.</summary>
internal sealed class OpenDataReader(ReportingDbContext db, IReportingSources sources, OpenDataAnswers answers)
{
    public const string NationalCode = "KG";

    /// <summary>The version tag of the data behind the last table this reader answered with (the CSV downloads' ETag).</summary>
    public string? AnswerTag { get; private set; }

    public Task<IReadOnlyList<OpenDataApplicationsRowDto>> ApplicationsAsync(AreaLevel level, string? region, string? district, CancellationToken ct) =>
        AnswerAsync(new GetOpenDataApplications(level, region, district), () => ComputeApplicationsAsync(level, region, district, CancellationToken.None), ct);

    public Task<IReadOnlyList<OpenDataSeatsRowDto>> SeatsAsync(AreaLevel level, string? region, string? district, CancellationToken ct) =>
        AnswerAsync(new GetOpenDataSeats(level, region, district), () => ComputeSeatsAsync(level, region, district, CancellationToken.None), ct);

    public Task<IReadOnlyList<OpenDataProgramDto>> ProgramListAsync(GetOpenDataPrograms q, CancellationToken ct) =>
        AnswerAsync(q, () => ComputeProgramListAsync(q, CancellationToken.None), ct);

    public Task<IReadOnlyList<DailyApplicationsDto>> DailyAsync(string? region, CancellationToken ct) =>
        AnswerAsync(new GetOpenDataDaily(region), () => ComputeDailyAsync(region, CancellationToken.None), ct);

    /// <summary>
    /// The answer to <paramref name="query"/> from <see cref="OpenDataAnswers"/> (computed at most once per maximum age). The
    /// computation is shared by every request waiting for it, so one caller's cancellation does not cancel it.
    /// </summary>
    private async Task<IReadOnlyList<T>> AnswerAsync<T>(object query, Func<Task<IReadOnlyList<T>>> compute, CancellationToken ct)
    {
        // Not awaited with the caller's token: the computation runs on the first caller's context, which must outlive it.
        ct.ThrowIfCancellationRequested();
        var (value, tag) = await answers.GetAsync(query, () => VersionTagAsync(CancellationToken.None), async () => await compute());
        AnswerTag = tag;
        return (IReadOnlyList<T>)value;
    }

    private Guid? _campaign;
    private bool _campaignLoaded;

    public async Task<Guid?> CampaignIdAsync(CancellationToken ct)
    {
        if (!_campaignLoaded)
        {
            _campaign = (await sources.CurrentCampaignAsync(ct))?.Id;
            _campaignLoaded = true;
        }

        return _campaign;
    }

    public async Task<IQueryable<ApplicationFactRow>> FactsAsync(string? regionCode, string? districtCode, CancellationToken ct)
    {
        var campaign = await CampaignIdAsync(ct) ?? Guid.Empty;
        var q = db.ApplicationFacts.AsNoTracking().Where(f => f.CampaignId == campaign && f.Status != ApplicationStatus.Draft);
        if (regionCode is not null) q = q.Where(f => f.RegionCode == regionCode);
        if (districtCode is not null) q = q.Where(f => f.DistrictCode == districtCode);
        return q;
    }

    public async Task<IQueryable<ProgramFactRow>> ProgramsAsync(string? regionCode, string? districtCode, CancellationToken ct)
    {
        var campaign = await CampaignIdAsync(ct) ?? Guid.Empty;
        var q = db.ProgramFacts.AsNoTracking().Where(p => p.CampaignId == campaign);
        if (regionCode is not null) q = q.Where(p => p.RegionCode == regionCode);
        if (districtCode is not null) q = q.Where(p => p.DistrictCode == districtCode);
        return q;
    }

    public static IQueryable<AreaKeyed> ByArea(IQueryable<ApplicationFactRow> q, AreaLevel level) => level switch
    {
        // Raw columns (no COALESCE) so SQLite groups straight off the covering open-data indexes; nulls are mapped in memory.
        AreaLevel.Region => q.Select(f => new AreaKeyed { Area = f.RegionCode, Language = f.Language, Grade = f.Grade, Stage = f.Stage, Status = f.Status, Privileged = f.Privileged }),
        AreaLevel.District => q.Select(f => new AreaKeyed { Area = f.DistrictCode, Language = f.Language, Grade = f.Grade, Stage = f.Stage, Status = f.Status, Privileged = f.Privileged }),
        AreaLevel.School => q.Select(f => new AreaKeyed { Area = f.SchoolCode, Language = f.Language, Grade = f.Grade, Stage = f.Stage, Status = f.Status, Privileged = f.Privileged }),
        _ => q.Select(f => new AreaKeyed { Area = null, Language = f.Language, Grade = f.Grade, Stage = f.Stage, Status = f.Status, Privileged = f.Privileged }),
    };

    public static IQueryable<ProgramKeyed> ByArea(IQueryable<ProgramFactRow> q, AreaLevel level) => level switch
    {
        AreaLevel.Region => q.Select(p => new ProgramKeyed { Area = p.RegionCode, Language = p.Language, Grade = p.Grade, ApprovedSeats = p.ApprovedSeats, Offers = p.Offers, Enrolled = p.Enrolled, FreeSeats = p.FreeSeats }),
        AreaLevel.District => q.Select(p => new ProgramKeyed { Area = p.DistrictCode, Language = p.Language, Grade = p.Grade, ApprovedSeats = p.ApprovedSeats, Offers = p.Offers, Enrolled = p.Enrolled, FreeSeats = p.FreeSeats }),
        AreaLevel.School => q.Select(p => new ProgramKeyed { Area = p.SchoolCode, Language = p.Language, Grade = p.Grade, ApprovedSeats = p.ApprovedSeats, Offers = p.Offers, Enrolled = p.Enrolled, FreeSeats = p.FreeSeats }),
        _ => q.Select(p => new ProgramKeyed { Area = NationalCode, Language = p.Language, Grade = p.Grade, ApprovedSeats = p.ApprovedSeats, Offers = p.Offers, Enrolled = p.Enrolled, FreeSeats = p.FreeSeats }),
    };

    private static string AreaCode(AreaLevel level, string? area) => level == AreaLevel.National ? NationalCode : area ?? "";

    /// <summary>Names of the areas of a level (national: the country's name).</summary>
    public async Task<Func<string, (string Ky, string Ru)>> NamesAsync(AreaLevel level, CancellationToken ct)
    {
        Dictionary<string, (string, string)> names = level switch
        {
            AreaLevel.Region => await db.RegionSummaries.AsNoTracking().ToDictionaryAsync(r => r.RegionCode, r => (r.NameKy, r.NameRu), ct),
            AreaLevel.District => await db.Districts.AsNoTracking().ToDictionaryAsync(d => d.DistrictCode, d => (d.NameKy, d.NameRu), ct),
            AreaLevel.School => (await (await ProgramsAsync(null, null, ct)).Select(p => new { p.SchoolCode, p.SchoolNameKy, p.SchoolNameRu }).Distinct().ToListAsync(ct))
                .DistinctBy(p => p.SchoolCode).ToDictionary(p => p.SchoolCode, p => (p.SchoolNameKy, p.SchoolNameRu)),
            _ => new() { [NationalCode] = ("Кыргыз Республикасы", "Кыргызская Республика") },
        };
        return code => names.TryGetValue(code, out var n) ? n : (code, code);
    }

    private async Task<IReadOnlyList<OpenDataApplicationsRowDto>> ComputeApplicationsAsync(AreaLevel level, string? region, string? district, CancellationToken ct)
    {
        var rows = await ByArea(await FactsAsync(region, district, ct), level)
            .GroupBy(k => new { k.Area, k.Language, k.Grade, k.Stage, k.Status })
            .Select(g => new { g.Key, Count = g.Count(), Privileged = g.Count(x => x.Privileged) })
            .ToListAsync(ct);
        var name = await NamesAsync(level, ct);
        return [.. rows
            .Select(r => (Area: AreaCode(level, r.Key.Area), r.Key.Language, r.Key.Grade, r.Key.Stage, r.Key.Status, r.Count, r.Privileged))
            .Select(r => new OpenDataApplicationsRowDto(r.Area, name(r.Area).Ky, name(r.Area).Ru, r.Language ?? "", r.Grade ?? 0, r.Stage ?? "",
                r.Status.ToString(), r.Count, r.Privileged))
            .OrderBy(r => r.AreaCode, StringComparer.Ordinal).ThenBy(r => r.Language, StringComparer.Ordinal).ThenBy(r => r.Grade)
            .ThenBy(r => r.Stage, StringComparer.Ordinal).ThenBy(r => r.Status, StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<OpenDataSeatsRowDto>> ComputeSeatsAsync(AreaLevel level, string? region, string? district, CancellationToken ct)
    {
        var seats = await ByArea(await ProgramsAsync(region, district, ct), level)
            .GroupBy(k => new { k.Area, k.Language, k.Grade })
            .Select(g => new
            {
                g.Key, Programs = g.Count(), Approved = g.Sum(x => x.ApprovedSeats), Offers = g.Sum(x => x.Offers),
                Enrolled = g.Sum(x => x.Enrolled), Free = g.Sum(x => x.FreeSeats),
            })
            .ToListAsync(ct);
        var applications = (await ByArea(await FactsAsync(region, district, ct), level)
                .GroupBy(k => new { k.Area, k.Language, k.Grade })
                .Select(g => new { g.Key.Area, g.Key.Language, g.Key.Grade, Count = g.Count(), Privileged = g.Count(x => x.Privileged) })
                .ToListAsync(ct))
            .GroupBy(a => (Area: AreaCode(level, a.Area), Language: a.Language ?? "", Grade: a.Grade ?? 0))
            .ToDictionary(g => g.Key, g => (Area: g.Key.Area, g.Key.Language, g.Key.Grade, Count: g.Sum(x => x.Count), Privileged: g.Sum(x => x.Privileged)));
        var name = await NamesAsync(level, ct);
        var result = new List<OpenDataSeatsRowDto>();
        foreach (var s in seats)
        {
            var found = applications.Remove((s.Key.Area, s.Key.Language, s.Key.Grade), out var a);
            result.Add(new OpenDataSeatsRowDto(s.Key.Area, name(s.Key.Area).Ky, name(s.Key.Area).Ru, s.Key.Language, s.Key.Grade, s.Programs,
                s.Approved, s.Offers, s.Enrolled, s.Free, found ? a.Count : 0, found ? a.Privileged : 0));
        }

        // Applications whose first choice has no program with seats (e.g. the quota went to zero) still count.
        result.AddRange(applications.Values.Select(a =>
            new OpenDataSeatsRowDto(a.Area, name(a.Area).Ky, name(a.Area).Ru, a.Language, a.Grade, 0, 0, 0, 0, 0, a.Count, a.Privileged)));
        return [.. result.OrderBy(r => r.AreaCode, StringComparer.Ordinal).ThenBy(r => r.Language, StringComparer.Ordinal).ThenBy(r => r.Grade)];
    }

    private async Task<IReadOnlyList<OpenDataProgramDto>> ComputeProgramListAsync(GetOpenDataPrograms q, CancellationToken ct)
    {
        var programs = await ProgramsAsync(q.RegionCode, q.DistrictCode, ct);
        if (q.SchoolCode is not null) programs = programs.Where(p => p.SchoolCode == q.SchoolCode);
        if (q.Language is not null) programs = programs.Where(p => p.Language == q.Language);
        if (q.OnlyWithFreeSeats) programs = programs.Where(p => p.FreeSeats > 0);
        return await programs.OrderBy(p => p.RegionCode).ThenBy(p => p.DistrictCode).ThenBy(p => p.SchoolCode).ThenBy(p => p.Language).ThenBy(p => p.Grade)
            .Select(p => new OpenDataProgramDto(p.SchoolCode, p.SchoolNameKy, p.SchoolNameRu, p.DistrictCode, p.RegionCode, p.Language, p.Grade,
                p.ApprovedSeats, p.Offers, p.Enrolled, p.FreeSeats))
            .ToListAsync(ct);
    }

    private async Task<IReadOnlyList<DailyApplicationsDto>> ComputeDailyAsync(string? region, CancellationToken ct)
    {
        var campaign = await CampaignIdAsync(ct) ?? Guid.Empty;
        var q = db.DailyApplications.AsNoTracking().Where(d => d.CampaignId == campaign);
        if (region is not null) q = q.Where(d => d.RegionCode == region);
        return await q.OrderBy(d => d.Day).ThenBy(d => d.RegionCode).Select(d => new DailyApplicationsDto(d.Day, d.RegionCode, d.Submitted)).ToListAsync(ct);
    }

    /// <summary>Changes whenever any read table changes (every writer bumps it): the ETag of open data.</summary>
    public async Task<string> VersionTagAsync(CancellationToken ct)
    {
        var version = await db.Versions.AsNoTracking().Where(v => v.Id == 1).Select(v => (long?)v.Version).SingleOrDefaultAsync(ct) ?? 0;
        var regions = await db.RegionSummaries.AsNoTracking().MaxAsync(r => (DateTimeOffset?)r.UpdatedAt, ct);
        return $"{await CampaignIdAsync(ct):N}.{version}.{regions?.UtcTicks ?? 0}";
    }
}

internal sealed class AreaKeyed
{
    public string? Area { get; init; }
    public string? Language { get; init; }
    public int? Grade { get; init; }
    public string? Stage { get; init; }
    public ApplicationStatus Status { get; init; }
    public bool Privileged { get; init; }
}

internal sealed class ProgramKeyed
{
    public required string Area { get; init; }
    public required string Language { get; init; }
    public int Grade { get; init; }
    public int ApprovedSeats { get; init; }
    public int Offers { get; init; }
    public int Enrolled { get; init; }
    public int FreeSeats { get; init; }
}

internal sealed class GetOpenDataApplicationsHandler(OpenDataReader reader) : IQueryHandler<GetOpenDataApplications, IReadOnlyList<OpenDataApplicationsRowDto>>
{
    public async ValueTask<IReadOnlyList<OpenDataApplicationsRowDto>> Handle(GetOpenDataApplications q, CancellationToken ct) =>
        await reader.ApplicationsAsync(q.Level, q.RegionCode, q.DistrictCode, ct);
}

internal sealed class GetOpenDataSeatsHandler(OpenDataReader reader) : IQueryHandler<GetOpenDataSeats, IReadOnlyList<OpenDataSeatsRowDto>>
{
    public async ValueTask<IReadOnlyList<OpenDataSeatsRowDto>> Handle(GetOpenDataSeats q, CancellationToken ct) =>
        await reader.SeatsAsync(q.Level, q.RegionCode, q.DistrictCode, ct);
}

internal sealed class GetOpenDataProgramsHandler(OpenDataReader reader) : IQueryHandler<GetOpenDataPrograms, IReadOnlyList<OpenDataProgramDto>>
{
    public async ValueTask<IReadOnlyList<OpenDataProgramDto>> Handle(GetOpenDataPrograms q, CancellationToken ct) => await reader.ProgramListAsync(q, ct);
}

internal sealed class GetOpenDataDailyHandler(OpenDataReader reader) : IQueryHandler<GetOpenDataDaily, IReadOnlyList<DailyApplicationsDto>>
{
    public async ValueTask<IReadOnlyList<DailyApplicationsDto>> Handle(GetOpenDataDaily q, CancellationToken ct) => await reader.DailyAsync(q.RegionCode, ct);
}

internal sealed class GetReportingAreasHandler(ReportingDbContext db) : IQueryHandler<GetReportingAreas, ReportingAreasDto>
{
    public async ValueTask<ReportingAreasDto> Handle(GetReportingAreas q, CancellationToken ct) => new(
        await db.RegionSummaries.AsNoTracking().OrderBy(r => r.RegionCode).Select(r => new AreaNameDto(r.RegionCode, OpenDataReader.NationalCode, r.NameKy, r.NameRu)).ToListAsync(ct),
        await db.Districts.AsNoTracking().OrderBy(d => d.DistrictCode).Select(d => new AreaNameDto(d.DistrictCode, d.RegionCode, d.NameKy, d.NameRu)).ToListAsync(ct));
}

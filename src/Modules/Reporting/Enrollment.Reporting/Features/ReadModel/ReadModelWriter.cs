using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Schools.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features.ReadModel;

/// <summary>
/// The only code that writes the read tables: applies one application fact (incremental), refreshes program seats, and
/// rebuilds everything from the Contracts queries. Incremental and rebuild share <see cref="Copy"/> and
/// <see cref="DailyCells"/>, so they cannot disagree on what a fact means.
/// </summary>
internal sealed class ReadModelWriter(ReportingDbContext db, IReportingSources sources, IClock clock)
{
    /// <summary>
    /// Applies a fact if its version (<paramref name="at"/>, then <paramref name="sequence"/> in the application's history,
    /// then <paramref name="historyId"/>) is newer than the stored one.
    /// A replay (same history entry) or an older event changes nothing. Returns whether the row changed.
    /// </summary>
    public async Task<bool> ApplyAsync(ApplicationFactDto fact, DateTimeOffset at, Guid? historyId, int sequence, CancellationToken ct)
    {
        var row = await db.ApplicationFacts.SingleOrDefaultAsync(f => f.ApplicationId == fact.ApplicationId, ct);
        if (row is not null && !StatusChangeOrder.IsNewer(at, sequence, historyId, row.EventAt, row.EventSequence, row.HistoryId))
        {
            return false;
        }

        var schools = await SchoolMapAsync(SchoolCodes([fact]), ct);
        var cells = new HashSet<(Guid, DateOnly, string)>();
        if (row is null)
        {
            row = New(fact, schools);
            db.ApplicationFacts.Add(row);
        }
        else
        {
            cells.UnionWith(DailyCells([row]));
            Copy(fact, row, schools);
        }

        row.EventAt = at.ToUniversalTime();
        row.HistoryId = historyId;
        row.EventSequence = sequence;
        cells.UnionWith(DailyCells([row]));
        await db.SaveChangesAsync(ct);
        await RecountDaysAsync(cells, ct);
        await BumpVersionAsync(ct);
        return true;
    }

    /// <summary>Whether every one of the schools already has its programs in the read table (else they are read on first sight).</summary>
    public async Task<bool> HasProgramsAsync(Guid campaignId, IReadOnlyList<string> schoolCodes, CancellationToken ct) =>
        await db.ProgramFacts.Where(p => p.CampaignId == campaignId && schoolCodes.Contains(p.SchoolCode)).Select(p => p.SchoolCode).Distinct().CountAsync(ct)
        == schoolCodes.Count;

    /// <summary>Re-reads the seats of the campaign's programs (all, or only of <paramref name="schoolCodes"/>) from Quotas and Allocation.</summary>
    public async Task<int> RefreshProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct)
    {
        if (schoolCodes is { Count: 0 })
        {
            // No school concerned (a run or expiry batch that changed no offer). Allocation's GetProgramSeats reads an empty
            // list as "every school", so passing it on would re-insert every program's row next to the existing ones.
            return 0;
        }

        // The seats are read and written as one step, one refresh at a time: otherwise a refresh that read the seats earlier
        // can write after one that read them later and leave stale numbers until the hourly refresh (eight late arrivals
        // enrolled at once showed it, Races/LastSeatsRaceTests). One host on SQLite: this process's lock; several hosts
        // on PostgreSQL: a transaction-scoped advisory lock of the campaign taken before the seats are read.
        await ProgramRows.WaitAsync(ct);
        try
        {
            await using var transaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(ct) : null;
            await AdvisoryLock.TakeAsync(db.Database, 0x7E0A7E0A7E0A7E0AL, campaignId, ct);
            var count = await RefreshProgramsLockedAsync(campaignId, schoolCodes, ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return count;
        }
        finally
        {
            ProgramRows.Release();
        }
    }

    private static readonly SemaphoreSlim ProgramRows = new(1, 1);

    private async Task<int> RefreshProgramsLockedAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct)
    {
        var fresh = await LoadProgramsAsync(campaignId, schoolCodes, ct);
        var query = db.ProgramFacts.Where(p => p.CampaignId == campaignId);
        if (schoolCodes is not null)
        {
            query = query.Where(p => schoolCodes.Contains(p.SchoolCode));
        }

        var existing = await query.ToDictionaryAsync(p => (p.SchoolCode, p.Language, p.Grade), ct);
        foreach (var p in fresh)
        {
            if (existing.Remove((p.SchoolCode, p.Language, p.Grade), out var row))
            {
                if (row.SchoolNameKy != p.SchoolNameKy || row.SchoolNameRu != p.SchoolNameRu || row.DistrictCode != p.DistrictCode
                    || row.RegionCode != p.RegionCode || row.Classes != p.Classes || row.ApprovedSeats != p.ApprovedSeats
                    || row.Offers != p.Offers || row.Enrolled != p.Enrolled || row.FreeSeats != p.FreeSeats)
                {
                    (row.SchoolNameKy, row.SchoolNameRu, row.DistrictCode, row.RegionCode) = (p.SchoolNameKy, p.SchoolNameRu, p.DistrictCode, p.RegionCode);
                    (row.Classes, row.ApprovedSeats, row.Offers, row.Enrolled, row.FreeSeats) = (p.Classes, p.ApprovedSeats, p.Offers, p.Enrolled, p.FreeSeats);
                    row.UpdatedAt = p.UpdatedAt;
                }
            }
            else
            {
                db.ProgramFacts.Add(p);
            }
        }

        db.ProgramFacts.RemoveRange(existing.Values);
        await db.SaveChangesAsync(ct);
        await BumpVersionAsync(ct);
        return fresh.Count;
    }

    /// <summary>Replaces every read row of the current campaign with what the Contracts queries say now.</summary>
    public async Task<RebuildResult> RebuildAsync(CancellationToken ct)
    {
        var campaign = await sources.CurrentCampaignAsync(ct);
        if (campaign is null)
        {
            return new RebuildResult(null, 0, 0, 0);
        }

        var facts = await sources.ApplicationFactsAsync(campaign.Id, ct);
        var schools = await SchoolMapAsync(SchoolCodes(facts), ct);
        var rows = facts.Select(f =>
        {
            var row = New(f, schools);
            row.EventAt = f.UpdatedAt.ToUniversalTime();
            return row;
        }).ToList();
        var programs = await LoadProgramsAsync(campaign.Id, null, ct);
        var days = rows.Where(r => r.SubmittedOn is not null)
            .GroupBy(r => (r.SubmittedOn!.Value, r.RegionCode ?? ""))
            .Select(g => new DailyApplicationsRow { CampaignId = campaign.Id, Day = g.Key.Item1, RegionCode = g.Key.Item2, Submitted = g.Count() })
            .ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ApplicationFacts.Where(f => f.CampaignId == campaign.Id).ExecuteDeleteAsync(ct);
        await db.DailyApplications.Where(d => d.CampaignId == campaign.Id).ExecuteDeleteAsync(ct);
        await db.ProgramFacts.Where(p => p.CampaignId == campaign.Id).ExecuteDeleteAsync(ct);
        await BulkInsert.InsertAsync(db, rows, ct);
        await BulkInsert.InsertAsync(db, days, ct);
        await BulkInsert.InsertAsync(db, programs, ct);
        await BumpVersionAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new RebuildResult(campaign.Id, rows.Count, programs.Count, days.Count);
    }

    public async Task BumpVersionAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        if (await db.Versions.Where(v => v.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1).SetProperty(v => v.ChangedAt, now), ct) == 0)
        {
            var first = db.Versions.Add(new ReadModelVersionRow { Id = 1, Version = 1, ChangedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another writer created the row first (the very first events arrive together): count on it instead.
                first.State = EntityState.Detached;
                await db.Versions.Where(v => v.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1).SetProperty(v => v.ChangedAt, now), ct);
            }
        }
    }

    private async Task<List<ProgramFactRow>> LoadProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct)
    {
        var programs = await sources.ProgramsAsync(campaignId, schoolCodes, ct);
        var seats = (await sources.ProgramSeatsAsync(campaignId, schoolCodes, ct)).ToDictionary(s => (s.SchoolCode, s.Language, s.Grade));
        var schools = await SchoolMapAsync([.. programs.Select(p => p.SchoolCode).Concat(seats.Keys.Select(k => k.SchoolCode)).Distinct()], ct);
        var now = clock.UtcNow;
        var rows = new List<ProgramFactRow>();
        foreach (var p in programs)
        {
            seats.Remove((p.SchoolCode, p.Language, p.Grade), out var s);
            rows.Add(Program(campaignId, p.SchoolCode, p.Language, p.Grade, p.DistrictCode, p.RegionCode, p.Classes,
                s?.ApprovedSeats ?? p.ApprovedSeats, s?.HeldOffers ?? 0, s?.Enrolled ?? 0, s?.FreeSeats ?? p.ApprovedSeats));
        }

        // Seats Allocation knows of a program Quotas no longer lists (e.g. enrolled children after a quota went to zero).
        foreach (var s in seats.Values)
        {
            var school = schools.GetValueOrDefault(s.SchoolCode);
            rows.Add(Program(campaignId, s.SchoolCode, s.Language, s.Grade, school?.DistrictCode ?? "", school?.RegionCode ?? "", 0,
                s.ApprovedSeats, s.HeldOffers, s.Enrolled, s.FreeSeats));
        }

        return rows;

        ProgramFactRow Program(Guid campaign, string code, string language, int grade, string district, string region, int classes,
            int approved, int offers, int enrolled, int free)
        {
            var school = schools.GetValueOrDefault(code);
            return new ProgramFactRow
            {
                CampaignId = campaign, SchoolCode = code, Language = language, Grade = grade,
                SchoolNameKy = school?.NameKy ?? code, SchoolNameRu = school?.NameRu ?? code, DistrictCode = district, RegionCode = region,
                Classes = classes, ApprovedSeats = approved, Offers = offers, Enrolled = enrolled, FreeSeats = free, UpdatedAt = now,
            };
        }
    }

    /// <summary>
    /// Many submits of one morning land on the same (campaign, day, region) cell at once. Each cell is recounted from the
    /// facts and written one writer at a time in this process, inside a transaction (SQLite: BEGIN IMMEDIATE, so the count
    /// and the write see the same state); a write that still collides (another host on PostgreSQL) is recounted again.
    /// </summary>
    private static readonly SemaphoreSlim DayCells = new(1, 1);

    private async Task RecountDaysAsync(IReadOnlyCollection<(Guid Campaign, DateOnly Day, string Region)> cells, CancellationToken ct)
    {
        if (cells.Count == 0)
        {
            return;
        }

        await DayCells.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    await RecountDaysOnceAsync(cells, ct);
                    await transaction.CommitAsync(ct);
                    return;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    foreach (var entry in db.ChangeTracker.Entries<DailyApplicationsRow>().ToList())
                    {
                        entry.State = EntityState.Detached;
                    }
                }
            }
        }
        finally
        {
            DayCells.Release();
        }
    }

    private async Task RecountDaysOnceAsync(IEnumerable<(Guid Campaign, DateOnly Day, string Region)> cells, CancellationToken ct)
    {
        foreach (var (campaign, day, region) in cells)
        {
            var count = await db.ApplicationFacts.CountAsync(
                f => f.CampaignId == campaign && f.SubmittedOn == day && (f.RegionCode ?? "") == region, ct);
            var row = await db.DailyApplications.SingleOrDefaultAsync(d => d.CampaignId == campaign && d.Day == day && d.RegionCode == region, ct);
            if (row is null && count > 0)
            {
                db.DailyApplications.Add(new DailyApplicationsRow { CampaignId = campaign, Day = day, RegionCode = region, Submitted = count });
            }
            else if (row is not null && count == 0)
            {
                db.DailyApplications.Remove(row);
            }
            else if (row is not null)
            {
                row.Submitted = count;
            }
        }

        await db.SaveChangesAsync(ct);
    }

    internal static IEnumerable<(Guid, DateOnly, string)> DailyCells(IEnumerable<ApplicationFactRow> rows) =>
        rows.Where(r => r.SubmittedOn is not null).Select(r => (r.CampaignId, r.SubmittedOn!.Value, r.RegionCode ?? ""));

    private static List<string> SchoolCodes(IEnumerable<ApplicationFactDto> facts) =>
        [.. facts.SelectMany(f => f.Choices.Take(1).Select(c => c.SchoolCode).Concat(f.EnrolledProgram is { } e ? [e.SchoolCode] : [])).Distinct()];

    private async Task<Dictionary<string, SchoolDto>> SchoolMapAsync(IReadOnlyList<string> codes, CancellationToken ct)
    {
        var map = new Dictionary<string, SchoolDto>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(500))
        {
            foreach (var s in await sources.SchoolsAsync(chunk, ct))
            {
                map[s.Code] = s;
            }
        }

        return map;
    }

    private static ApplicationFactRow New(ApplicationFactDto fact, IReadOnlyDictionary<string, SchoolDto> schools)
    {
        var row = new ApplicationFactRow { ApplicationId = fact.ApplicationId, ChildKey = fact.ChildKey, Sex = "", Choices = "" };
        Copy(fact, row, schools);
        return row;
    }

    /// <summary>The one mapping from Registry's fact to the read row (incremental and rebuild).</summary>
    internal static void Copy(ApplicationFactDto fact, ApplicationFactRow row, IReadOnlyDictionary<string, SchoolDto> schools)
    {
        var first = fact.Choices.Count > 0 ? fact.Choices[0] : null;
        var school = first is null ? null : schools.GetValueOrDefault(first.SchoolCode);
        var enrolledSchool = fact.EnrolledProgram is { } e ? schools.GetValueOrDefault(e.SchoolCode) : null;
        row.CampaignId = fact.CampaignId;
        row.ChildKey = fact.ChildKey;
        row.BirthYear = fact.ChildBirthYear;
        row.Sex = fact.ChildSex.ToString();
        row.Status = fact.Status;
        row.Stage = fact.SubmittedInStage;
        row.SubmittedAt = fact.SubmittedAt?.ToUniversalTime();
        row.SubmittedOn = fact.SubmittedAt is { } at ? DateOnly.FromDateTime(Bishkek.ToLocal(at).DateTime) : null;
        row.SchoolCode = first?.SchoolCode;
        row.Language = first?.Language;
        row.Grade = first?.Grade;
        row.DistrictCode = school?.DistrictCode;
        row.RegionCode = school?.RegionCode;
        row.Choices = string.Join(';', fact.Choices.Select(c => $"{c.SchoolCode}/{c.Language}/{c.Grade}"));
        row.ChoiceCount = fact.Choices.Count;
        row.PriorityCategory = fact.PriorityCategory;
        row.PriorityVerified = fact.PriorityVerified;
        row.Privileged = fact.PriorityCategory is not null && fact.PriorityVerified;
        row.EnrolledSchoolCode = fact.EnrolledProgram?.SchoolCode;
        row.EnrolledLanguage = fact.EnrolledProgram?.Language;
        row.EnrolledGrade = fact.EnrolledProgram?.Grade;
        row.EnrolledDistrictCode = enrolledSchool?.DistrictCode;
        row.UpdatedAt = fact.UpdatedAt.ToUniversalTime();
    }
}

internal sealed record RebuildResult(Guid? CampaignId, int ApplicationFacts, int ProgramFacts, int Days);

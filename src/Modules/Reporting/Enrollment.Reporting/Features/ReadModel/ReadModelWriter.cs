using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Schools.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Features.ReadModel;

/// <summary>
/// The only code that writes the read tables: applies application status changes (incremental; one event or a batch),
/// refreshes program seats, and rebuilds everything from the Contracts queries. Incremental and rebuild share <see cref="Copy"/> and
/// <see cref="DailyCells"/>, so they cannot disagree on what a fact means.
/// </summary>
internal sealed class ReadModelWriter(ReportingDbContext db, IReportingSources sources, IClock clock, ReadModelCache cache)
{
    /// <summary>
    /// Applies status changes (one event, or a committed batch of them) in one transaction: a change is applied if its
    /// version (<see cref="ApplicationStatusChanged.At"/>, then its <see cref="ApplicationStatusChanged.Sequence"/> in the
    /// application's history, then its history id) is newer than the stored one — or than an earlier change of the same
    /// application in the list, which are applied in order. A replay (same history entry) or an older change changes
    /// nothing. The facts are read at once, the school map once, then one save, one recount of the day cells the
    /// applications leave and enter, and one version bump. Returns the changes that were applied.
    /// </summary>
    public async Task<IReadOnlyList<ApplicationStatusChanged>> ApplyAsync(IReadOnlyList<ApplicationStatusChanged> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        var schools = await CachedSchoolMapAsync(SchoolCodes(changes.Select(c => c.Application)), ct);

        // Many submits of one morning land on the same (campaign, day, region) cell at once. The facts are written and each
        // touched cell gets their change added, one writer at a time in this process, inside one transaction (ADR 0602); a
        // write that still collides (another host on PostgreSQL: the same first fact or day cell inserted twice) is done
        // again from the start.
        using (await Held.TakeAsync([DayCells], ct))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    IReadOnlyList<ApplicationStatusChanged> applied;
                    bool bumped;
                    await using (var transaction = await db.Database.BeginTransactionAsync(ct))
                    {
                        // Several hosts on PostgreSQL: changes of every host apply side by side (a shared lock), none while a
                        // rebuild on any host holds its snapshot (the rebuild takes the lock exclusively; see RebuildAsync).
                        await AdvisoryLock.TakeSharedAsync(db.Database, ReadModelFacts, null, ct);
                        applied = await ApplyLockedAsync(changes, schools, ct);
                        if (applied.Count == 0)
                        {
                            return applied;
                        }

                        bumped = await TryBumpVersionAsync(ct);
                        await transaction.CommitAsync(ct);
                    }

                    if (!bumped)
                    {
                        // The very first change: the version row is created outside (its insert may race another writer's).
                        await BumpVersionAsync(ct);
                    }

                    return applied;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    db.ChangeTracker.Clear();
                }
            }
        }
    }

    private static readonly SemaphoreSlim DayCells = new(1, 1);

    /// <summary>PostgreSQL advisory lock of the application facts and day cells: shared by changes, exclusive for a rebuild.</summary>
    private const long ReadModelFacts = 0x7E0AFAC7L;

    /// <summary>PostgreSQL advisory lock of a campaign's program rows (with the campaign): a seat refresh or a rebuild.</summary>
    private const long ProgramSeats = 0x7E0A7E0A7E0A7E0AL;

    private async Task<IReadOnlyList<ApplicationStatusChanged>> ApplyLockedAsync(
        IReadOnlyList<ApplicationStatusChanged> changes, IReadOnlyDictionary<string, SchoolDto> schools, CancellationToken ct)
    {
        List<Guid> ids = [.. changes.Select(c => c.Application.ApplicationId).Distinct()];
        var rows = await db.ApplicationFacts.Where(f => ids.Contains(f.ApplicationId)).ToDictionaryAsync(f => f.ApplicationId, ct);
        var cells = new Dictionary<(Guid, DateOnly, string), int>();
        var applied = new List<ApplicationStatusChanged>();
        foreach (var change in changes)
        {
            var fact = change.Application;
            if (rows.TryGetValue(fact.ApplicationId, out var row)
                && !StatusChangeOrder.IsNewer(change.At, change.Sequence, change.HistoryId, row.EventAt, row.EventSequence, row.HistoryId))
            {
                continue;
            }

            if (row is null)
            {
                row = New(fact, schools);
                db.ApplicationFacts.Add(row);
                rows[fact.ApplicationId] = row;
            }
            else
            {
                Count(cells, row, -1); // the cell the application leaves (if it moves)
                Copy(fact, row, schools);
            }

            row.EventAt = change.At.ToUniversalTime();
            row.HistoryId = change.HistoryId;
            row.EventSequence = change.Sequence;
            Count(cells, row, +1);
            applied.Add(change);
        }

        if (applied.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            await AddToDaysAsync(cells, ct);
        }

        return applied;
    }

    /// <summary>
    /// The schools of <paramref name="schoolCodes"/> without program rows of the campaign in the read table (they are read
    /// on first sight). Schools seen with programs are remembered (<see cref="ReadModelCache"/>), so the opening morning
    /// does not ask on every submit.
    /// </summary>
    public async Task<IReadOnlyList<string>> SchoolsWithoutProgramsAsync(Guid campaignId, IReadOnlyCollection<string> schoolCodes, CancellationToken ct)
    {
        var unknown = cache.SchoolsWithoutKnownPrograms(campaignId, schoolCodes);
        if (unknown.Count == 0)
        {
            return [];
        }

        var withPrograms = await db.ProgramFacts.Where(p => p.CampaignId == campaignId && unknown.Contains(p.SchoolCode))
            .Select(p => p.SchoolCode).Distinct().ToListAsync(ct);
        cache.RememberPrograms(campaignId, withPrograms);
        return [.. unknown.Except(withPrograms, StringComparer.Ordinal)];
    }

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
        using (await Held.TakeAsync([ProgramRows], ct))
        {
            await using var transaction = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(ct) : null;
            await AdvisoryLock.TakeAsync(db.Database, ProgramSeats, campaignId, ct);
            var count = await RefreshProgramsLockedAsync(campaignId, schoolCodes, ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return count;
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
        if (existing.Count > 0)
        {
            cache.ForgetPrograms();
        }

        cache.RememberPrograms(campaignId, fresh.Select(p => p.SchoolCode).Distinct());
        await BumpVersionAsync(ct);
        return fresh.Count;
    }

    /// <summary>Replaces every read row of the current campaign with what the Contracts queries say now.</summary>
    public async Task<RebuildResult> RebuildAsync(CancellationToken ct)
    {
        // The rebuild replaces the tables with the snapshot it reads first. A change applied between that read and the
        // replace would be wiped until the next rebuild (a host started after the nightly run's time runs the missed one at
        // once, beside the opening morning's submits: 2026-11-29). So it holds both writers' locks from the read to the
        // commit: changes and seat refreshes of this process wait for it and then apply on top of the new tables. Several
        // hosts on PostgreSQL: the transaction starts before the read and takes the facts' advisory lock exclusively (every
        // host's changes take it shared) and then the campaign's program-seat lock, so other hosts' changes wait too.
        using (await Held.TakeAsync([DayCells, ProgramRows], ct))
        {
            await using var early = db.Database.IsNpgsql() ? await db.Database.BeginTransactionAsync(ct) : null;
            await AdvisoryLock.TakeAsync(db.Database, ReadModelFacts, null, ct);
            return await RebuildLockedAsync(ct);
        }
    }

    /// <summary>This process's writer locks, taken in the order given and released in reverse when disposed.</summary>
    private sealed class Held : IDisposable
    {
        private readonly SemaphoreSlim[] _locks;
        private int _taken;

        private Held(SemaphoreSlim[] locks) => _locks = locks;

        public static async Task<Held> TakeAsync(SemaphoreSlim[] locks, CancellationToken ct)
        {
            var held = new Held(locks);
            try
            {
                foreach (var l in locks)
                {
                    await l.WaitAsync(ct);
                    held._taken++;
                }
            }
            catch
            {
                held.Dispose();
                throw;
            }

            return held;
        }

        public void Dispose()
        {
            while (_taken > 0)
            {
                _locks[--_taken].Release();
            }
        }
    }

    private async Task<RebuildResult> RebuildLockedAsync(CancellationToken ct)
    {
        var campaign = await sources.CurrentCampaignAsync(ct);
        if (campaign is null)
        {
            return new RebuildResult(null, 0, 0, 0);
        }

        await AdvisoryLock.TakeAsync(db.Database, ProgramSeats, campaign.Id, ct);
        var facts = await sources.ApplicationFactsAsync(campaign.Id, ct);
        var schools = await SchoolMapAsync(SchoolCodes(facts), ct);
        var rows = facts.Select(f =>
        {
            var row = New(f, schools);
            row.EventAt = f.UpdatedAt.ToUniversalTime();
            return row;
        }).ToList();
        var programs = await LoadProgramsAsync(campaign.Id, null, ct);
        var days = DailyCells(rows).GroupBy(cell => cell)
            .Select(g => new DailyApplicationsRow { CampaignId = g.Key.Item1, Day = g.Key.Item2, RegionCode = g.Key.Item3, Submitted = g.Count() })
            .ToList();

        // SQLite begins here, after the reads (PostgreSQL began in RebuildAsync, before them): a WAL read transaction that
        // later writes fails with SQLITE_BUSY_SNAPSHOT once another connection committed in between.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.ApplicationFacts.Where(f => f.CampaignId == campaign.Id).ExecuteDeleteAsync(ct);
        await db.DailyApplications.Where(d => d.CampaignId == campaign.Id).ExecuteDeleteAsync(ct);
        await db.ProgramFacts.Where(p => p.CampaignId == campaign.Id).ExecuteDeleteAsync(ct);
        await BulkInsert.InsertAsync(db, rows, ct);
        await BulkInsert.InsertAsync(db, days, ct);
        await BulkInsert.InsertAsync(db, programs, ct);
        await BumpVersionAsync(ct);
        await db.Database.CommitTransactionAsync(ct);
        db.ChangeTracker.Clear();
        cache.ForgetPrograms();
        cache.ForgetSchools();
        return new RebuildResult(campaign.Id, rows.Count, programs.Count, days.Count);
    }

    public async Task BumpVersionAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        if (!await TryBumpVersionAsync(ct))
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

    /// <summary>Bumps the version if its row exists (an update only, so it can run inside another transaction).</summary>
    private async Task<bool> TryBumpVersionAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        return await db.Versions.Where(v => v.Id == 1)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1).SetProperty(v => v.ChangedAt, now), ct) > 0;
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
    /// Adds each cell's change to its stored count (the caller holds the transaction and this process's lock). The facts
    /// and the cells change in the same transaction, so a cell stays the number of its facts — as the rebuild counts them
    /// (<see cref="DailyCells"/>) — without counting the day's facts again: a recount made every batch of the opening
    /// morning scan all of that day's facts of the region (ADR 0602). The cells that gain are added to in one statement
    /// (<see cref="AddGainsAsync"/>); a cell that loses is lowered, and removed when empty, as the rebuild has none.
    /// </summary>
    private async Task AddToDaysAsync(Dictionary<(Guid Campaign, DateOnly Day, string Region), int> cells, CancellationToken ct)
    {
        await AddGainsAsync([.. cells.Where(c => c.Value > 0)], ct);
        foreach (var ((campaign, day, region), delta) in cells)
        {
            if (delta >= 0)
            {
                continue;
            }

            var cell = db.DailyApplications.Where(d => d.CampaignId == campaign && d.Day == day && d.RegionCode == region);
            await cell.ExecuteUpdateAsync(s => s.SetProperty(d => d.Submitted, d => d.Submitted + delta), ct);
            await cell.Where(d => d.Submitted <= 0).ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>
    /// One <c>INSERT … ON CONFLICT (cell) DO UPDATE SET submitted = submitted + excluded.submitted</c> for every cell that
    /// gains (SQLite and PostgreSQL alike, <see cref="BulkInsert.InsertOrAddAsync{T}"/>): a new cell is created, an existing
    /// one added to. It replaced an update per cell and an insert for the day's first fact of a region — ≈ 5 statements per
    /// batch of the opening morning — and a day's first cell inserted by two hosts at once is no longer a conflict to retry.
    /// </summary>
    private async Task AddGainsAsync(List<KeyValuePair<(Guid Campaign, DateOnly Day, string Region), int>> gains, CancellationToken ct)
    {
        if (gains.Count > 0)
        {
            await BulkInsert.InsertOrAddAsync(db,
                gains.Select(g => new DailyApplicationsRow { CampaignId = g.Key.Campaign, Day = g.Key.Day, RegionCode = g.Key.Region, Submitted = g.Value }),
                nameof(DailyApplicationsRow.Submitted), ct);
        }
    }

    private static void Count(Dictionary<(Guid, DateOnly, string), int> cells, ApplicationFactRow row, int delta)
    {
        foreach (var cell in DailyCells([row]))
        {
            cells[cell] = cells.GetValueOrDefault(cell) + delta;
        }
    }

    internal static IEnumerable<(Guid, DateOnly, string)> DailyCells(IEnumerable<ApplicationFactRow> rows) =>
        rows.Where(r => r.SubmittedOn is not null).Select(r => (r.CampaignId, r.SubmittedOn!.Value, r.RegionCode ?? ""));

    private static List<string> SchoolCodes(IEnumerable<ApplicationFactDto> facts) =>
        [.. facts.SelectMany(f => f.Choices.Take(1).Select(c => c.SchoolCode).Concat(f.EnrolledProgram is { } e ? [e.SchoolCode] : [])).Distinct()];

    /// <summary>The school map for the status-change path: what <see cref="ReadModelCache"/> holds, the rest read at once.</summary>
    private async Task<Dictionary<string, SchoolDto>> CachedSchoolMapAsync(IReadOnlyList<string> codes, CancellationToken ct)
    {
        var map = cache.Schools(codes, out var missing);
        if (missing.Count > 0)
        {
            var read = await SchoolMapAsync(missing, ct);
            cache.Remember(missing, read);
            foreach (var (code, school) in read)
            {
                map[code] = school;
            }
        }

        return map;
    }

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

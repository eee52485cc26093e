using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Reporting.Features;
using Enrollment.Reporting.Features.OpenData;
using Enrollment.Reporting.Features.ReadModel;
using Enrollment.Schools.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrollment.Reporting.Tests;

/// <summary>
/// Reporting's handlers on a real (in-memory) SQLite database with its migrations; the other modules are a fake
/// <see cref="IReportingSources"/> that holds "the truth" the Contracts queries would return.
/// </summary>
internal sealed class Harness : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string? _file;

    /// <param name="onDisk">A database file with one connection per context (for concurrent handlers) instead of one shared in-memory connection.</param>
    public Harness(bool onDisk)
        : this(onDisk ? Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.db") : null)
    {
    }

    public static readonly Guid CampaignId = Guid.Parse("00000000-0000-0000-0000-000000002026");

    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));
    public FakeSources Sources { get; } = new();

    /// <summary>The host's singleton cache, one per harness (as one per host).</summary>
    public ReadModelCache Cache { get; } = new();

    /// <summary>Open-data answers that are recomputed whenever the read model's version changed (maximum age 0).</summary>
    public OpenDataAnswers Answers { get; } = new(Microsoft.Extensions.Options.Options.Create(new OpenDataOptions { MaxAge = TimeSpan.Zero }));

    public Harness()
        : this(file: null)
    {
    }

    private Harness(string? file)
    {
        _file = file;
        _connection = new SqliteConnection(file is null ? "Data Source=:memory:" : $"Data Source={file};Pooling=False");
        _connection.Open();
        if (file is not null)
        {
            using var wal = _connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var db = Db();
        db.Database.Migrate();
        db.RegionSummaries.AddRange(
            new RegionSummaryRow { RegionCode = "R1", NameKy = "Чүй облусу", NameRu = "Чуйская область", Districts = 2, Schools = 3, ParticipatingSchools = 3 },
            new RegionSummaryRow { RegionCode = "R2", NameKy = "Ош шаары", NameRu = "город Ош", Districts = 1, Schools = 1, ParticipatingSchools = 1 });
        db.Districts.AddRange(
            new DistrictRow { DistrictCode = "D1", RegionCode = "R1", NameKy = "Аламүдүн", NameRu = "Аламудунский" },
            new DistrictRow { DistrictCode = "D2", RegionCode = "R1", NameKy = "Сокулук", NameRu = "Сокулукский" },
            new DistrictRow { DistrictCode = "D3", RegionCode = "R2", NameKy = "Ош", NameRu = "Ош" });
        db.SaveChanges();
    }

    /// <summary>Interceptors added to every context made from now on (e.g. to observe the commands a delivery sends).</summary>
    public List<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor> Interceptors { get; } = [];

    public ReportingDbContext Db() =>
        new ReportingSqliteDbContext(_file is null
            ? new DbContextOptionsBuilder<ReportingSqliteDbContext>().UseSqlite(_connection).AddInterceptors(Interceptors).Options
            : new DbContextOptionsBuilder<ReportingSqliteDbContext>().UseSqlite($"Data Source={_file};Default Timeout=30").AddInterceptors(Interceptors).Options);

    public async Task<T> Run<T>(Func<ReadModelWriter, OpenDataReader, ReportingDbContext, Task<T>> run)
    {
        await using var db = Db();
        return await run(new ReadModelWriter(db, Sources, Clock, Cache), new OpenDataReader(db, Sources, Answers), db);
    }

    public Task Run(Func<ReadModelWriter, OpenDataReader, ReportingDbContext, Task> run) => Run<int>(async (w, r, d) =>
    {
        await run(w, r, d);
        return 0;
    });

    /// <summary>Delivers the event to Reporting's handler, as Mediator would (one scope per publish).</summary>
    public Task Deliver(ApplicationStatusChanged e) =>
        Run((w, _, _) => new WhenApplicationStatusChanged(w, NullLogger<WhenApplicationStatusChanged>.Instance).Handle(e, default).AsTask());

    /// <summary>Delivers a committed batch of changes (Registry's submit queue) to Reporting's batch handler.</summary>
    public Task Deliver(ApplicationStatusesChanged e) =>
        Run((w, _, _) => new WhenApplicationStatusesChanged(w, NullLogger<WhenApplicationStatusesChanged>.Instance).Handle(e, default).AsTask());

    public Task Deliver(OffersChanged e) =>
        Run((w, _, _) => new WhenOffersChanged(w, NullLogger<WhenOffersChanged>.Instance).Handle(e, default).AsTask());

    public Task Deliver(AllocationRunCompleted e) =>
        Run((w, _, _) => new WhenAllocationRunCompleted(w, NullLogger<WhenAllocationRunCompleted>.Instance).Handle(e, default).AsTask());

    public Task<RebuildResult> Rebuild() => Run((w, _, _) => w.RebuildAsync(default));

    /// <summary>Every read table as comparable text, without the bookkeeping columns (versions, refresh instants).</summary>
    public async Task<Tables> Snapshot()
    {
        await using var db = Db();
        var facts = await db.ApplicationFacts.AsNoTracking().ToListAsync();
        var programs = await db.ProgramFacts.AsNoTracking().ToListAsync();
        var days = await db.DailyApplications.AsNoTracking().ToListAsync();
        return new Tables(
            [.. facts.OrderBy(f => f.ApplicationId).Select(f => string.Join('|', f.ApplicationId, f.CampaignId, f.ChildKey, f.BirthYear, f.Sex, f.Status, f.Stage,
                f.SubmittedAt?.UtcTicks, f.SubmittedOn, f.SchoolCode, f.Language, f.Grade, f.DistrictCode, f.RegionCode, f.Choices, f.ChoiceCount,
                f.PriorityCategory, f.PriorityVerified, f.Privileged, f.EnrolledSchoolCode, f.EnrolledLanguage, f.EnrolledGrade, f.EnrolledDistrictCode, f.UpdatedAt.UtcTicks))],
            [.. programs.OrderBy(p => p.SchoolCode).ThenBy(p => p.Language).ThenBy(p => p.Grade).Select(p => string.Join('|', p.CampaignId, p.SchoolCode, p.Language,
                p.Grade, p.SchoolNameKy, p.SchoolNameRu, p.DistrictCode, p.RegionCode, p.Classes, p.ApprovedSeats, p.Offers, p.Enrolled, p.FreeSeats))],
            [.. days.OrderBy(d => d.Day).ThenBy(d => d.RegionCode).Select(d => $"{d.CampaignId}|{d.Day:yyyy-MM-dd}|{d.RegionCode}|{d.Submitted}")]);
    }

    public void Dispose()
    {
        _connection.Dispose();
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                try { File.Delete(f); } catch (IOException) { }
            }
        }
    }

    internal sealed record Tables(IReadOnlyList<string> Facts, IReadOnlyList<string> Programs, IReadOnlyList<string> Days);
}

/// <summary>Compares two <see cref="Harness.Tables"/> table by table (a failure names the rows that differ).</summary>
internal sealed class TablesComparer : IEqualityComparer<Harness.Tables>
{
    public bool Equals(Harness.Tables? x, Harness.Tables? y)
    {
        Assert.Equal(x!.Facts, y!.Facts);
        Assert.Equal(x.Programs, y.Programs);
        Assert.Equal(x.Days, y.Days);
        return true;
    }

    public int GetHashCode(Harness.Tables obj) => 0;
}

/// <summary>What the other modules' Contracts queries answer; tests change it as a season goes.</summary>
internal sealed class FakeSources : IReportingSources
{
    public static readonly SchoolDto S1 = School("S1", "R1", "D1", ["ky", "ru"]);
    public static readonly SchoolDto S2 = School("S2", "R1", "D2", ["ky"]);
    public static readonly SchoolDto S3 = School("S3", "R2", "D3", ["uz", "ky"]);

    public CampaignDto? Campaign { get; set; } = new(
        Harness.CampaignId, "2026/27", 2026,
        new CampaignCalendarDto(DateTimeOffset.MinValue, DateTimeOffset.MinValue, DateTimeOffset.MinValue, DateTimeOffset.MinValue, DateTimeOffset.MinValue, DateTimeOffset.MinValue),
        3, "SubmissionTime", null, 72, 5, 3, 3, 14, 30, new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31), 8);

    public List<SchoolDto> Schools { get; } = [S1, S2, S3];
    public Dictionary<Guid, ApplicationFactDto> Facts { get; } = [];
    public List<ProgramDto> Programs { get; } =
    [
        new(Harness.CampaignId, "S1", "D1", "R1", "ky", 1, 2, 50),
        new(Harness.CampaignId, "S1", "D1", "R1", "ru", 1, 1, 25),
        new(Harness.CampaignId, "S2", "D2", "R1", "ky", 1, 1, 20),
        new(Harness.CampaignId, "S3", "D3", "R2", "uz", 1, 1, 25),
    ];

    /// <summary>Held offers per program (Allocation's truth); enrolled counts come from the facts, as Registry's would.</summary>
    public Dictionary<(string School, string Language, int Grade), int> HeldOffers { get; } = [];

    public Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => Task.FromResult(Campaign);

    /// <summary>Runs after <see cref="ApplicationFactsAsync"/> took its snapshot, before it answers (to hold a rebuild there).</summary>
    public Func<Task>? AfterFactsRead { get; set; }

    public async Task<IReadOnlyList<ApplicationFactDto>> ApplicationFactsAsync(Guid campaignId, CancellationToken ct)
    {
        IReadOnlyList<ApplicationFactDto> snapshot = [.. Facts.Values.Where(f => f.CampaignId == campaignId).OrderBy(f => f.ApplicationId)];
        if (AfterFactsRead is { } gate)
        {
            await gate();
        }

        return snapshot;
    }

    public Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ProgramDto>>([.. Programs.Where(p => p.CampaignId == campaignId && (schoolCodes is null || schoolCodes.Contains(p.SchoolCode)))]);

    /// <summary>As Allocation's <c>GetProgramSeats</c>: no school codes, or an empty list, means every school.</summary>
    public Task<IReadOnlyList<ProgramSeatsDto>> ProgramSeatsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ProgramSeatsDto>>([.. Programs
            .Where(p => p.CampaignId == campaignId && (schoolCodes is not { Count: > 0 } || schoolCodes.Contains(p.SchoolCode)))
            .Select(p =>
            {
                var enrolled = Facts.Values.Count(f => f.Status == ApplicationStatus.Enrolled && f.EnrolledProgram == new ProgramKeyDto(p.SchoolCode, p.Language, p.Grade));
                var held = HeldOffers.GetValueOrDefault((p.SchoolCode, p.Language, p.Grade));
                return new ProgramSeatsDto(p.SchoolCode, p.Language, p.Grade, p.ApprovedSeats, enrolled, held, Math.Max(0, p.ApprovedSeats - enrolled - held));
            })]);

    public Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<SchoolDto>>([.. Schools.Where(s => codes.Contains(s.Code))]);

    /// <summary>Names Registry would give the enrolled children (the contract Reporting needs from it).</summary>
    public List<JournalChildDto> JournalChildren { get; } = [];

    public Task<IReadOnlyList<JournalChildDto>> JournalChildrenAsync(Guid campaignId, string schoolCode, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<JournalChildDto>>([.. JournalChildren]);

    /// <summary>Quotas' roll-up by language (approved seats and eligible children).</summary>
    public List<QuotaRollupRowDto> LanguageRollup { get; } = [];

    public Task<IReadOnlyList<QuotaRollupRowDto>> SeatsVsEligibleByLanguageAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<QuotaRollupRowDto>>([.. LanguageRollup]);

    private static SchoolDto School(string code, string region, string district, string[] languages) =>
        new(code, region, district, "L1", code + " мектеби", "школа " + code, "ул. Школьная, 1", 42.8, 74.6, "School", languages, true, null);
}

using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrollment.Allocation.Tests.Runs;

/// <summary>
/// The module's run and offer handlers on a real SQLite file (WAL, busy timeout, one connection per context as in the
/// host), with programs and applications supplied by <see cref="FakeSources"/> instead of the Quotas and Registry modules.
/// </summary>
internal sealed class RunHarness : IDisposable
{
    public static readonly DateTimeOffset StageOneOpens = new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero); // 10:00 Asia/Bishkek
    public static readonly DateTimeOffset StageTwoOpens = new(2026, 6, 1, 4, 0, 0, TimeSpan.Zero);

    public static readonly ICurrentUser Ministry = new User("ministry", Roles.MinistryAdmin, null, null, null);
    public static readonly ICurrentUser System = new User(null, null, null, null, null);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"allocation-tests-{Guid.NewGuid():N}.db");
    private readonly DatabaseOptions _database;

    public RunHarness(string tieBreak = "SubmissionTime", string? seed = null)
    {
        Campaign = new CampaignDto(Guid.Parse("7d0f6c52-3a51-4d43-9a8e-000000002026"), "2026/27", 2026,
            new CampaignCalendarDto(StageOneOpens.AddDays(-35), StageOneOpens.AddDays(-17), StageOneOpens, StageTwoOpens,
                new DateTimeOffset(2026, 8, 15, 4, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 9, 30, 4, 0, 0, TimeSpan.Zero)),
            5, tieBreak, seed, 72, 5, 3, 3, 14, 36, new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31), 8);
        Sources = new FakeSources(this);
        _database = TestDatabase.Create(_path);
        using var db = Db();
        db.Database.Migrate();
    }

    public CampaignDto Campaign { get; set; }

    public Stage Stage { get; set; } = Stage.StageOne;

    public FakeClock Clock { get; } = new(StageOneOpens.AddDays(4));

    public FakeSources Sources { get; }

    public List<object> Published { get; } = [];

    public IAllocationFaults Faults { get; set; } = new NoAllocationFaults();

    /// <summary>A new context (one request or one host): SQLite file, or PostgreSQL when ENROLLMENT_TEST_POSTGRES is set.</summary>
    public AllocationDbContext Db()
    {
        if (_database.Provider == DatabaseProvider.Postgres)
        {
            var pg = new DbContextOptionsBuilder<AllocationPostgresDbContext>();
            ModuleDatabase.Configure(pg, _database, AllocationContracts.Module, typeof(AllocationPostgresDbContext));
            return new AllocationPostgresDbContext(pg.Options);
        }

        var sqlite = new DbContextOptionsBuilder<AllocationSqliteDbContext>();
        ModuleDatabase.Configure(sqlite, _database, AllocationContracts.Module, typeof(AllocationSqliteDbContext));
        return new AllocationSqliteDbContext(sqlite.Options);
    }

    public bool IsPostgres => _database.Provider == DatabaseProvider.Postgres;

    // ───── applications and programs ─────

    public void Program(string school, string language, int seats) =>
        Sources.Programs.Add(new ProgramDto(Campaign.Id, school, "D-" + school, "R1", language, 1, 1, seats));

    /// <summary>An application with ranked choices "S1:ky" (grade 1) and the priority class at each.</summary>
    public Guid Apply(DateTimeOffset submittedAt, params (string Program, int Class)[] choices) => Apply(Guid.NewGuid(), submittedAt, choices);

    public Guid Apply(Guid id, DateTimeOffset submittedAt, params (string Program, int Class)[] choices)
    {
        Sources.Applications[id] = new AllocationApplicationDto(id, ApplicationStatus.Submitted, submittedAt,
            [.. choices.Select((c, i) => new AllocationChoiceDto(i + 1, c.Program.Split(':')[0], c.Program.Split(':')[1], 1, c.Class))], null);
        Sources.Scopes[id] = new ApplicationScopeDto(id, Campaign.Id, "PIN-" + id.ToString("N")[..8],
            [.. choices.Select(c => c.Program.Split(':')[0]).Distinct()], [.. choices.Select(c => "D-" + c.Program.Split(':')[0]).Distinct()]);
        return id;
    }

    public void SetStatus(Guid id, ApplicationStatus status, string? enrolledAt = null) =>
        Sources.Applications[id] = Sources.Applications[id] with
        {
            Status = status,
            EnrolledProgram = enrolledAt is null ? null : new ProgramKeyDto(enrolledAt.Split(':')[0], enrolledAt.Split(':')[1], 1),
        };

    /// <summary>What Registry does after the run's events: statuses follow the offers.</summary>
    public void FollowOffers()
    {
        foreach (var changed in Published.OfType<OffersChanged>())
        {
            foreach (var c in changed.Changes)
            {
                if (Sources.Applications.TryGetValue(c.ApplicationId, out var a) && a.Status is not (ApplicationStatus.Cancelled or ApplicationStatus.Enrolled))
                {
                    Sources.Applications[c.ApplicationId] = a with
                    {
                        Status = c.Kind switch
                        {
                            OfferChangeKind.Waitlisted => ApplicationStatus.Waitlisted,
                            OfferChangeKind.Expired => ApplicationStatus.Expired,
                            _ => ApplicationStatus.Offered,
                        },
                    };
                }
            }
        }
    }

    // ───── handlers, one DbContext each (one request) ─────

    public async Task<RunOutcome> Run(bool dryRun = false, TimeSpan wait = default, ICurrentUser? user = null, string trigger = RunTriggers.Manual)
    {
        await using var db = Db();
        var handler = new RunAllocationHandler(db, Sources, Clock, user ?? Ministry, new Publisher(Published), Faults, NullLogger<RunAllocationHandler>.Instance);
        return await handler.Handle(new RunAllocation(trigger, dryRun, wait), default);
    }

    public async Task<OfferDto> Confirm(Guid application)
    {
        await using var db = Db();
        return await new ConfirmOfferHandler(db, Clock).Handle(new ConfirmOffer(application), default);
    }

    public async Task<OfferDto?> Release(Guid application)
    {
        await using var db = Db();
        return await new ReleaseOfferHandler(db, Clock).Handle(new ReleaseOffer(application, "Cancelled by parent"), default);
    }

    public async Task<int> Expire()
    {
        await using var db = Db();
        return await new ExpireOffersHandler(db, Clock, new Publisher(Published)).Handle(new ExpireOffers(), default);
    }

    public async Task<int> Remind()
    {
        await using var db = Db();
        return await new RemindExpiringOffersHandler(db, Clock, new Publisher(Published)).Handle(new RemindExpiringOffers(), default);
    }

    public async Task StatusChanged(Guid application, ApplicationStatus to, Guid? historyId = null)
    {
        await using var db = Db();
        var fact = new ApplicationFactDto(application, Campaign.Id, "key", 2019, 'F', to, "StageOne", null, [], null, false, null, Clock.UtcNow);
        await new WhenApplicationStatusChangedHandler(db, Clock).Handle(
            new ApplicationStatusChanged(historyId ?? Guid.NewGuid(), fact, null, to, Clock.UtcNow, "school", null), default);
    }

    public async Task<IReadOnlyList<ProgramSeatsDto>> Seats(params string[] schools)
    {
        await using var db = Db();
        return await new GetProgramSeatsHandler(db, Sources).Handle(new GetProgramSeats(null, schools.Length == 0 ? null : schools), default);
    }

    public async Task<IReadOnlyList<ProgramSeatsDto>> SeatsOf(IReadOnlyList<ApprovedSeatsDto> approved)
    {
        await using var db = Db();
        return await new GetProgramSeatsHandler(db, Sources).Handle(new GetProgramSeats(Campaign.Id, null, approved), default);
    }

    public async Task<IReadOnlyList<OfferDto>> Offers(params Guid[] applications)
    {
        await using var db = Db();
        return await new GetOffersHandler(db).Handle(new GetOffers(applications), default);
    }

    public async Task<OfferDto?> OfferOf(Guid application) => (await Offers(application)).SingleOrDefault();

    public async Task<ExplanationView?> Explain(ICurrentUser user, Guid application)
    {
        await using var db = Db();
        return await new GetExplanationHandler(db, Sources, user, new Enrollment.BuildingBlocks.Audit.PersonalDataReads(user)).Handle(new GetExplanation(application), default);
    }

    public async Task<AllocationRunDetail?> RunDetail(Guid runId)
    {
        await using var db = Db();
        return await new GetAllocationRunHandler(db).Handle(new GetAllocationRun(runId), default);
    }

    public async Task<RunExport> Export(Guid runId, RunExportKind kind)
    {
        await using var db = Db();
        return await new GetRunExportHandler(db, new Enrollment.BuildingBlocks.Audit.PersonalDataReads(Ministry)).Handle(new GetRunExport(runId, kind), default);
    }

    // ───── state ─────

    /// <summary>Everything a run may change, as comparable text (runs that did not complete are left out).</summary>
    public async Task<string> State()
    {
        await using var db = Db();
        var offers = await db.Offers.AsNoTracking().OrderBy(o => o.ApplicationId).ThenBy(o => o.MadeAt).ToListAsync();
        var explanations = await db.Explanations.AsNoTracking().OrderBy(e => e.ApplicationId).ToListAsync();
        var runs = await db.Runs.AsNoTracking().Where(r => r.Status != RunStatuses.Failed).OrderBy(r => r.StartedAt).Select(r => r.Id).ToListAsync();
        var programs = await db.RunPrograms.AsNoTracking().CountAsync();
        var snapshots = await db.RunSnapshots.AsNoTracking().CountAsync();
        return string.Join("\n", offers.Select(o => $"{o.ApplicationId} {o.ProgramId} {o.Status} {o.RunId}"))
               + "\n--\n" + string.Join("\n", explanations.Select(e => $"{e.ApplicationId} {e.RunId} {e.AssignedProgram} {e.ChoicesJson}"))
               + $"\n--\n{string.Join(",", runs)} programs={programs} snapshots={snapshots}";
    }

    /// <summary>For every program: enrolled + held offers ≤ approved seats.</summary>
    public async Task AssertNotOverbooked()
    {
        await using var db = Db();
        var held = await db.Offers.AsNoTracking().Where(o => o.Status == OfferStatus.Offered || o.Status == OfferStatus.Confirmed)
            .GroupBy(o => o.ProgramId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        foreach (var h in held)
        {
            var approved = Sources.Programs.Where(p => RunInputs.ProgramId(p.SchoolCode, p.Language, p.Grade) == h.Key).Sum(p => p.ApprovedSeats);
            var enrolled = Sources.Applications.Values.Count(a => a.EnrolledProgram is { } e && RunInputs.ProgramId(e.SchoolCode, e.Language, e.Grade) == h.Key);
            Assert.True(enrolled + h.Count <= approved, $"{h.Key}: {enrolled} enrolled + {h.Count} held > {approved} approved");
        }
    }

    public static async Task<string> Refused(Func<Task> action) => (await Assert.ThrowsAnyAsync<RuleViolation>(action)).Code;

    public void Dispose()
    {
        TestDatabase.Drop(_database);
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>SQLite by default; a fresh PostgreSQL database when ENROLLMENT_TEST_POSTGRES holds an admin connection string (CI).</summary>
    private static class TestDatabase
    {
        public static DatabaseOptions Create(string sqlitePath)
        {
            var admin = Environment.GetEnvironmentVariable("ENROLLMENT_TEST_POSTGRES");
            if (string.IsNullOrWhiteSpace(admin))
            {
                return new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={sqlitePath}" };
            }

            var name = "allocation_test_" + Guid.NewGuid().ToString("N")[..12];
            using (var connection = new Npgsql.NpgsqlConnection(admin))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"CREATE DATABASE {name}";
                command.ExecuteNonQuery();
            }

            return new DatabaseOptions
            {
                Provider = DatabaseProvider.Postgres,
                ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString,
            };
        }

        public static void Drop(DatabaseOptions database)
        {
            if (database.Provider != DatabaseProvider.Postgres)
            {
                return;
            }

            var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            var name = builder.Database;
            Npgsql.NpgsqlConnection.ClearAllPools();
            using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
            command.ExecuteNonQuery();
        }
    }

    internal sealed class FakeSources(RunHarness harness) : IAllocationSources
    {
        public List<ProgramDto> Programs { get; } = [];
        public Dictionary<Guid, AllocationApplicationDto> Applications { get; } = [];
        public Dictionary<Guid, ApplicationScopeDto> Scopes { get; } = [];

        public Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => Task.FromResult<CampaignDto?>(harness.Campaign);

        public Task<StageInfoDto?> CurrentStageAsync(CancellationToken ct) =>
            Task.FromResult<StageInfoDto?>(new StageInfoDto(harness.Campaign.Id, harness.Campaign.Name, harness.Stage, null, null));

        public int ProgramReads { get; private set; }

        public Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct)
        {
            ProgramReads++;
            return Task.FromResult<IReadOnlyList<ProgramDto>>([.. Programs.Where(p => schoolCodes is null || schoolCodes.Contains(p.SchoolCode))]);
        }

        public Task<IReadOnlyList<AllocationApplicationDto>> ApplicationsAsync(Guid campaignId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<AllocationApplicationDto>>([.. Applications.Values
                .Where(a => a.Status is ApplicationStatus.Submitted or ApplicationStatus.Waitlisted or ApplicationStatus.Offered
                    or ApplicationStatus.Confirmed or ApplicationStatus.Enrolled)
                .OrderBy(a => a.ApplicationId)]);

        public Task<IReadOnlyList<EnrolledCountDto>> EnrolledCountsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<EnrolledCountDto>>([.. Applications.Values
                .Where(a => a.EnrolledProgram is not null && (schoolCodes is null || schoolCodes.Contains(a.EnrolledProgram.SchoolCode)))
                .GroupBy(a => a.EnrolledProgram!)
                .Select(g => new EnrolledCountDto(g.Key.SchoolCode, g.Key.Language, g.Key.Grade, g.Count()))]);

        public Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct) =>
            Task.FromResult(Scopes.GetValueOrDefault(applicationId));
    }

    private sealed class Publisher(List<object> published) : IPublisher
    {
        public ValueTask Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification
        {
            lock (published)
            {
                published.Add(notification);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask Publish(object notification, CancellationToken cancellationToken = default)
        {
            lock (published)
            {
                published.Add(notification);
            }

            return ValueTask.CompletedTask;
        }
    }

    internal sealed class User(string? name, string? role, string? district, string? school, string? pin) : ICurrentUser
    {
        public bool IsAuthenticated => name is not null;
        public string? UserId => name;
        public string? UserName => name;
        public IReadOnlyList<string> Roles => role is null ? [] : [role];
        public string? DistrictCode => district;
        public string? SchoolCode => school;
        public string? Pin => pin;
        public bool IsInRole(string r) => r == role;
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="step"/> of the next run(s).</summary>
    internal sealed class FaultAt(RunStep step, Action action) : IAllocationFaults
    {
        public void At(RunStep s)
        {
            if (s == step)
            {
                action();
            }
        }
    }
}

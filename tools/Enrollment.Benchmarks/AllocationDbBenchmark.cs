using System.Diagnostics;
using System.Globalization;
using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Domain;
using Enrollment.Allocation.Engine;
using Enrollment.Allocation.Features;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Enrollment.Benchmarks;

/// <summary>
/// A whole allocation run through the database at national size: the module's own <c>RunAllocationHandler</c> on a
/// SQLite file (WAL, as the host configures it) — snapshot of the inputs, engine, one transaction writing the run, the
/// per-program table, the compressed snapshot, offers and explanations, the overbooking check, the commit. Programs and
/// applications come from <see cref="InstanceGenerator"/> (the engine benchmark's instances: ~1 program per 60
/// applications, 1–5 choices, priority classes) through the module's sources seam instead of Quotas and Registry.
/// Two runs: the first on an empty offer table; the second, a nightly run on unchanged inputs, where every offer is a hold.
/// </summary>
internal static class AllocationDbBenchmark
{
    private static readonly DateTimeOffset StageOneOpens = new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
    private static readonly string[] Languages = ["ky", "ru", "uz"];

    public static async Task<int> RunAsync(int applications)
    {
        var inv = CultureInfo.InvariantCulture;
        var path = Path.Combine(Path.GetTempPath(), $"allocation-db-benchmark-{Guid.NewGuid():N}.db");
        var database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={path}" };
        try
        {
            var sw = Stopwatch.StartNew();
            var sources = Sources.From(InstanceGenerator.Generate(applications, InstanceGenerator.DefaultProgramCount(applications), "benchmark-2026"));
            await using (var db = Db(database))
            {
                await db.Database.MigrateAsync();
            }

            Console.WriteLine(string.Create(inv,
                $"allocation-db: {applications:N0} applications, {sources.Programs.Count:N0} programs ({sources.Programs.Select(p => p.SchoolCode).Distinct().Count():N0} schools), prepared in {sw.Elapsed.TotalSeconds:0.0} s"));

            var clock = new FakeClock(StageOneOpens.AddDays(4));
            foreach (var name in new[] { "first run", "nightly run (every offer a hold)" })
            {
                GC.Collect();
                var before = GC.GetTotalAllocatedBytes(precise: false);
                sw.Restart();
                await using var db = Db(database);
                var handler = new RunAllocationHandler(db, sources, clock, Ministry.Instance, NoPublisher.Instance, new NoAllocationFaults(),
                    NullLogger<RunAllocationHandler>.Instance);
                var outcome = await handler.Handle(new RunAllocation(RunTriggers.Manual, DryRun: false, TimeSpan.Zero), default);
                var wall = sw.Elapsed;
                var offered = await db.Offers.AsNoTracking().CountAsync(o => o.Status == OfferStatus.Offered);
                Console.WriteLine(string.Create(inv,
                    $"{name}: {wall.TotalMilliseconds:N0} ms wall (recorded durationMs {outcome.DurationMs:N0}), status {outcome.Status}, " +
                    $"{outcome.Offers:N0} new offers, {outcome.MovedUp:N0} moved up, {outcome.Kept:N0} kept, {outcome.Waitlisted:N0} waitlisted; " +
                    $"{offered:N0} offers held; allocated {(GC.GetTotalAllocatedBytes(false) - before) / 1_048_576.0:N0} MB, peak working set {Environment.WorkingSet / 1_048_576.0:N0} MB"));
                if (outcome.Status != RunStatuses.Completed)
                {
                    return 1;
                }

                clock.Advance(TimeSpan.FromDays(1));
            }

            Console.WriteLine(string.Create(inv, $"database file: {new FileInfo(path).Length / 1_048_576.0:N0} MB"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static AllocationSqliteDbContext Db(DatabaseOptions database)
    {
        var options = new DbContextOptionsBuilder<AllocationSqliteDbContext>();
        ModuleDatabase.Configure(options, database, AllocationContracts.Module, typeof(AllocationSqliteDbContext));
        return new AllocationSqliteDbContext(options.Options);
    }

    /// <summary>The generated instance as Quotas programs (program i = school i/3, language i%3) and Registry applications.</summary>
    private sealed class Sources : IAllocationSources
    {
        private static readonly Guid CampaignId = Guid.Parse("7d0f6c52-3a51-4d43-9a8e-000000002026");

        private readonly CampaignDto _campaign = new(CampaignId, "2026/27", 2026,
            new CampaignCalendarDto(StageOneOpens.AddDays(-35), StageOneOpens.AddDays(-17), StageOneOpens, StageOneOpens.AddDays(61),
                StageOneOpens.AddDays(136), StageOneOpens.AddDays(182)),
            5, "SubmissionTime", null, 72, 5, 3, 3, 14, 36, new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31), 8);

        public List<ProgramDto> Programs { get; } = [];

        private List<AllocationApplicationDto> Applications { get; } = [];

        public static Sources From(AllocationInstance instance)
        {
            var sources = new Sources();
            var keys = new Dictionary<string, (string School, string Language)>(StringComparer.Ordinal);
            for (var i = 0; i < instance.Programs.Count; i++)
            {
                var school = "S" + (i / 3).ToString("D5", CultureInfo.InvariantCulture);
                keys[instance.Programs[i].Id] = (school, Languages[i % 3]);
                sources.Programs.Add(new ProgramDto(CampaignId, school, "D" + (i / 60).ToString("D4", CultureInfo.InvariantCulture),
                    "R" + (i / 600).ToString("D2", CultureInfo.InvariantCulture), Languages[i % 3], 1, 1, instance.Programs[i].Capacity));
            }

            foreach (var student in instance.Students)
            {
                // Submissions spread over the first six days of Stage One, ordered by the generated tie-break.
                var submitted = StageOneOpens.AddSeconds((ulong)student.Tiebreak % (6 * 24 * 3600));
                sources.Applications.Add(new AllocationApplicationDto(Guid.CreateVersion7(submitted), ApplicationStatus.Submitted, submitted,
                    [.. student.Choices.Select((c, rank) => new AllocationChoiceDto(rank + 1, keys[c].School, keys[c].Language, 1,
                        student.Priorities.TryGetValue(c, out var priority) ? priority : 2))], null));
            }

            return sources;
        }

        public Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => Task.FromResult<CampaignDto?>(_campaign);

        public Task<StageInfoDto?> CurrentStageAsync(CancellationToken ct) =>
            Task.FromResult<StageInfoDto?>(new StageInfoDto(CampaignId, _campaign.Name, Stage.StageOne, null, null));

        public Task<IReadOnlyList<ProgramDto>> ProgramsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ProgramDto>>(schoolCodes is null ? Programs : [.. Programs.Where(p => schoolCodes.Contains(p.SchoolCode))]);

        public Task<IReadOnlyList<AllocationApplicationDto>> ApplicationsAsync(Guid campaignId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<AllocationApplicationDto>>(Applications);

        public Task<IReadOnlyList<EnrolledCountDto>> EnrolledCountsAsync(Guid campaignId, IReadOnlyList<string>? schoolCodes, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<EnrolledCountDto>>([]);

        public Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct) => Task.FromResult<ApplicationScopeDto?>(null);
    }

    private sealed class Ministry : ICurrentUser
    {
        public static readonly Ministry Instance = new();

        public bool IsAuthenticated => true;
        public string? UserId => "benchmark";
        public string? UserName => "benchmark";
        public IReadOnlyList<string> Roles => [BuildingBlocks.Security.Roles.MinistryAdmin];
        public string? DistrictCode => null;
        public string? SchoolCode => null;
        public string? Pin => null;
        public bool IsInRole(string role) => role == BuildingBlocks.Security.Roles.MinistryAdmin;
    }

    private sealed class NoPublisher : IPublisher
    {
        public static readonly NoPublisher Instance = new();

        public ValueTask Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification => ValueTask.CompletedTask;

        public ValueTask Publish(object notification, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}

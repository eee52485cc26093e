using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Quotas.Domain;
using Enrollment.Quotas.Features;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Tests;

/// <summary>The module's handlers on a real (in-memory) SQLite database with its migrations, a fake clock and fake callers.</summary>
internal sealed class Harness : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public static readonly SchoolDto S1 = School("S1", "D1", ["ky", "ru"]);
    public static readonly SchoolDto S2 = School("S2", "D2", ["ky"]);
    public static readonly SchoolDto Lyceum = School("S3", "D1", ["ru"]) with { ParticipatesInEnrollment = false };

    public static readonly ICurrentUser Ministry = new User("ministry", Roles.MinistryAdmin, null, null);
    public static readonly ICurrentUser SchoolAdmin1 = new User("school1", Roles.SchoolAdmin, "D1", "S1");
    public static readonly ICurrentUser SchoolAdmin2 = new User("school2", Roles.SchoolAdmin, "D2", "S2");
    public static readonly ICurrentUser Officer1 = new User("district1", Roles.DistrictOfficer, "D1", null);
    public static readonly ICurrentUser Officer2 = new User("district2", Roles.DistrictOfficer, "D2", null);

    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public List<StageChanged> Published { get; } = [];
    public List<QuotaApproved> Approvals { get; } = [];

    /// <summary>What the Registry would answer to <c>GetEligibleChildrenBySchool</c> (school code → children).</summary>
    public Dictionary<string, int> EligibleChildren { get; } = new(StringComparer.Ordinal);

    public Harness()
    {
        _connection.Open();
        using var db = Db();
        db.Database.Migrate();
    }

    public QuotasDbContext Db() =>
        new QuotasSqliteDbContext(new DbContextOptionsBuilder<QuotasSqliteDbContext>().UseSqlite(_connection).Options);

    public Campaign AddDefaultCampaign(int year = 2026)
    {
        using var db = Db();
        var campaign = Campaign.CreateDefault(Guid.NewGuid(), year);
        db.Campaigns.Add(campaign);
        db.SaveChanges();
        return campaign;
    }

    /// <summary>Runs one handler on a fresh DbContext (one request), as <paramref name="user"/>.</summary>
    // One per harness, as one per host: the campaign calendar copy shared by every request (ADR 0203).
    private readonly CampaignCalendar _calendar = new(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

    /// <summary>The per-host programs copy (ADR 0204), default lifetime.</summary>
    public ProgramsCopy ProgramsCopy { get; set; } = new(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

    public async Task<T> As<T>(ICurrentUser user, Func<Ctx, ValueTask<T>> run)
    {
        await using var db = Db();
        return await run(new Ctx(db, new CurrentCampaign(db, Clock), user, Clock, new FakeSchools(), new Publisher(Published, Approvals),
            new FakeEligibleChildren(EligibleChildren), _calendar, ProgramsCopy));
    }

    public Task<QuotaDto> Save(ICurrentUser user, string school, string language, int classes, int seats, string? reason = null) =>
        As(user, c => new SaveQuotaHandler(c.Db, c.Current, c.Schools, c.User, c.Clock).Handle(new SaveQuota(school, language, classes, seats, reason), default));

    public Task<IReadOnlyList<QuotaDto>> Submit(ICurrentUser user, string school) =>
        As(user, c => new SubmitQuotasHandler(c.Db, c.Current, c.Schools, c.User, c.Clock).Handle(new SubmitQuotas(school), default));

    public Task<IReadOnlyList<QuotaDto>> Approve(ICurrentUser user, bool acknowledge, params Guid[] ids) =>
        As(user, c => new ApproveQuotasHandler(c.Db, c.User, c.Clock, c.Publisher).Handle(new ApproveQuotas(ids, acknowledge), default));

    public Task<QuotaDto> Return(ICurrentUser user, Guid id, string comment) =>
        As(user, c => new ReturnQuotaHandler(c.Db, c.User, c.Clock).Handle(new ReturnQuota(id, comment), default));

    public Task<QuotaDto> AddExtra(string school, string language, int classes, int seats) =>
        As(Ministry, c => new AddExtraSeatsHandler(c.Db, c.Current, c.Schools, c.User, c.Clock, c.Publisher)
            .Handle(new AddExtraSeats(school, language, classes, seats, "New class opened"), default));

    public Task<IReadOnlyList<QuotaRollupRowDto>> Rollup(ICurrentUser user, RollupLevel level, string? district = null) =>
        As(user, c => new GetQuotaRollupHandler(c.Db, c.Current, c.User, c.Schools, c.Eligible).Handle(new GetQuotaRollup(level, district), default));

    /// <summary>Rows of the module's tables, to show that a refusal saved nothing.</summary>
    public async Task<(int Campaigns, int Quotas, int Changes, int Switches)> Counts()
    {
        await using var db = Db();
        return (await db.Campaigns.CountAsync(), await db.Quotas.CountAsync(), await db.QuotaChanges.CountAsync(), await db.Switches.CountAsync());
    }

    public Task<CampaignSwitchDto> Announce(SwitchKind kind, DateTimeOffset from, DateTimeOffset to, params string[] schools) =>
        As(Ministry, c => new AnnounceSwitchHandler(c.Db, c.Current, c.Schools, c.User, c.Clock)
            .Handle(new AnnounceSwitch(kind, from, to, schools, "announced"), default));

    public Task<IReadOnlyList<ProgramDto>> Programs(params string[] schools) =>
        As(Ministry, c => new GetProgramsHandler(c.Db, c.Current, c.Programs).Handle(new GetPrograms(schools.Length == 0 ? null : schools), default));

    /// <summary>As a parent's choice check asks: from the per-host copy.</summary>
    public Task<IReadOnlyList<ProgramDto>> ProgramsFromCopy(params string[] schools) =>
        As(Ministry, c => new GetProgramsHandler(c.Db, c.Current, c.Programs).Handle(new GetPrograms(schools, FromHostCopy: true), default));

    public Task<IReadOnlyList<QuotaChangeDto>> History(ICurrentUser user, Guid id) =>
        As(user, c => new GetQuotaHistoryHandler(c.Db, c.User).Handle(new GetQuotaHistory(id), default));

    public Task<StageChanged?> CheckStage() =>
        As(Ministry, c => new CheckStageHandler(c.Db, c.Current, c.Clock, c.Publisher).Handle(new CheckStage(), default));

    public Task<AllowedNowDto?> AllowedNow() =>
        As(Ministry, c => new GetAllowedNowHandler(c.Db, c.Calendar, c.Clock).Handle(new GetAllowedNow(), default));

    public static async Task<string> Refused(Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<RuleViolation>(action);
        return e.Code;
    }

    public void Dispose() => _connection.Dispose();

    private static SchoolDto School(string code, string district, string[] languages) =>
        new(code, "R1", district, "L1", code + " ky", code + " ru", "street 1", 42.8, 74.6, "Gymnasium", languages, true, null);

    internal sealed record Ctx(
        QuotasDbContext Db, CurrentCampaign Current, ICurrentUser User, IClock Clock, ISchoolDirectory Schools, IPublisher Publisher, IEligibleChildren Eligible,
        CampaignCalendar Calendar, ProgramsCopy Programs);

    private sealed class FakeEligibleChildren(Dictionary<string, int> counts) : IEligibleChildren
    {
        public Task<IReadOnlyList<Enrollment.Registry.Contracts.EligibleChildrenDto>> BySchoolAsync(DateOnly birthFrom, DateOnly birthTo, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<Enrollment.Registry.Contracts.EligibleChildrenDto>>(
                [.. counts.Select(c => new Enrollment.Registry.Contracts.EligibleChildrenDto(c.Key, c.Value))]);
    }

    private sealed class FakeSchools : ISchoolDirectory
    {
        public Task<IReadOnlyList<SchoolDto>> FindAsync(IReadOnlyList<string> codes, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<SchoolDto>>([.. new[] { S1, S2, Lyceum }.Where(s => codes.Contains(s.Code))]);
    }

    private sealed class Publisher(List<StageChanged> published, List<QuotaApproved> approvals) : IPublisher
    {
        public ValueTask Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification
        {
            if (notification is StageChanged changed)
            {
                published.Add(changed);
            }

            if (notification is QuotaApproved approved)
            {
                approvals.Add(approved);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask Publish(object notification, CancellationToken cancellationToken = default) =>
            notification is INotification n ? Publish(n, cancellationToken) : ValueTask.CompletedTask;
    }

    private sealed class User(string name, string role, string? district, string? school) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public string? UserId => name;
        public string? UserName => name;
        public IReadOnlyList<string> Roles => [role];
        public string? DistrictCode => district;
        public string? SchoolCode => school;
        public string? Pin => null;
        public bool IsInRole(string r) => r == role;
    }
}

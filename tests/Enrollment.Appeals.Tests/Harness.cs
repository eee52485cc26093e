using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Data;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Appeals.Tests;

/// <summary>The module's handlers on a real (in-memory) SQLite database with its migrations, a fake clock, a test directory and fake callers.</summary>
internal sealed class Harness : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public const string PinA = "21505201800011";
    public const string PinB = "11203201800022";

    public static readonly ICurrentUser ParentA = new User("parentA", Roles.Parent, null, PinA);
    public static readonly ICurrentUser ParentB = new User("parentB", Roles.Parent, null, PinB);
    public static readonly ICurrentUser Officer1 = new User("district1", Roles.DistrictOfficer, "D1", null);
    public static readonly ICurrentUser Officer2 = new User("district2", Roles.DistrictOfficer, "D2", null);
    public static readonly ICurrentUser Ministry = new User("ministry", Roles.MinistryAdmin, null, null);
    public static readonly ICurrentUser SchoolAdmin = new User("school1", Roles.SchoolAdmin, "D1", null);

    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 6, 10, 6, 0, 0, TimeSpan.Zero));
    public TestDirectory Directory { get; } = new();
    public List<AppealAnswered> Published { get; } = [];

    public Harness()
    {
        _connection.Open();
        using var db = Db();
        db.Database.Migrate();
    }

    public AppealsDbContext Db() =>
        new AppealsSqliteDbContext(new DbContextOptionsBuilder<AppealsSqliteDbContext>().UseSqlite(_connection).Options);

    /// <summary>
    /// An application of <paramref name="pin"/>'s family to schools of the given districts, in the current campaign; by
    /// default just rejected, with a rejected priority claim and a non-resident choice "S-&lt;first district&gt;", so every kind fits.
    /// </summary>
    public Guid Application(string pin, params string[] districts)
    {
        var id = Guid.NewGuid();
        Directory.Scopes[id] = new ApplicationScopeDto(id, Directory.Campaign.Id, pin, [.. districts.Select(d => "S-" + d)], districts);
        Directory.Grounds[id] = new AppealGroundsDto(id, ApplicationStatus.Rejected, Clock.UtcNow, "DOCUMENTS_NOT_CONFIRMED", Clock.UtcNow, Clock.UtcNow,
            [.. districts.Select(d => "S-" + d)]);
        return id;
    }

    public async Task<T> As<T>(ICurrentUser user, Func<AppealsDbContext, ValueTask<T>> run)
    {
        await using var db = Db();
        return await run(db);
    }

    public Task<AppealView> File(ICurrentUser user, Guid applicationId, AppealKind kind = AppealKind.Rejection, string text = "The school refused us wrongly.",
        string? school = null) =>
        As(user, db => new FileAppealHandler(db, Directory, user, Clock).Handle(new FileAppeal(applicationId, kind, text, school), default));

    public Task<AppealView> Message(ICurrentUser user, Guid appealId, string text) =>
        As(user, db => new AddAppealMessageHandler(db, user, Clock).Handle(new AddAppealMessage(appealId, text), default));

    public Task<AppealView> Answer(ICurrentUser user, Guid appealId, AppealDecision decision = AppealDecision.Dismissed, string text = "The decision stands.") =>
        As(user, db => new AnswerAppealHandler(db, Directory, user, Clock, new Publisher(Published)).Handle(new AnswerAppeal(appealId, decision, text), default));

    public Task<AppealView> Get(ICurrentUser user, Guid appealId) =>
        As(user, db => new GetAppealHandler(db, user, Clock, new Enrollment.BuildingBlocks.Audit.PersonalDataReads(user)).Handle(new GetAppeal(appealId), default));

    public Task<IReadOnlyList<AppealView>> Mine(ICurrentUser user) =>
        As(user, db => new GetMyAppealsHandler(db, user, Clock).Handle(new GetMyAppeals(), default));

    public Task<AppealPage> Queue(ICurrentUser user, AppealFilter? filter = null, int skip = 0, int take = 50) =>
        As(user, db => new SearchAppealsHandler(db, user, Clock, new Enrollment.BuildingBlocks.Audit.PersonalDataReads(user)).Handle(new SearchAppeals(filter ?? new AppealFilter(), skip, take), default));

    public static async Task<string> Refused(Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<RuleViolation>(action);
        return e.Code;
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The test implementation of the module's seam to Registry and Quotas.</summary>
    internal sealed class TestDirectory : IAppealsDirectory
    {
        public Dictionary<Guid, ApplicationScopeDto> Scopes { get; } = [];

        public CampaignDto Campaign { get; set; } = NewCampaign(appealDays: 14);

        public Dictionary<Guid, AppealGroundsDto> Grounds { get; } = [];

        /// <summary>Remedies Registry was asked to apply; <see cref="RefuseRemedy"/> makes it refuse (as Registry would).</summary>
        public List<ApplyAppealRemedy> Remedies { get; } = [];

        public string? RefuseRemedy { get; set; }

        public static CampaignDto NewCampaign(int appealDays) => new(
            Guid.NewGuid(), "2026/27", 2026,
            new CampaignCalendarDto(new(2026, 2, 27, 3, 0, 0, TimeSpan.Zero), new(2026, 3, 15, 18, 0, 0, TimeSpan.Zero), new(2026, 4, 1, 4, 0, 0, TimeSpan.Zero),
                new(2026, 6, 1, 4, 0, 0, TimeSpan.Zero), new(2026, 8, 15, 18, 0, 0, TimeSpan.Zero), new(2026, 9, 30, 18, 0, 0, TimeSpan.Zero)),
            1, "SubmissionTime", null, 72, 5, 3, 3, appealDays, 36, new DateOnly(2019, 1, 1), new DateOnly(2020, 12, 31), 8);

        public Task<ApplicationScopeDto?> ApplicationScopeAsync(Guid applicationId, CancellationToken ct) =>
            Task.FromResult(Scopes.GetValueOrDefault(applicationId));

        public Task<CampaignDto?> CurrentCampaignAsync(CancellationToken ct) => Task.FromResult<CampaignDto?>(Campaign);

        public Task<AppealGroundsDto?> GroundsAsync(Guid applicationId, CancellationToken ct) => Task.FromResult(Grounds.GetValueOrDefault(applicationId));

        public Task ApplyRemedyAsync(ApplyAppealRemedy remedy, CancellationToken ct)
        {
            if (RefuseRemedy is { } code)
            {
                throw new RuleViolation(code, "Registry refused.");
            }

            Remedies.Add(remedy);
            return Task.CompletedTask;
        }
    }

    private sealed class Publisher(List<AppealAnswered> published) : IPublisher
    {
        public ValueTask Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification
        {
            if (notification is AppealAnswered answered)
            {
                published.Add(answered);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask Publish(object notification, CancellationToken cancellationToken = default) =>
            notification is INotification n ? Publish(n, cancellationToken) : ValueTask.CompletedTask;
    }

    private sealed class User(string name, string role, string? district, string? pin) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public string? UserId => name;
        public string? UserName => role == BuildingBlocks.Security.Roles.Parent ? pin : name;
        public IReadOnlyList<string> Roles => [role];
        public string? DistrictCode => district;
        public string? SchoolCode => null;
        public string? Pin => pin;
        public bool IsInRole(string r) => r == role;
    }
}

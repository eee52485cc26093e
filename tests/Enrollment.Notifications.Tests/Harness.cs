using Enrollment.Allocation.Contracts;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Registry.Contracts;
using Enrollment.Schools.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Notifications.Tests;

/// <summary>
/// The module on a real (in-memory) SQLite database with its migrations, a fake clock, a test implementation of its seam to
/// Registry/Schools/Quotas, and its real transports (the file transport writes into a temporary folder).
/// </summary>
internal sealed class Harness : IDisposable
{
    public const string Pin = "21505201800011";
    public const string Surname = "Асанбеков";

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ServiceProvider _services;

    public static readonly ICurrentUser Ministry = new User("ministry", Roles.MinistryAdmin, null, null, null);
    public static readonly ICurrentUser Officer1 = new User("district1", Roles.DistrictOfficer, "D1", null, null);
    public static readonly ICurrentUser Officer2 = new User("district2", Roles.DistrictOfficer, "D2", null, null);
    public static readonly ICurrentUser School1 = new User("school1", Roles.SchoolAdmin, "D1", "S1", null);
    public static readonly ICurrentUser Parent = new User(Pin, Roles.Parent, null, null, Pin);
    public static readonly ICurrentUser OtherParent = new User("11203201800022", Roles.Parent, null, null, "11203201800022");

    public FakeClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));
    public TestDirectory Directory { get; } = new();
    public string OutboxDirectory { get; } = Path.Combine(Path.GetTempPath(), "enrollment-notifications-tests", Guid.NewGuid().ToString("N"));
    public Guid CampaignId => Directory.CampaignId;

    public Harness(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        _connection.Open();
        using (var db = Db())
        {
            db.Database.Migrate();
        }

        var config = new Dictionary<string, string?>
        {
            ["Notifications:MaxAttempts"] = "3",
            ["Notifications:RetryDelay"] = "00:01:00",
            ["Notifications:MaxRetryDelay"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        services.AddLogging();
        services.AddSingleton<IClock>(Clock);
        services.AddScoped<NotificationsDbContext>(_ => Db());
        services.AddSingleton<INotificationDirectory>(Directory);
        services.AddScoped<Inbox>();
        services.AddNotificationTransports(OutboxDirectory);
        services.AddScoped<DeliverNotificationsHandler>();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    /// <summary>EF interceptors every context of the harness gets (e.g. to observe the commands a run sends).</summary>
    public List<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor> Interceptors { get; } = [];

    public NotificationsDbContext Db() =>
        new NotificationsSqliteDbContext(new DbContextOptionsBuilder<NotificationsSqliteDbContext>().UseSqlite(_connection).AddInterceptors(Interceptors).Options);

    /// <summary>An application of the test family to school S1 (district D1), with the given contacts.</summary>
    public Guid Application(string language = "ru", string? email = "parent@example.kg", string? secondary = "second@example.kg", string? phone = "+996555123456",
        string pin = Pin, string[]? districts = null)
    {
        var id = Guid.NewGuid();
        Directory.Recipients[id] = new NotificationRecipientDto(id, language, email, secondary, phone, "Айгерим", $"{Surname} Бакыт");
        Directory.Scopes[id] = new ApplicationScopeDto(id, CampaignId, pin, ["S1"], districts ?? ["D1"]);
        return id;
    }

    public ApplicationStatusChanged StatusChanged(Guid applicationId, ApplicationStatus to, string? reason = null, Guid? historyId = null) => new(
        historyId ?? Guid.NewGuid(),
        new ApplicationFactDto(applicationId, CampaignId, "key", 2019, 'F', to, "StageOne", Clock.UtcNow, [new ProgramKeyDto("S1", "ky", 1)], null, false,
            to == ApplicationStatus.Enrolled ? new ProgramKeyDto("S1", "ky", 1) : null, Clock.UtcNow),
        ApplicationStatus.Draft, to, Clock.UtcNow, "parent", reason);

    public OffersChanged Offers(Guid batchId, params (Guid Application, OfferChangeKind Kind)[] changes) => new(
        batchId, CampaignId,
        [.. changes.Select(c => new OfferChangeDto(c.Application, c.Kind, Guid.NewGuid(), "S1", "ky", 1, Clock.UtcNow.AddDays(5)))], Clock.UtcNow);

    public async Task Publish(ApplicationStatusChanged e)
    {
        using var scope = _services.CreateScope();
        await new WhenApplicationStatusChanged(scope.ServiceProvider.GetRequiredService<Inbox>()).Handle(e, default);
    }

    public async Task Publish(ApplicationStatusesChanged e)
    {
        using var scope = _services.CreateScope();
        await new WhenApplicationStatusesChanged(scope.ServiceProvider.GetRequiredService<Inbox>()).Handle(e, default);
    }

    public async Task Publish(OffersChanged e)
    {
        using var scope = _services.CreateScope();
        await new WhenOffersChanged(scope.ServiceProvider.GetRequiredService<Inbox>()).Handle(e, default);
    }

    public async Task Publish(OfferExpiring e)
    {
        using var scope = _services.CreateScope();
        await new WhenOfferExpiring(scope.ServiceProvider.GetRequiredService<Inbox>(), Clock).Handle(e, default);
    }

    public async Task Publish(Enrollment.Appeals.Contracts.AppealAnswered e)
    {
        using var scope = _services.CreateScope();
        await new WhenAppealAnswered(scope.ServiceProvider.GetRequiredService<Inbox>()).Handle(e, default);
    }

    /// <summary>One run of the delivery job's work.</summary>
    public async Task<DeliveryReport> Deliver(CancellationToken ct = default)
    {
        using var scope = _services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DeliverNotificationsHandler>().Handle(new DeliverNotifications(), ct);
    }

    /// <summary>What the outbox page shows about receipts waiting while the service is busy.</summary>
    public async Task<HeldReceiptsView> HeldReceipts()
    {
        using var scope = _services.CreateScope();
        var p = scope.ServiceProvider;
        return await new GetHeldReceiptsHandler(p.GetRequiredService<NotificationsDbContext>(), Clock, p.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationsOptions>>())
            .Handle(new GetHeldReceipts(), default);
    }

    public async Task<List<OutboxMessage>> Messages()
    {
        await using var db = Db();
        return await db.Messages.AsNoTracking().OrderBy(m => m.Channel).ThenBy(m => m.CreatedAt).ToListAsync();
    }

    public async Task<T> As<T>(ICurrentUser user, Func<NotificationsDbContext, ValueTask<T>> run)
    {
        await using var db = Db();
        return await run(db);
    }

    public static async Task<string> Refused(Func<Task> action)
    {
        var e = await Assert.ThrowsAnyAsync<RuleViolation>(action);
        return e.Code;
    }

    public void Dispose()
    {
        _services.Dispose();
        _connection.Dispose();
        try
        {
            System.IO.Directory.Delete(OutboxDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>The test implementation of the module's seam to Registry, Schools and Quotas.</summary>
    internal sealed class TestDirectory : INotificationDirectory
    {
        public Guid CampaignId { get; } = Guid.NewGuid();
        public Dictionary<Guid, NotificationRecipientDto> Recipients { get; } = [];
        public Dictionary<Guid, ApplicationScopeDto> Scopes { get; } = [];
        public int CorrectionDays { get; set; } = 3;

        /// <summary>The next this-many recipient look-ups (one per delivery batch) fail (Registry unavailable).</summary>
        public int FailingLookups { get; set; }

        /// <summary>Recipient and scope look-ups made (the delivery job makes one of each per batch of events).</summary>
        public int Lookups { get; private set; }

        public Task<IReadOnlyList<NotificationRecipientDto>> RecipientsAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct)
        {
            Lookups++;
            if (FailingLookups > 0)
            {
                FailingLookups--;
                throw new TimeoutException("registry did not answer");
            }

            return Task.FromResult<IReadOnlyList<NotificationRecipientDto>>([.. applicationIds.Distinct().Where(Recipients.ContainsKey).Select(id => Recipients[id])]);
        }

        public Task<IReadOnlyList<ApplicationScopeDto>> ScopesAsync(IReadOnlyList<Guid> applicationIds, CancellationToken ct)
        {
            Lookups++;
            return Task.FromResult<IReadOnlyList<ApplicationScopeDto>>([.. applicationIds.Distinct().Where(Scopes.ContainsKey).Select(id => Scopes[id])]);
        }

        public Task<ApplicationScopeDto?> ScopeAsync(Guid applicationId, CancellationToken ct) => Task.FromResult(Scopes.GetValueOrDefault(applicationId));

        public Task<IReadOnlyList<SchoolDto>> SchoolsAsync(IReadOnlyList<string> codes, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<SchoolDto>>(codes.Contains("S1")
                ? [new SchoolDto("S1", "R1", "D1", "L1", "№5 мектеп-гимназиясы", "Школа-гимназия №5", "ул. Токтогула 1", 42.8, 74.6, "Gymnasium", ["ky", "ru"], true, null)]
                : []);

        public Task<int?> CorrectionDaysAsync(Guid campaignId, CancellationToken ct) => Task.FromResult<int?>(campaignId == CampaignId ? CorrectionDays : null);
    }

    /// <summary>A transport that fails the first <paramref name="failures"/> sends (all of them by default) and records the rest.</summary>
    internal sealed class FlakyTransport(int failures = int.MaxValue) : INotificationTransport
    {
        private int _left = failures;

        public List<Guid> Delivered { get; } = [];

        public int Calls { get; private set; }

        public Task SendAsync(OutboxMessage message, CancellationToken ct)
        {
            Calls++;
            if (_left > 0)
            {
                _left--;
                throw new IOException($"relay refused #{Calls}");
            }

            Delivered.Add(message.Id);
            return Task.CompletedTask;
        }
    }

    private sealed class User(string name, string role, string? district, string? school, string? pin) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public string? UserId => name;
        public string? UserName => name;
        public IReadOnlyList<string> Roles => [role];
        public string? DistrictCode => district;
        public string? SchoolCode => school;
        public string? Pin => pin;
        public bool IsInRole(string r) => r == role;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Host.Auth;
using Enrollment.Host.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Jobs;

/// <summary>A host with a running Hangfire server (its own database and job storage).</summary>
public sealed class JobServerFactory : EnrollmentFactory
{
    protected override bool RunJobServer => true;
}

[Collection(HostCollection.Name)]
public sealed class JobsTests : IClassFixture<JobServerFactory>
{
    private readonly JobServerFactory _factory;

    public JobsTests(JobServerFactory factory)
    {
        _factory = factory;
        _ = factory.Services; // start the host
    }

    [Fact]
    public void Recurring_jobs_are_registered_with_their_schedules()
    {
        using var connection = _factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id, StringComparer.Ordinal);
        Assert.Equal("17 3 * * *", jobs[RecurringJobs.Housekeeping].Cron);
        Assert.Equal("Asia/Bishkek", jobs[RecurringJobs.Housekeeping].TimeZoneId);
        Assert.Equal(Cron.Hourly(), jobs["reporting:refresh-open-data"].Cron);
    }

    [Fact]
    public void A_host_keeps_its_own_job_storage_when_another_host_in_the_process_configures_hangfire_later()
    {
        // Hangfire keeps one JobStorage.Current per process. Host A configures Hangfire early in its start-up and asks for
        // its storage only after migrations and seeding; a host B starting meanwhile (the test suite starts many side by
        // side) must not hand A its storage — A would schedule its stage runs where only B looks.
        var (a, b) = (Jobs("a"), Jobs("b"));
        a.GetRequiredService<IGlobalConfiguration>();
        var storageOfB = b.GetRequiredService<JobStorage>();

        var storageOfA = a.GetRequiredService<JobStorage>();

        Assert.NotSame(storageOfB, storageOfA);
        var id = a.GetRequiredService<IBackgroundJobClient>().Schedule<HousekeepingJob>(j => j.RunAsync(CancellationToken.None), TimeSpan.FromDays(30));
        Assert.Contains(storageOfA.GetMonitoringApi().ScheduledJobs(0, 100), j => j.Key == id);
        Assert.DoesNotContain(storageOfB.GetMonitoringApi().ScheduledJobs(0, 100), j => j.Key == id);

        static ServiceProvider Jobs(string name)
        {
            var directory = Path.Combine(Path.GetTempPath(), "enrollment-tests", Guid.NewGuid().ToString("N"), name);
            Directory.CreateDirectory(directory);
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Server"] = "false" }).Build();
            return new ServiceCollection().AddLogging()
                .AddEnrollmentJobs(configuration, new Enrollment.BuildingBlocks.Persistence.DatabaseOptions { DataDirectory = directory })
                .BuildServiceProvider();
        }
    }

    [Fact]
    public async Task Housekeeping_deletes_expired_refresh_tokens_when_triggered_through_hangfire()
    {
        var client = _factory.CreateClient();
        await client.LoginAsync("ministry", "Demo-Ministry-2026!");
        Guid expiredId;
        using (var scope = _factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var user = db.Users.Single(u => u.UserName == "ministry");
            expiredId = Guid.NewGuid();
            db.RefreshTokens.Add(new RefreshToken
            {
                Id = expiredId, UserId = user.Id, TokenHash = new string('A', 64),
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-30), ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
            await db.SaveChangesAsync();
        }

        var monitoring = _factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var succeededBefore = monitoring.SucceededListCount();
        _factory.Services.GetRequiredService<IRecurringJobManager>().Trigger(RecurringJobs.Housekeeping);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (monitoring.SucceededListCount() == succeededBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(monitoring.SucceededListCount() > succeededBefore, "the housekeeping job did not run within 30 s");
        using var check = _factory.Services.CreateScope();
        var tokens = check.ServiceProvider.GetRequiredService<AuthDbContext>().RefreshTokens.ToList();
        Assert.DoesNotContain(tokens, t => t.Id == expiredId);
        Assert.NotEmpty(tokens); // the fresh token from the login above stays
    }

    [Fact]
    public async Task Health_reports_every_module_database_and_the_job_storage()
    {
        var response = await _factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", body["status"]!.GetValue<string>());
        var checks = body["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["db:allocation", "db:appeals", "db:auth", "db:notifications", "db:quotas", "db:registry", "db:reporting", "db:schools", "db:statements", "jobs:storage", "registry:submit-queue"], checks);
    }
}

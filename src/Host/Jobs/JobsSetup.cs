using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Host.Auth;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;

namespace Enrollment.Host.Jobs;

/// <summary>
/// Hangfire: SQLite storage beside the database by default (one process, one or two workers), PostgreSQL storage
/// when <c>Database:Provider=Postgres</c> (several hosts). Dashboard at /admin/jobs, ministry only.
/// </summary>
internal static class JobsSetup
{
    public static IServiceCollection AddEnrollmentJobs(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        var poll = configuration.GetValue("Jobs:PollInterval", TimeSpan.FromSeconds(5));
        // This host's own storage in DI. Hangfire.AspNetCore would register JobStorage.Current — one static per process, the
        // storage of whichever host configured Hangfire last — so two hosts in one process (the test suite runs many) could
        // schedule, serve and monitor each other's jobs.
        JobStorage? storage = null;
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>(); // runs the configuration below once
            return storage ?? throw new InvalidOperationException("Hangfire's storage was not configured.");
        });
        services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.Postgres)
            {
                // A job fetched by a host that then dies is handed to another host after the invisibility timeout
                // (Jobs:InvisibilityTimeout, Hangfire.PostgreSql's default 30 min; process tests shorten it). Sliding:
                // a live worker keeps extending it, so a job running longer than the timeout is never fetched twice.
                storage = c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.EffectiveConnectionString),
                    new PostgreSqlStorageOptions
                    {
                        QueuePollInterval = poll, PrepareSchemaIfNecessary = true, SchemaName = "hangfire",
                        InvisibilityTimeout = configuration.GetValue("Jobs:InvisibilityTimeout", TimeSpan.FromMinutes(30)),
                        UseSlidingInvisibilityTimeout = true,
                    }).Entry;
            }
            else
            {
                storage = c.UseSQLiteStorage(Path.Combine(database.DataDirectory, "hangfire.db"),
                    new SQLiteStorageOptions { QueuePollInterval = poll }).Entry;
            }
        });
        if (configuration.GetValue("Jobs:Server", true))
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = database.Provider == DatabaseProvider.Sqlite ? 1 : Math.Max(2, Environment.ProcessorCount);
                o.SchedulePollingInterval = poll;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        services.AddScoped<HousekeepingJob>();
        return services;
    }

    public static WebApplication MapEnrollmentJobs(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(AuthSetup.MinistryPolicy, "/admin/jobs",
            new DashboardOptions { DashboardTitle = "Enrollment — jobs", AppPath = "/admin", DisplayStorageConnectionString = false });
        RecurringJobs.Register(app.Services.GetRequiredService<IRecurringJobManager>());
        return app;
    }
}

internal static class RecurringJobs
{
    public const string Housekeeping = "host:housekeeping";

    public static void Register(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<HousekeepingJob>(Housekeeping, j => j.RunAsync(CancellationToken.None), "17 3 * * *",
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
}

using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enrollment.Host.Health;

/// <summary>/healthz: every module's database and the job storage. 200 Healthy/Degraded, 503 Unhealthy.</summary>
internal static class HealthSetup
{
    public static IServiceCollection AddEnrollmentHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<Auth.AuthDbContext>("db:auth")
            .AddCheck<JobStorageHealthCheck>("jobs:storage")
            // Counters since start (commands, commits, connection opens), for the cost-per-submit measurement; always Healthy.
            .AddCheck("db:statements", () => HealthCheckResult.Healthy(Enrollment.BuildingBlocks.Persistence.DatabaseStatistics.Describe()));
        return services;
    }

    public static WebApplication MapEnrollmentHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new
                    {
                        name = e.Key,
                        status = e.Value.Status.ToString(),
                        description = e.Value.Description,
                    }),
                });
            },
        }).AllowAnonymous();
        return app;
    }
}

internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers().Count;
            return Task.FromResult(HealthCheckResult.Healthy($"{servers} job server(s)"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage is unreachable."));
        }
    }
}

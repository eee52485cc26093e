using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Notifications.Contracts;
using Enrollment.Notifications.Data;
using Enrollment.Notifications.Features.Delivery;
using Enrollment.Notifications.Features;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Enrollment.Notifications;

/// <summary>E-mail and SMS to parents through an outbox with retries (ADR 0500).</summary>
public static class NotificationsModule
{
    public static IServiceCollection AddNotificationsModule(this IServiceCollection services, DatabaseOptions database)
    {
        // The outbox records its own history (status, attempts, last error, who requeued): no audit entry per delivery attempt.
        services.AddModuleDbContext<NotificationsDbContext, NotificationsSqliteDbContext, NotificationsPostgresDbContext>(
            database, NotificationsContracts.Module, audited: false);
        services.AddOptions<NotificationsOptions>()
            .BindConfiguration(NotificationsOptions.Section)
            .PostConfigure(o => o.OutboxDirectory ??= Path.Combine(database.DataDirectory, "outbox"))
            .Validate(o => !o.Problems().Any(), "Notifications is misconfigured; see NotificationsOptions.")
            .ValidateOnStart();
        services.AddScoped<INotificationDirectory, MediatorNotificationDirectory>();
        services.AddScoped<Inbox>();
        services.AddScoped<TransportSelector>();
        services.AddSingleton<FileTransport>();
        services.AddSingleton<SmtpTransport>();
        services.AddSingleton<SmsGatewayTransport>();
        services.AddScoped<NotificationDeliveryJob>();
        services.AddHttpClient(SmsGatewayTransport.ClientName, (sp, client) =>
                client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("notifications-sms", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<NotificationsOptions>>().Value.SmsGateway;
                pipeline.AddTimeout(o.Timeout * (o.MaxRetries + 1) + o.RetryDelay * (1 << Math.Min(o.MaxRetries, 10)));
                if (o.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                    });
                }

                pipeline.AddTimeout(o.Timeout);
            });
        services.AddModuleGraphQL(typeof(NotificationsModule).Assembly);
        services.AddValidators(typeof(NotificationsModule).Assembly);
        services.AddHealthChecks().AddDbContextCheck<NotificationsDbContext>("db:" + NotificationsContracts.Module);
        services.AddSingleton(new AdminMenuItem("/admin/notifications", "Menu", typeof(NotificationsResources), [Roles.DistrictOfficer], 60));
        return services;
    }

    public static WebApplication MapNotificationsModule(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<NotificationDeliveryJob>(
            NotificationDeliveryJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Minutely(),
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
        return app;
    }
}

/// <summary>Marker for this module's UI strings.</summary>
internal sealed class NotificationsResources;

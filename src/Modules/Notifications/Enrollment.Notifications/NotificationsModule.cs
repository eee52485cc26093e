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

namespace Enrollment.Notifications;

/// <summary>E-mail and SMS to parents through an outbox with retries (ADR 0500).</summary>
public static class NotificationsModule
{
    public static IServiceCollection AddNotificationsModule(this IServiceCollection services, DatabaseOptions database)
    {
        // The outbox records its own history (status, attempts, last error, who requeued): no audit entry per delivery attempt.
        // On SQLite it is a file of its own, so the delivery job's writes never hold the submits' write lock (ADR 0907).
        services.AddModuleDbContext<NotificationsDbContext, NotificationsSqliteDbContext, NotificationsPostgresDbContext>(
            database, NotificationsContracts.Module, audited: false, ownSqliteFile: true);
        services.AddNotificationTransports(Path.Combine(database.DataDirectory, "outbox"));
        services.AddScoped<INotificationDirectory, MediatorNotificationDirectory>();
        services.AddScoped<Inbox>();
        services.AddScoped<NotificationDeliveryJob>();
        services.AddModuleGraphQL(typeof(NotificationsModule).Assembly);
        services.AddValidators(typeof(NotificationsModule).Assembly);
        services.AddHealthChecks().AddDbContextCheck<NotificationsDbContext>("db:" + NotificationsContracts.Module);
        services.AddSingleton(new AdminMenuItem("/admin/notifications", "Menu", typeof(NotificationsResources), [Roles.MinistryAdmin, Roles.DistrictOfficer], 60));
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

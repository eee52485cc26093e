using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Notifications.Contracts;
using Enrollment.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Notifications.Data;

internal class NotificationsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<NotificationEvent> Events => Set<NotificationEvent>();
    public DbSet<OutboxMessage> Messages => Set<OutboxMessage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<NotificationEvent>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Key).HasMaxLength(200);
            e.HasIndex(x => x.Key).IsUnique();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.Property(x => x.Decision).HasMaxLength(32);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasIndex(x => new { x.Status, x.ReceivedAt });
            e.HasIndex(x => x.ApplicationId);
        });
        b.Entity<OutboxMessage>(e =>
        {
            e.HasKey(x => x.Id);
            // One message per (event, channel): re-expanding an event can never add a second one.
            e.HasIndex(x => new { x.EventId, x.Channel }).IsUnique();
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Recipient).HasMaxLength(256);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.Subject).HasMaxLength(300);
            e.Property(x => x.Body).HasMaxLength(8000);
            e.Property(x => x.DistrictCodes).HasMaxLength(400);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.Property(x => x.RequeuedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => new { x.ApplicationId, x.CreatedAt });
            e.HasIndex(x => x.CreatedAt);
        });
        b.ApplyModuleNaming(this, NotificationsContracts.Module);
    }
}

internal sealed class NotificationsSqliteDbContext(DbContextOptions<NotificationsSqliteDbContext> options) : NotificationsDbContext(options);

internal sealed class NotificationsPostgresDbContext(DbContextOptions<NotificationsPostgresDbContext> options) : NotificationsDbContext(options);

internal sealed class NotificationsSqliteDesignTimeFactory() : DesignTimeFactory<NotificationsSqliteDbContext>(DatabaseProvider.Sqlite, NotificationsContracts.Module);

internal sealed class NotificationsPostgresDesignTimeFactory() : DesignTimeFactory<NotificationsPostgresDbContext>(DatabaseProvider.Postgres, NotificationsContracts.Module);

using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Domain;
using Enrollment.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Appeals.Data;

internal class AppealsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Appeal> Appeals => Set<Appeal>();
    public DbSet<AppealMessage> Messages => Set<AppealMessage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Appeal>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.ApplicantPin).HasMaxLength(14);
            e.Property(x => x.DistrictCodes).HasMaxLength(400);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Text).HasMaxLength(4000);
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Decision).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.AnsweredBy).HasMaxLength(256);
            e.Ignore(x => x.Districts);
            e.HasMany(x => x.Messages).WithOne().HasForeignKey(m => m.AppealId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.ApplicantPin);
            e.HasIndex(x => new { x.Status, x.DueAt });
            // One open appeal of a kind per application: a second one waits for the first one's answer.
            e.HasIndex(x => new { x.ApplicationId, x.Kind }).IsUnique().HasFilter("status = 'Open'");
        });
        b.Entity<AppealMessage>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Author).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.AuthorName).HasMaxLength(256);
            e.Property(x => x.Text).HasMaxLength(4000);
            e.HasIndex(x => new { x.AppealId, x.At });
        });
        b.ApplyModuleNaming(this, AppealsContracts.Module);
    }

    /// <summary>Every appeal and every message is kept: a deletion is a programming error, refused before it reaches the database.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseDeletions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseDeletions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void RefuseDeletions()
    {
        if (ChangeTracker.Entries().Any(e => e.State == EntityState.Deleted))
        {
            throw new InvalidOperationException("Appeals and their messages are never deleted.");
        }
    }
}

internal sealed class AppealsSqliteDbContext(DbContextOptions<AppealsSqliteDbContext> options) : AppealsDbContext(options);

internal sealed class AppealsPostgresDbContext(DbContextOptions<AppealsPostgresDbContext> options) : AppealsDbContext(options);

internal sealed class AppealsSqliteDesignTimeFactory() : DesignTimeFactory<AppealsSqliteDbContext>(DatabaseProvider.Sqlite, AppealsContracts.Module);

internal sealed class AppealsPostgresDesignTimeFactory() : DesignTimeFactory<AppealsPostgresDbContext>(DatabaseProvider.Postgres, AppealsContracts.Module);

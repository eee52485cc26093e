using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Data;

internal class QuotasDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignChange> CampaignChanges => Set<CampaignChange>();
    public DbSet<Quota> Quotas => Set<Quota>();
    public DbSet<QuotaChange> QuotaChanges => Set<QuotaChange>();
    public DbSet<PublishedStage> PublishedStages => Set<PublishedStage>();
    public DbSet<CampaignSwitch> Switches => Set<CampaignSwitch>();

    /// <summary>
    /// Bumps the version of every changed quota, so two people changing the same quota at once (an approval racing an
    /// edit) cannot both win: the later save affects no row and fails with CONCURRENCY_CONFLICT, saving nothing.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var (calendar, quotas) = (CalendarChanged(), QuotasChanged());
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            DropCopies(calendar, quotas);
        }
    }

    private bool QuotasChanged() => ChangeTracker.Entries<Quota>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);

    /// <summary>The per-host copies (ADR 0203, 0204) re-read after this process changed what they hold.</summary>
    private static void DropCopies(bool calendar, bool quotas)
    {
        if (calendar)
        {
            Features.CampaignCalendar.Edited();
        }

        if (quotas)
        {
            Features.ProgramsCopy.Edited();
        }
    }

    private bool CalendarChanged() => ChangeTracker.Entries().Any(e => e.Entity is Campaign or CampaignSwitch
        && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries<Quota>().Where(e => e.State == EntityState.Modified))
        {
            var version = entry.Property(x => x.Version);
            version.CurrentValue = version.OriginalValue + 1;
        }

        var (calendar, quotas) = (CalendarChanged(), QuotasChanged());
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleViolation(QuotaConcurrency.Conflict, "The quota was changed by someone else meanwhile; reload it and try again.");
        }
        finally
        {
            DropCopies(calendar, quotas); // also after a failed save: the next read goes to the database
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Campaign>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(16);
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.TieBreak).HasMaxLength(16);
            e.Property(x => x.LotterySeed).HasMaxLength(128);
        });
        b.Entity<CampaignChange>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.ChangedBy).HasMaxLength(256);
            e.Property(x => x.Changes).HasMaxLength(4000);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasIndex(x => new { x.CampaignId, x.At });
        });
        b.Entity<Quota>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.Comment).HasMaxLength(1000);
            e.Property(x => x.UpdatedBy).HasMaxLength(256);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.CampaignId, x.SchoolCode, x.Language, x.Grade }).IsUnique();
            e.HasIndex(x => new { x.CampaignId, x.DistrictCode, x.Status });
        });
        b.Entity<QuotaChange>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.ChangedBy).HasMaxLength(256);
            e.Property(x => x.Action).HasMaxLength(24);
            e.Property(x => x.OldStatus).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.NewStatus).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.Reason).HasMaxLength(1000);
            e.HasIndex(x => new { x.QuotaId, x.At });
        });
        b.Entity<PublishedStage>(e =>
        {
            e.HasKey(x => x.CampaignId);
            e.Property(x => x.Stage).HasConversion<string>().HasMaxLength(40);
        });
        b.Entity<CampaignSwitch>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
            e.Property(x => x.SchoolCodes).HasMaxLength(4000);
            e.Property(x => x.Note).HasMaxLength(1000);
            e.Property(x => x.AnnouncedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.CampaignId, x.Kind });
        });
        b.ApplyModuleNaming(this, QuotasContracts.Module);
    }
}

internal static class QuotaConcurrency
{
    public const string Conflict = "CONCURRENCY_CONFLICT";
}

internal sealed class QuotasSqliteDbContext(DbContextOptions<QuotasSqliteDbContext> options) : QuotasDbContext(options);

internal sealed class QuotasPostgresDbContext(DbContextOptions<QuotasPostgresDbContext> options) : QuotasDbContext(options);

internal sealed class QuotasSqliteDesignTimeFactory() : DesignTimeFactory<QuotasSqliteDbContext>(DatabaseProvider.Sqlite, QuotasContracts.Module);

internal sealed class QuotasPostgresDesignTimeFactory() : DesignTimeFactory<QuotasPostgresDbContext>(DatabaseProvider.Postgres, QuotasContracts.Module);

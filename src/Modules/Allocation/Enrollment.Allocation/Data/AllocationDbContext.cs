using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Domain;
using Enrollment.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Data;

internal class AllocationDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<AllocationRun> Runs => Set<AllocationRun>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<AllocationRun>(e =>
        {
            e.ToTable("Run");
            e.HasKey(x => x.Id);
            e.Property(x => x.Stage).HasMaxLength(32);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.TriggeredBy).HasMaxLength(64);
            e.Property(x => x.InputHash).HasMaxLength(64);
            e.Property(x => x.Seed).HasMaxLength(128);
            e.HasIndex(x => new { x.CampaignId, x.StartedAt });
        });
        b.ApplyModuleNaming(this, AllocationContracts.Module);
    }
}

internal sealed class AllocationSqliteDbContext(DbContextOptions<AllocationSqliteDbContext> options) : AllocationDbContext(options);

internal sealed class AllocationPostgresDbContext(DbContextOptions<AllocationPostgresDbContext> options) : AllocationDbContext(options);

internal sealed class AllocationSqliteDesignTimeFactory() : DesignTimeFactory<AllocationSqliteDbContext>(DatabaseProvider.Sqlite, AllocationContracts.Module);

internal sealed class AllocationPostgresDesignTimeFactory() : DesignTimeFactory<AllocationPostgresDbContext>(DatabaseProvider.Postgres, AllocationContracts.Module);

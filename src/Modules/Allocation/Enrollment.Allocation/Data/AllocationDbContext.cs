using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Domain;
using Enrollment.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Allocation.Data;

internal class AllocationDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<AllocationRun> Runs => Set<AllocationRun>();
    public DbSet<RunProgram> RunPrograms => Set<RunProgram>();
    public DbSet<RunSnapshot> RunSnapshots => Set<RunSnapshot>();
    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<Explanation> Explanations => Set<Explanation>();
    public DbSet<AllocationLock> Locks => Set<AllocationLock>();

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
            e.Property(x => x.Trigger).HasMaxLength(16);
            e.Property(x => x.InputHash).HasMaxLength(64);
            e.Property(x => x.ResultHash).HasMaxLength(64);
            e.Property(x => x.Seed).HasMaxLength(128);
            e.Property(x => x.TieBreak).HasMaxLength(16);
            e.Property(x => x.Error).HasMaxLength(1000);
            e.HasIndex(x => new { x.CampaignId, x.StartedAt });
        });
        b.Entity<RunProgram>(e =>
        {
            e.ToTable("RunProgram");
            e.HasKey(x => new { x.RunId, x.ProgramId });
            e.Property(x => x.ProgramId).HasMaxLength(64);
            e.Property(x => x.SchoolCode).HasMaxLength(32);
            e.Property(x => x.Language).HasMaxLength(8);
        });
        b.Entity<RunSnapshot>(e =>
        {
            e.ToTable("RunSnapshot");
            e.HasKey(x => x.RunId);
        });
        b.Entity<Offer>(e =>
        {
            e.ToTable("Offer");
            e.HasKey(x => x.Id);
            e.Property(x => x.ProgramId).HasMaxLength(64);
            e.Property(x => x.SchoolCode).HasMaxLength(32);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ClosedReason).HasMaxLength(200);
            e.HasIndex(x => new { x.ApplicationId, x.MadeAt });
            e.HasIndex(x => new { x.CampaignId, x.Status, x.ProgramId });

            // The database itself refuses a second open offer for one application.
            e.HasIndex(x => x.ApplicationId).IsUnique().HasDatabaseName("ux_allocation_offer_open")
                .HasFilter("status IN ('Offered', 'Confirmed', 'Enrolled')");
        });
        b.Entity<Explanation>(e =>
        {
            e.ToTable("Explanation");
            e.HasKey(x => new { x.ApplicationId, x.RunId });
            e.Property(x => x.AssignedProgram).HasMaxLength(64);
            e.Property(x => x.HeldProgram).HasMaxLength(64);
            e.HasIndex(x => x.RunId);
        });
        b.Entity<AllocationLock>(e =>
        {
            e.ToTable("Lock");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(32);
            e.Property(x => x.Owner).HasMaxLength(128);
            e.HasData(new AllocationLock { Name = AllocationLock.Allocation, Epoch = 0 });
        });
        b.ApplyModuleNaming(this, AllocationContracts.Module);
    }
}

internal sealed class AllocationSqliteDbContext(DbContextOptions<AllocationSqliteDbContext> options) : AllocationDbContext(options);

internal sealed class AllocationPostgresDbContext(DbContextOptions<AllocationPostgresDbContext> options) : AllocationDbContext(options);

internal sealed class AllocationSqliteDesignTimeFactory() : DesignTimeFactory<AllocationSqliteDbContext>(DatabaseProvider.Sqlite, AllocationContracts.Module);

internal sealed class AllocationPostgresDesignTimeFactory() : DesignTimeFactory<AllocationPostgresDbContext>(DatabaseProvider.Postgres, AllocationContracts.Module);

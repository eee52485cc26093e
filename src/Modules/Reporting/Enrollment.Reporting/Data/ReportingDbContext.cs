using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Reporting.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Reporting.Data;

/// <summary>Open-data read model: one row per region, recomputed from the Schools Contracts (never its tables).</summary>
internal sealed class RegionSummaryRow
{
    public required string RegionCode { get; init; }
    public required string NameKy { get; set; }
    public required string NameRu { get; set; }
    public int Districts { get; set; }
    public int Schools { get; set; }
    public int ParticipatingSchools { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal class ReportingDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<RegionSummaryRow> RegionSummaries => Set<RegionSummaryRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<RegionSummaryRow>(e =>
        {
            e.ToTable("RegionSummary");
            e.HasKey(x => x.RegionCode);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.Property(x => x.NameKy).HasMaxLength(200);
            e.Property(x => x.NameRu).HasMaxLength(200);
        });
        b.ApplyModuleNaming(this, ReportingContracts.Module);
    }
}

internal sealed class ReportingSqliteDbContext(DbContextOptions<ReportingSqliteDbContext> options) : ReportingDbContext(options);

internal sealed class ReportingPostgresDbContext(DbContextOptions<ReportingPostgresDbContext> options) : ReportingDbContext(options);

internal sealed class ReportingSqliteDesignTimeFactory() : DesignTimeFactory<ReportingSqliteDbContext>(DatabaseProvider.Sqlite, ReportingContracts.Module);

internal sealed class ReportingPostgresDesignTimeFactory() : DesignTimeFactory<ReportingPostgresDbContext>(DatabaseProvider.Postgres, ReportingContracts.Module);

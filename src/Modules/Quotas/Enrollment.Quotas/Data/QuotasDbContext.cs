using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Data;

internal class QuotasDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Campaign> Campaigns => Set<Campaign>();

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
        b.ApplyModuleNaming(this, QuotasContracts.Module);
    }
}

internal sealed class QuotasSqliteDbContext(DbContextOptions<QuotasSqliteDbContext> options) : QuotasDbContext(options);

internal sealed class QuotasPostgresDbContext(DbContextOptions<QuotasPostgresDbContext> options) : QuotasDbContext(options);

internal sealed class QuotasSqliteDesignTimeFactory() : DesignTimeFactory<QuotasSqliteDbContext>(DatabaseProvider.Sqlite, QuotasContracts.Module);

internal sealed class QuotasPostgresDesignTimeFactory() : DesignTimeFactory<QuotasPostgresDbContext>(DatabaseProvider.Postgres, QuotasContracts.Module);

using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Data;

internal class SchoolsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<District> Districts => Set<District>();
    public DbSet<Settlement> Settlements => Set<Settlement>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<MicrodistrictRule> MicrodistrictRules => Set<MicrodistrictRule>();
    public DbSet<MicrodistrictPolygon> MicrodistrictPolygons => Set<MicrodistrictPolygon>();
    public DbSet<StreetNameAlias> StreetAliases => Set<StreetNameAlias>();
    public DbSet<RegistryAddress> RegistryAddresses => Set<RegistryAddress>();
    public DbSet<MicrodistrictChange> MicrodistrictChanges => Set<MicrodistrictChange>();
    public DbSet<MicrodistrictProposal> MicrodistrictProposals => Set<MicrodistrictProposal>();
    public DbSet<MicrodistrictIndexStamp> IndexStamps => Set<MicrodistrictIndexStamp>();

    /// <summary>The current version of the resolution index's data (see <see cref="MicrodistrictIndexStamp"/>).</summary>
    public Task<long> IndexStampAsync(CancellationToken ct) =>
        IndexStamps.AsNoTracking().Where(s => s.Id == MicrodistrictIndexStamp.SingletonId).Select(s => s.Version).FirstOrDefaultAsync(ct);

    /// <summary>Bumps the stamp atomically (in the caller's transaction, if any).</summary>
    public Task<int> BumpIndexStampAsync(CancellationToken ct) =>
        IndexStamps.Where(s => s.Id == MicrodistrictIndexStamp.SingletonId).ExecuteUpdateAsync(u => u.SetProperty(s => s.Version, s => s.Version + 1), ct);

    /// <summary>
    /// Saving a change to anything the resolution index is built from also bumps the index stamp, in the same
    /// transaction, so other hosts notice (see MicrodistrictIndexCache).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var touchesIndex = ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is School or MicrodistrictRule or MicrodistrictPolygon or StreetNameAlias);
        if (!touchesIndex)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            await BumpIndexStampAsync(cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await BumpIndexStampAsync(cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: it versions the resolution index.");

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Region>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.NameKy).HasMaxLength(200);
            e.Property(x => x.NameRu).HasMaxLength(200);
        });
        b.Entity<District>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.Property(x => x.NameKy).HasMaxLength(200);
            e.Property(x => x.NameRu).HasMaxLength(200);
            e.HasIndex(x => x.RegionCode);
            e.HasOne<Region>().WithMany().HasForeignKey(x => x.RegionCode).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Settlement>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.NameKy).HasMaxLength(200);
            e.Property(x => x.NameRu).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.HasIndex(x => x.DistrictCode);
            e.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictCode).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<School>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.SettlementCode).HasMaxLength(16);
            e.Property(x => x.NameKy).HasMaxLength(300);
            e.Property(x => x.NameRu).HasMaxLength(300);
            e.Property(x => x.Address).HasMaxLength(300);
            e.Property(x => x.Type).HasMaxLength(16);
            e.Property(x => x.Languages).HasMaxLength(32);
            e.Property(x => x.NonParticipationReason).HasMaxLength(32);
            e.Ignore(x => x.LanguageList);
            e.HasIndex(x => x.DistrictCode);
            e.HasIndex(x => x.RegionCode);
            e.HasIndex(x => x.SettlementCode);
            e.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictCode).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Settlement>().WithMany().HasForeignKey(x => x.SettlementCode).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<MicrodistrictRule>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.SettlementCode).HasMaxLength(16);
            e.Property(x => x.Street).HasMaxLength(200);
            e.Property(x => x.HouseSet).HasMaxLength(2000);
            e.HasIndex(x => x.SchoolCode);
            e.HasIndex(x => new { x.SettlementCode, x.Street });
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolCode).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<MicrodistrictPolygon>(e =>
        {
            e.HasKey(x => x.SchoolCode);
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.HasOne<School>().WithOne().HasForeignKey<MicrodistrictPolygon>(x => x.SchoolCode).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<StreetNameAlias>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.SettlementCode).HasMaxLength(16);
            e.Property(x => x.Street).HasMaxLength(200);
            e.Property(x => x.Variant).HasMaxLength(200);
            e.HasIndex(x => x.SettlementCode);
            e.HasOne<Settlement>().WithMany().HasForeignKey(x => x.SettlementCode).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<RegistryAddress>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.SettlementCode).HasMaxLength(16);
            e.Property(x => x.Street).HasMaxLength(200);
            e.Property(x => x.House).HasMaxLength(50);
            e.HasIndex(x => x.SettlementCode);
        });
        b.Entity<MicrodistrictChange>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.ChangedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.SchoolCode, x.Id });
            e.HasIndex(x => x.DistrictCode);
        });
        b.Entity<MicrodistrictProposal>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.ProposedBy).HasMaxLength(256);
            e.Property(x => x.DecidedBy).HasMaxLength(256);
            e.HasIndex(x => new { x.Status, x.DistrictCode });
            e.HasIndex(x => x.SchoolCode);
        });
        b.Entity<MicrodistrictIndexStamp>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasData(new MicrodistrictIndexStamp { Id = MicrodistrictIndexStamp.SingletonId, Version = 0 });
        });
        b.ApplyModuleNaming(this, SchoolsContracts.Module);
    }
}

internal sealed class SchoolsSqliteDbContext(DbContextOptions<SchoolsSqliteDbContext> options) : SchoolsDbContext(options);

internal sealed class SchoolsPostgresDbContext(DbContextOptions<SchoolsPostgresDbContext> options) : SchoolsDbContext(options);

internal sealed class SchoolsSqliteDesignTimeFactory() : DesignTimeFactory<SchoolsSqliteDbContext>(DatabaseProvider.Sqlite, SchoolsContracts.Module);

internal sealed class SchoolsPostgresDesignTimeFactory() : DesignTimeFactory<SchoolsPostgresDbContext>(DatabaseProvider.Postgres, SchoolsContracts.Module);

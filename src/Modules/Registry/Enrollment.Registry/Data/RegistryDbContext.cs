using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Registry.Data;

internal class RegistryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<PopulationPerson> Persons => Set<PopulationPerson>();
    public DbSet<RegisteredAddress> Addresses => Set<RegisteredAddress>();
    public DbSet<ParentLink> ParentLinks => Set<ParentLink>();
    public DbSet<PriorityDocument> PriorityDocuments => Set<PriorityDocument>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<PopulationPerson>(e =>
        {
            e.ToTable("PopulationPerson");
            e.HasKey(x => x.Pin);
            e.Property(x => x.Pin).HasMaxLength(14);
            e.Property(x => x.LastName).HasMaxLength(100);
            e.Property(x => x.FirstName).HasMaxLength(100);
            e.Property(x => x.Patronymic).HasMaxLength(100);
            e.Property(x => x.Sex).HasConversion<string>().HasMaxLength(1);
            e.Property(x => x.BirthCertificateNumber).HasMaxLength(32);
            e.Property(x => x.PassportNumber).HasMaxLength(32);
            e.Property(x => x.Phone).HasMaxLength(32);
            e.Property(x => x.Email).HasMaxLength(254);
        });
        b.Entity<RegisteredAddress>(e =>
        {
            e.ToTable("PopulationAddress");
            e.HasKey(x => x.Pin);
            e.Property(x => x.Pin).HasMaxLength(14);
            e.Property(x => x.SettlementCode).HasMaxLength(16);
            e.Property(x => x.Street).HasMaxLength(200);
            e.Property(x => x.House).HasMaxLength(32);
            e.Property(x => x.Apartment).HasMaxLength(16);
            e.HasOne<PopulationPerson>().WithOne().HasForeignKey<RegisteredAddress>(x => x.Pin).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ParentLink>(e =>
        {
            e.ToTable("PopulationParentLink");
            e.HasKey(x => new { x.ParentPin, x.ChildPin });
            e.Property(x => x.ParentPin).HasMaxLength(14);
            e.Property(x => x.ChildPin).HasMaxLength(14);
            e.Property(x => x.Relation).HasMaxLength(32);
            e.HasIndex(x => x.ChildPin);
            e.HasOne<PopulationPerson>().WithMany().HasForeignKey(x => x.ParentPin).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<PopulationPerson>().WithMany().HasForeignKey(x => x.ChildPin).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<PriorityDocument>(e =>
        {
            e.ToTable("PopulationPriorityDocument");
            e.HasKey(x => new { x.ChildPin, x.Category });
            e.Property(x => x.ChildPin).HasMaxLength(14);
            e.Property(x => x.Category).HasMaxLength(32);
            e.Property(x => x.DocumentNumber).HasMaxLength(64);
        });
        b.ApplyModuleNaming(this, RegistryContracts.Module);
    }
}

internal sealed class RegistrySqliteDbContext(DbContextOptions<RegistrySqliteDbContext> options) : RegistryDbContext(options);

internal sealed class RegistryPostgresDbContext(DbContextOptions<RegistryPostgresDbContext> options) : RegistryDbContext(options);

internal sealed class RegistrySqliteDesignTimeFactory() : DesignTimeFactory<RegistrySqliteDbContext>(DatabaseProvider.Sqlite, RegistryContracts.Module);

internal sealed class RegistryPostgresDesignTimeFactory() : DesignTimeFactory<RegistryPostgresDbContext>(DatabaseProvider.Postgres, RegistryContracts.Module);

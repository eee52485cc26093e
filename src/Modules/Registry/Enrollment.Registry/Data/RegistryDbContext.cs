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
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<ApplicationChoice> ApplicationChoices => Set<ApplicationChoice>();
    public DbSet<ApplicationHistoryEntry> ApplicationHistory => Set<ApplicationHistoryEntry>();
    public DbSet<CancellationAllowance> CancellationAllowances => Set<CancellationAllowance>();
    public DbSet<CancellationGrant> CancellationGrants => Set<CancellationGrant>();
    public DbSet<ProcessedOfferBatch> ProcessedOfferBatches => Set<ProcessedOfferBatch>();
    public DbSet<ProofFile> ProofFiles => Set<ProofFile>();

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
        ConfigureApplications(b);
        b.Entity<ProofFile>(e =>
        {
            e.ToTable("ProofFile");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.OwnerPin).HasMaxLength(14);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.ContentType).HasMaxLength(32);
            e.Property(x => x.StoredName).HasMaxLength(32);
            e.HasIndex(x => x.OwnerPin);
            e.HasIndex(x => x.StoredName).IsUnique();
        });
        b.ApplyModuleNaming(this, RegistryContracts.Module);
    }

    private static void ConfigureApplications(ModelBuilder b)
    {
        b.Entity<Application>(e =>
        {
            e.ToTable("Application");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ChildPin).HasMaxLength(14);
            e.Property(x => x.ApplicantPin).HasMaxLength(14);
            e.Property(x => x.ActiveKey).HasMaxLength(14);
            e.Property(x => x.Relation).HasMaxLength(32);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.IdempotencyKey).HasMaxLength(64);
            e.Property(x => x.ChildLastName).HasMaxLength(100);
            e.Property(x => x.ChildFirstName).HasMaxLength(100);
            e.Property(x => x.ChildSex).HasConversion<string>().HasMaxLength(1);
            e.Property(x => x.ApplicantName).HasMaxLength(300);
            e.Property(x => x.Phone).HasMaxLength(32);
            e.Property(x => x.Email).HasMaxLength(254);
            e.Property(x => x.SecondaryEmail).HasMaxLength(254);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.PriorityCategory).HasMaxLength(32);
            e.Property(x => x.PriorityStatus).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.PriorityNote).HasMaxLength(500);
            e.Property(x => x.ResidentSchoolCodes).HasMaxLength(200);
            e.Property(x => x.ResidentOverrideSchoolCodes).HasMaxLength(200);
            e.Property(x => x.WrittenApplicationNumber).HasMaxLength(64);
            e.Property(x => x.CommissionGrounds).HasMaxLength(100);
            e.Property(x => x.CommissionNumber).HasMaxLength(64);
            e.Property(x => x.CommissionBody).HasMaxLength(200);
            e.Property(x => x.SubmittedInStage).HasMaxLength(32);
            e.Property(x => x.Mismatches).HasMaxLength(2000);
            e.Property(x => x.OfferSchoolCode).HasMaxLength(16);
            e.Property(x => x.OfferLanguage).HasMaxLength(8);
            e.Property(x => x.EnrolledSchoolCode).HasMaxLength(16);
            e.Property(x => x.EnrolledLanguage).HasMaxLength(8);
            e.Property(x => x.EnrollmentOrderNumber).HasMaxLength(64);
            e.Property(x => x.RejectionReason).HasMaxLength(64);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.NewHistory);
            e.Ignore(x => x.IsActive);
            e.Ignore(x => x.ResidentSchools);
            e.Ignore(x => x.ResidentOverrides);
            e.HasIndex(x => new { x.CampaignId, x.ActiveKey }).IsUnique();
            e.HasIndex(x => new { x.ApplicantPin, x.IdempotencyKey }).IsUnique();
            e.HasIndex(x => new { x.CampaignId, x.ChildPin });
            e.HasIndex(x => new { x.CampaignId, x.Status });
            e.HasIndex(x => new { x.Status, x.CorrectionDueAt });
            // The staff application list (admin page and GraphQL `applications`) pages in submission order: without this
            // index every page sorted every application of the campaign (≈ 0.6 s a page at national scale).
            e.HasIndex(x => new { x.SubmittedAt, x.Id });
            e.HasIndex(x => x.PriorityProofId);
            e.HasIndex(x => x.RepresentativeProofId);
            e.HasMany(x => x.Choices).WithOne().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.History).WithOne().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ApplicationChoice>(e =>
        {
            e.ToTable("ApplicationChoice");
            e.HasKey(x => new { x.ApplicationId, x.Rank });
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.Language).HasMaxLength(8);
            e.HasIndex(x => x.SchoolCode);
            e.HasIndex(x => x.DistrictCode);
        });
        b.Entity<ApplicationHistoryEntry>(e =>
        {
            e.ToTable("ApplicationHistory");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.From).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.To).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Reason).HasMaxLength(2000);
            e.HasIndex(x => new { x.ApplicationId, x.Sequence }).IsUnique();
        });
        b.Entity<CancellationAllowance>(e =>
        {
            e.ToTable("CancellationAllowance");
            e.HasKey(x => new { x.CampaignId, x.ChildPin });
            e.Property(x => x.ChildPin).HasMaxLength(14);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<CancellationGrant>(e =>
        {
            e.ToTable("CancellationGrant");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ChildPin).HasMaxLength(14);
            e.Property(x => x.GrantedBy).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.HasIndex(x => new { x.CampaignId, x.ChildPin });
        });
        b.Entity<ProcessedOfferBatch>(e =>
        {
            e.ToTable("ProcessedOfferBatch");
            e.HasKey(x => x.BatchId);
            e.Property(x => x.BatchId).ValueGeneratedNever();
        });
    }
}

internal sealed class RegistrySqliteDbContext(DbContextOptions<RegistrySqliteDbContext> options) : RegistryDbContext(options);

internal sealed class RegistryPostgresDbContext(DbContextOptions<RegistryPostgresDbContext> options) : RegistryDbContext(options);

internal sealed class RegistrySqliteDesignTimeFactory() : DesignTimeFactory<RegistrySqliteDbContext>(DatabaseProvider.Sqlite, RegistryContracts.Module);

internal sealed class RegistryPostgresDesignTimeFactory() : DesignTimeFactory<RegistryPostgresDbContext>(DatabaseProvider.Postgres, RegistryContracts.Module);

using Enrollment.BuildingBlocks.Persistence;
using Enrollment.Registry.Contracts;
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

/// <summary>District names for the reports (from the Schools Contracts, refreshed with the region summary).</summary>
internal sealed class DistrictRow
{
    public required string DistrictCode { get; init; }
    public required string RegionCode { get; set; }
    public required string NameKy { get; set; }
    public required string NameRu { get; set; }
}

/// <summary>
/// One application as a pseudonymous fact (copied from Registry's <see cref="ApplicationFactDto"/>): no names, PINs, contacts
/// or address — a keyed hash of the child, birth year, sex, and the district/region of the first choice's school.
/// <see cref="EventAt"/>/<see cref="HistoryId"/> is the version of the event that wrote the row: an older one never overwrites it.
/// </summary>
internal sealed class ApplicationFactRow
{
    public Guid ApplicationId { get; init; }
    public Guid CampaignId { get; set; }
    public required string ChildKey { get; set; }
    public int BirthYear { get; set; }
    public required string Sex { get; set; }
    public ApplicationStatus Status { get; set; }
    public string? Stage { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>Asia/Bishkek calendar day of <see cref="SubmittedAt"/> (the daily series counts by it).</summary>
    public DateOnly? SubmittedOn { get; set; }

    public string? SchoolCode { get; set; }
    public string? Language { get; set; }
    public int? Grade { get; set; }
    public string? DistrictCode { get; set; }
    public string? RegionCode { get; set; }

    /// <summary>Every ranked choice as <c>school/language/grade</c>, separated by <c>;</c>.</summary>
    public required string Choices { get; set; }

    public int ChoiceCount { get; set; }
    public string? PriorityCategory { get; set; }
    public bool PriorityVerified { get; set; }

    /// <summary>A verified priority category (what open data counts as "privileged").</summary>
    public bool Privileged { get; set; }

    public string? EnrolledSchoolCode { get; set; }
    public string? EnrolledLanguage { get; set; }
    public int? EnrolledGrade { get; set; }
    public string? EnrolledDistrictCode { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset EventAt { get; set; }
    public Guid? HistoryId { get; set; }

    /// <summary>Position of that history entry in the application's history (orders changes that share an instant).</summary>
    public int EventSequence { get; set; }
}

/// <summary>Seats of one program (Quotas' approved seats, Allocation's held offers and enrolled, free) with its place and language.</summary>
internal sealed class ProgramFactRow
{
    public Guid CampaignId { get; init; }
    public required string SchoolCode { get; init; }
    public required string Language { get; init; }
    public int Grade { get; init; }
    public required string SchoolNameKy { get; set; }
    public required string SchoolNameRu { get; set; }
    public required string DistrictCode { get; set; }
    public required string RegionCode { get; set; }
    public int Classes { get; set; }
    public int ApprovedSeats { get; set; }
    public int Offers { get; set; }
    public int Enrolled { get; set; }
    public int FreeSeats { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Applications submitted per Asia/Bishkek day and region (of the first choice), derived from the facts.</summary>
internal sealed class DailyApplicationsRow
{
    public Guid CampaignId { get; init; }
    public DateOnly Day { get; init; }
    public required string RegionCode { get; init; }
    public int Submitted { get; set; }
}

/// <summary>A counter bumped by every write to the read model: the open-data ETags are built from it.</summary>
internal sealed class ReadModelVersionRow
{
    public int Id { get; init; }
    public long Version { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>An analyst's named GraphQL query, re-run from the admin.</summary>
internal sealed class SavedQueryRow
{
    public Guid Id { get; init; }
    public required string Owner { get; init; }
    public required string Name { get; set; }
    public required string Query { get; set; }
    public string? Variables { get; set; }
    public DateTimeOffset SavedAt { get; set; }
}

internal class ReportingDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<RegionSummaryRow> RegionSummaries => Set<RegionSummaryRow>();
    public DbSet<DistrictRow> Districts => Set<DistrictRow>();
    public DbSet<ApplicationFactRow> ApplicationFacts => Set<ApplicationFactRow>();
    public DbSet<ProgramFactRow> ProgramFacts => Set<ProgramFactRow>();
    public DbSet<DailyApplicationsRow> DailyApplications => Set<DailyApplicationsRow>();
    public DbSet<ReadModelVersionRow> Versions => Set<ReadModelVersionRow>();
    public DbSet<SavedQueryRow> SavedQueries => Set<SavedQueryRow>();

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
        b.Entity<DistrictRow>(e =>
        {
            e.ToTable("District");
            e.HasKey(x => x.DistrictCode);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.Property(x => x.NameKy).HasMaxLength(200);
            e.Property(x => x.NameRu).HasMaxLength(200);
        });
        b.Entity<ApplicationFactRow>(e =>
        {
            e.ToTable("ApplicationFact");
            e.HasKey(x => x.ApplicationId);
            e.Property(x => x.ChildKey).HasMaxLength(100);
            e.Property(x => x.Sex).HasMaxLength(1);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Stage).HasMaxLength(40);
            e.Property(x => x.SchoolCode).HasMaxLength(32);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.Property(x => x.Choices).HasMaxLength(400);
            e.Property(x => x.PriorityCategory).HasMaxLength(60);
            e.Property(x => x.EnrolledSchoolCode).HasMaxLength(32);
            e.Property(x => x.EnrolledLanguage).HasMaxLength(8);
            e.Property(x => x.EnrolledDistrictCode).HasMaxLength(16);
            e.HasIndex(x => new { x.CampaignId, x.RegionCode, x.DistrictCode, x.Language });
            // Covers the open-data roll-ups (region/district × language × grade, status, privileged) without reading the rows.
            e.HasIndex(x => new { x.CampaignId, x.RegionCode, x.Language, x.Grade, x.Status, x.Privileged }).HasDatabaseName("IX_reporting_application_fact_open_data_region");
            e.HasIndex(x => new { x.CampaignId, x.DistrictCode, x.Language, x.Grade, x.Status, x.Privileged }).HasDatabaseName("IX_reporting_application_fact_open_data_district");
            e.HasIndex(x => new { x.CampaignId, x.SchoolCode });
            e.HasIndex(x => new { x.CampaignId, x.EnrolledSchoolCode });
            e.HasIndex(x => new { x.CampaignId, x.SubmittedOn, x.RegionCode });
        });
        b.Entity<ProgramFactRow>(e =>
        {
            e.ToTable("ProgramFact");
            e.HasKey(x => new { x.CampaignId, x.SchoolCode, x.Language, x.Grade });
            e.Property(x => x.SchoolCode).HasMaxLength(32);
            e.Property(x => x.Language).HasMaxLength(8);
            e.Property(x => x.SchoolNameKy).HasMaxLength(300);
            e.Property(x => x.SchoolNameRu).HasMaxLength(300);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.RegionCode).HasMaxLength(16);
            e.HasIndex(x => new { x.CampaignId, x.RegionCode, x.DistrictCode, x.Language });
        });
        b.Entity<DailyApplicationsRow>(e =>
        {
            e.ToTable("DailyApplications");
            e.HasKey(x => new { x.CampaignId, x.Day, x.RegionCode });
            e.Property(x => x.RegionCode).HasMaxLength(16);
        });
        b.Entity<ReadModelVersionRow>(e =>
        {
            e.ToTable("ReadModelVersion");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        b.Entity<SavedQueryRow>(e =>
        {
            e.ToTable("SavedQuery");
            e.HasKey(x => x.Id);
            e.Property(x => x.Owner).HasMaxLength(100);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Query).HasMaxLength(20_000);
            e.Property(x => x.Variables).HasMaxLength(20_000);
            e.HasIndex(x => new { x.Owner, x.Name }).IsUnique();
        });
        b.ApplyModuleNaming(this, ReportingContracts.Module);
    }
}

internal sealed class ReportingSqliteDbContext(DbContextOptions<ReportingSqliteDbContext> options) : ReportingDbContext(options);

internal sealed class ReportingPostgresDbContext(DbContextOptions<ReportingPostgresDbContext> options) : ReportingDbContext(options);

internal sealed class ReportingSqliteDesignTimeFactory() : DesignTimeFactory<ReportingSqliteDbContext>(DatabaseProvider.Sqlite, ReportingContracts.Module);

internal sealed class ReportingPostgresDesignTimeFactory() : DesignTimeFactory<ReportingPostgresDbContext>(DatabaseProvider.Postgres, ReportingContracts.Module);

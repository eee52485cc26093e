using Enrollment.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Audit;

/// <summary>One row of the append-only audit trail (written by <c>AuditInterceptor</c>; never updated or deleted).</summary>
internal sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string ActorId { get; set; } = "";
    public string ActorName { get; set; } = "";
    public string ActorRoles { get; set; } = "";
    public string? DistrictCode { get; set; }
    public string? SchoolCode { get; set; }
    public string? RequestId { get; set; }
    public string Module { get; set; } = "";
    public string Entity { get; set; } = "";
    public string EntityKey { get; set; } = "";
    public string Action { get; set; } = "";
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
    public string? Reason { get; set; }
    public string? PreviousHash { get; set; }
    public string Hash { get; set; } = "";

    /// <summary>1: the hash covers the snapshots (entries before redaction existed); 2: it covers their digests.</summary>
    public int HashVersion { get; set; } = 1;

    /// <summary>SHA-256 of <see cref="BeforeJson"/> as written (version 2); kept when retention redacts the snapshot.</summary>
    public string? BeforeDigest { get; set; }

    /// <summary>SHA-256 of <see cref="AfterJson"/> as written (version 2); kept when retention redacts the snapshot.</summary>
    public string? AfterDigest { get; set; }

    /// <summary>When retention replaced the personal data in the snapshots (null: the snapshots are as written).</summary>
    public DateTimeOffset? RedactedAt { get; set; }

    /// <summary>The redaction (its <c>audit</c>/<c>Redaction</c> entry's key) that redacted this entry.</summary>
    public string? RedactedBy { get; set; }
}

/// <summary>Owns the audit table's schema (migrations) and reads it; writes come only from the interceptor.</summary>
internal class AuditDbContext(DbContextOptions options) : DbContext(options)
{
    public const string Module = "audit";

    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("Entries");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.ActorId).HasMaxLength(64);
            e.Property(x => x.ActorName).HasMaxLength(128);
            e.Property(x => x.ActorRoles).HasMaxLength(128);
            e.Property(x => x.DistrictCode).HasMaxLength(16);
            e.Property(x => x.SchoolCode).HasMaxLength(16);
            e.Property(x => x.RequestId).HasMaxLength(128);
            e.Property(x => x.Module).HasMaxLength(32);
            e.Property(x => x.Entity).HasMaxLength(128);
            e.Property(x => x.EntityKey).HasMaxLength(256);
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.BeforeDigest).HasMaxLength(64);
            e.Property(x => x.AfterDigest).HasMaxLength(64);
            e.Property(x => x.RedactedBy).HasMaxLength(64);
            e.HasIndex(x => x.At);
            e.HasIndex(x => new { x.Module, x.Entity, x.EntityKey });
            e.HasIndex(x => x.ActorName);
            e.HasIndex(x => x.SchoolCode);
            e.HasIndex(x => x.DistrictCode);
        });
        b.ApplyModuleNaming(this, Module);
    }
}

internal sealed class AuditSqliteDbContext(DbContextOptions<AuditSqliteDbContext> options) : AuditDbContext(options);

internal sealed class AuditPostgresDbContext(DbContextOptions<AuditPostgresDbContext> options) : AuditDbContext(options);

internal sealed class AuditSqliteDesignTimeFactory() : DesignTimeFactory<AuditSqliteDbContext>(DatabaseProvider.Sqlite, AuditDbContext.Module);

internal sealed class AuditPostgresDesignTimeFactory() : DesignTimeFactory<AuditPostgresDbContext>(DatabaseProvider.Postgres, AuditDbContext.Module);

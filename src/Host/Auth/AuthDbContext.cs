using Enrollment.BuildingBlocks.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Auth;

/// <summary>A staff member or a parent. Scope claims come from <see cref="DistrictCode"/>, <see cref="SchoolCode"/>, <see cref="Pin"/>.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public string? DistrictCode { get; set; }
    public string? SchoolCode { get; set; }
    public string? Pin { get; set; }
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the security stamp or <see cref="IsDisabled"/> last changed (null: never since the account was made); ADR 0805.</summary>
    public DateTimeOffset? StampChangedAt { get; set; }
}

/// <summary>A refresh token for GraphQL clients: stored as a SHA-256 hash, single use, rotated on refresh.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal class AuthDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options)
{
    public const string Module = "auth";

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>().Property(u => u.DisplayName).HasMaxLength(200);
        builder.Entity<AppUser>().Property(u => u.DistrictCode).HasMaxLength(16);
        builder.Entity<AppUser>().Property(u => u.SchoolCode).HasMaxLength(16);
        builder.Entity<AppUser>().Property(u => u.Pin).HasMaxLength(14);
        builder.Entity<AppUser>().HasIndex(u => u.Pin);
        builder.Entity<AppUser>().HasIndex(u => u.StampChangedAt);
        builder.Entity<RefreshToken>(e =>
        {
            e.HasKey(t => t.Id);
            e.Property(t => t.UserId).HasMaxLength(64);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.ExpiresAt);
        });
        builder.ApplyModuleNaming(this, Module);
    }
}

internal sealed class AuthSqliteDbContext(DbContextOptions<AuthSqliteDbContext> options) : AuthDbContext(options);

internal sealed class AuthPostgresDbContext(DbContextOptions<AuthPostgresDbContext> options) : AuthDbContext(options);

internal sealed class AuthSqliteDesignTimeFactory() : DesignTimeFactory<AuthSqliteDbContext>(DatabaseProvider.Sqlite, AuthDbContext.Module);

internal sealed class AuthPostgresDesignTimeFactory() : DesignTimeFactory<AuthPostgresDbContext>(DatabaseProvider.Postgres, AuthDbContext.Module);

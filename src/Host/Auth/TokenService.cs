using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Enrollment.Host.Auth;

internal sealed class AuthOptions
{
    public const string Issuer = "enrollment";
    public const string Audience = "enrollment-api";

    /// <summary>Base64 HMAC-SHA256 key, at least 32 bytes. Required in production (docs/security.md: rotation).</summary>
    public string? SigningKey { get; set; }
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a host trusts its cached copy of an account's security stamp (other hosts' changes show after it).</summary>
    public TimeSpan TokenStampCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// PBKDF2 iterations for new password hashes; unset = ASP.NET Identity's default (100,000). Benchmarks and demos
    /// only: it lets the day before of an opening-day benchmark sign up tens of thousands of parents in minutes instead
    /// of hours. A Production host refuses to start with it set (<see cref="PasswordHashIterationsFor"/>).
    /// </summary>
    public int? PasswordHashIterations { get; set; }

    /// <summary>The iteration count to configure, or null for Identity's default; throws for Production or a count below 1.</summary>
    public static int? PasswordHashIterationsFor(AuthOptions options, IHostEnvironment environment)
    {
        if (options.PasswordHashIterations is not { } iterations)
        {
            return null;
        }

        if (environment.IsProduction())
        {
            throw new InvalidOperationException("Auth:PasswordHashIterations is for benchmarks and demos only; remove it in Production.");
        }

        return iterations >= 1 ? iterations : throw new InvalidOperationException("Auth:PasswordHashIterations must be at least 1.");
    }

    public static SymmetricSecurityKey ResolveKey(AuthOptions options, IHostEnvironment environment, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var bytes = Convert.FromBase64String(options.SigningKey);
            return bytes.Length >= 32 ? new SymmetricSecurityKey(bytes) : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
        }

        if (environment.IsProduction())
        {
            throw new InvalidOperationException("Auth:SigningKey must be configured in production.");
        }

        // Development and tests: one random key kept beside the data so tokens survive a restart.
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "signing.key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}

internal sealed record TokenPair(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

/// <summary>Signs short-lived bearer tokens and rotates single-use refresh tokens for GraphQL clients.</summary>
internal sealed class TokenService(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    AuthDbContext db,
    SymmetricSecurityKey key,
    AuthOptions options,
    IClock clock)
{
    public async Task<TokenPair> LoginAsync(string userName, string password, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null || user.IsDisabled)
        {
            throw new RuleViolation("INVALID_CREDENTIALS", "The user name or password is wrong.");
        }

        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            throw new RuleViolation("ACCOUNT_LOCKED", "Too many failed attempts; try again later.");
        }

        if (!check.Succeeded)
        {
            throw new RuleViolation("INVALID_CREDENTIALS", "The user name or password is wrong.");
        }

        return await IssueAsync(user, ct);
    }

    public async Task<TokenPair> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var hash = Hash(refreshToken);
        var now = clock.UtcNow;
        var stored = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (stored is null || stored.UsedAt is not null || stored.ExpiresAt <= now)
        {
            throw new RuleViolation("INVALID_REFRESH_TOKEN", "The refresh token is unknown, used or expired; sign in again.");
        }

        var user = await users.FindByIdAsync(stored.UserId);
        if (user is null || user.IsDisabled)
        {
            throw new RuleViolation("INVALID_REFRESH_TOKEN", "The refresh token is unknown, used or expired; sign in again.");
        }

        stored.UsedAt = now;
        return await IssueAsync(user, ct);
    }

    /// <summary>Issues a pair for a user who has just proven who they are (sign-in or sign-up).</summary>
    public Task<TokenPair> IssueForAsync(AppUser user, CancellationToken ct) => IssueAsync(user, ct);

    private async Task<TokenPair> IssueAsync(AppUser user, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, user.Id),
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(TokenStampValidator.StampClaim, user.SecurityStamp ?? ""),
        };
        claims.AddRange((await users.GetRolesAsync(user)).Select(r => new Claim(ClaimTypes.Role, r)));
        if (user.DistrictCode is not null) claims.Add(new Claim(ScopeClaims.District, user.DistrictCode));
        if (user.SchoolCode is not null) claims.Add(new Claim(ScopeClaims.School, user.SchoolCode));
        if (user.Pin is not null) claims.Add(new Claim(ScopeClaims.Pin, user.Pin));

        var expires = now + options.AccessTokenLifetime;
        var token = new JwtSecurityToken(AuthOptions.Issuer, AuthOptions.Audience, claims,
            notBefore: now.UtcDateTime, expires: expires.UtcDateTime,
            signingCredentials: new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        var access = new JwtSecurityTokenHandler().WriteToken(token);

        var refresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var refreshExpires = now + options.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.NewGuid(), UserId = user.Id, TokenHash = Hash(refresh), CreatedAt = now, ExpiresAt = refreshExpires,
        });
        await db.SaveChangesAsync(ct);
        return new TokenPair(access, expires, refresh, refreshExpires);
    }

    internal static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}

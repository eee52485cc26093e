using System.Security.Cryptography;
using System.Text.Json;
using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Time;
using Enrollment.Registry.Contracts;
using Enrollment.Schools.Contracts;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Auth;

/// <summary>A staff account as the ministry's user list shows it (no secrets).</summary>
internal sealed record StaffAccountDto(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles,
    string? DistrictCode, string? SchoolCode, bool IsDisabled, DateTimeOffset CreatedAt);

/// <summary>A reset password: shown once to the ministry admin, never stored in clear or audited.</summary>
internal sealed record PasswordResetResult(string UserName, string OneTimePassword);

/// <summary>
/// Parent sign-up and the ministry's management of accounts. Every write appends an explicit audit entry (without
/// password hashes, stamps or tokens) in the same transaction as the Auth change, because the Auth context is not
/// audited automatically.
/// </summary>
internal sealed class AccountService(
    UserManager<AppUser> users,
    AuthDbContext db,
    TokenService tokens,
    IMediator mediator,
    ICurrentUser current,
    AuditContext audit,
    TokenStampValidator stamps,
    IClock clock)
{
    public const string AccountExists = "ACCOUNT_EXISTS";
    public const string WeakPassword = "WEAK_PASSWORD";
    public const string InvalidScope = "INVALID_SCOPE";
    public const string InvalidRole = "INVALID_ROLE";
    public const string InvalidUserName = "INVALID_USER_NAME";
    public const string UserNotFound = "USER_NOT_FOUND";
    public const string CannotChangeOwnAccount = "CANNOT_CHANGE_OWN_ACCOUNT";

    /// <summary>Roles the ministry can give a staff account.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = Roles.Staff;

    public async Task<TokenPair> SignUpAsync(string pin, string password, CancellationToken ct)
    {
        var applicant = await mediator.Send(new VerifyApplicant(pin), ct);
        if (await users.FindByNameAsync(applicant.Pin) is not null)
        {
            throw new RuleViolation(AccountExists, "An account for this PIN already exists; sign in or ask for a password reset.");
        }

        var user = new AppUser
        {
            UserName = applicant.Pin,
            Pin = applicant.Pin,
            DisplayName = string.Join(' ', new[] { applicant.LastName, applicant.FirstName, applicant.Patronymic }.Where(s => !string.IsNullOrEmpty(s))),
            CreatedAt = clock.UtcNow,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw Failed(created);
        }

        Check(await users.AddToRoleAsync(user, Roles.Parent));
        await AuditAsync(user, "SignUp", null, ct, actorOverride: user);
        var pair = await tokens.IssueForAsync(user, ct);
        await transaction.CommitAsync(ct);
        return pair;
    }

    public async Task<IReadOnlyList<StaffAccountDto>> ListStaffAsync(CancellationToken ct)
    {
        var staffRoleIds = await db.Roles.Where(r => StaffRoles.Contains(r.Name!)).Select(r => new { r.Id, r.Name }).ToListAsync(ct);
        var links = await db.UserRoles.Where(ur => staffRoleIds.Select(r => r.Id).Contains(ur.RoleId)).ToListAsync(ct);
        var ids = links.Select(l => l.UserId).Distinct().ToList();
        var list = await db.Users.Where(u => ids.Contains(u.Id)).OrderBy(u => u.UserName).ToListAsync(ct);
        return [.. list.Select(u => new StaffAccountDto(u.Id, u.UserName ?? "", u.DisplayName,
            [.. links.Where(l => l.UserId == u.Id).Select(l => staffRoleIds.First(r => r.Id == l.RoleId).Name!)],
            u.DistrictCode, u.SchoolCode, u.IsDisabled, u.CreatedAt))];
    }

    public async Task<StaffAccountDto> CreateStaffAsync(string userName, string displayName, string role, string? districtCode, string? schoolCode, CancellationToken ct)
    {
        userName = userName.Trim();
        if (userName.Length is < 3 or > 64 || userName.All(char.IsAsciiDigit))
        {
            throw new RuleViolation(InvalidUserName, "A staff user name has 3–64 characters and is not a number (numbers are parents' PINs).");
        }

        if (!StaffRoles.Contains(role))
        {
            throw new RuleViolation(InvalidRole, $"The role must be one of: {string.Join(", ", StaffRoles)}.");
        }

        (districtCode, schoolCode) = await ResolveScopeAsync(role, Blank(districtCode), Blank(schoolCode), ct);
        if (await users.FindByNameAsync(userName) is not null)
        {
            throw new RuleViolation(AccountExists, "An account with this user name already exists.");
        }

        var user = new AppUser
        {
            UserName = userName, DisplayName = displayName.Trim(), DistrictCode = districtCode, SchoolCode = schoolCode, CreatedAt = clock.UtcNow,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // No password yet: the ministry resets it and hands the one-time password over.
        Check(await users.CreateAsync(user));
        Check(await users.AddToRoleAsync(user, role));
        await AuditAsync(user, "CreateStaffAccount", null, ct);
        await transaction.CommitAsync(ct);
        return new StaffAccountDto(user.Id, userName, user.DisplayName, [role], districtCode, schoolCode, false, user.CreatedAt);
    }

    public Task<StaffAccountDto> DisableAsync(string userName, CancellationToken ct) => SetDisabledAsync(userName, true, ct);

    public Task<StaffAccountDto> EnableAsync(string userName, CancellationToken ct) => SetDisabledAsync(userName, false, ct);

    public async Task<PasswordResetResult> ResetPasswordAsync(string userName, CancellationToken ct)
    {
        var user = await FindAsync(userName);
        var password = GeneratePassword();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await users.HasPasswordAsync(user))
        {
            Check(await users.RemovePasswordAsync(user));
        }

        Check(await users.AddPasswordAsync(user, password));
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
        await RevokeRefreshTokensAsync(user, ct);
        await AuditAsync(user, "ResetPassword", null, ct);
        await transaction.CommitAsync(ct);
        stamps.Invalidate(user.Id); // the password change gave the account a new stamp: its bearer tokens die now
        return new PasswordResetResult(user.UserName!, password);
    }

    public async Task<StaffAccountDto> SignOutEverywhereAsync(string userName, CancellationToken ct)
    {
        var user = await FindAsync(userName);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Check(await users.UpdateSecurityStampAsync(user));
        await RevokeRefreshTokensAsync(user, ct);
        await AuditAsync(user, "SignOutEverywhere", null, ct);
        await transaction.CommitAsync(ct);
        stamps.Invalidate(user.Id);
        return await ToDtoAsync(user);
    }

    /// <summary>A random 16-character password meeting the Identity policy (upper, lower, digit, symbol).</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        const string symbols = "!#$%*+-=?@";
        const string all = upper + lower + digits + symbols;
        var chars = new List<char>
        {
            upper[RandomNumberGenerator.GetInt32(upper.Length)],
            lower[RandomNumberGenerator.GetInt32(lower.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)],
            symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        while (chars.Count < 16)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }

        return new string([.. chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue))]);
    }

    private async Task<StaffAccountDto> SetDisabledAsync(string userName, bool disabled, CancellationToken ct)
    {
        var user = await FindAsync(userName);
        if (disabled && user.Id == current.UserId)
        {
            throw new RuleViolation(CannotChangeOwnAccount, "You cannot disable your own account.");
        }

        var before = user.IsDisabled;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        user.IsDisabled = disabled;
        Check(await users.UpdateAsync(user));
        if (disabled)
        {
            // Bearer tokens, refresh tokens and the admin cookie stop working now (the cookie at its next request, ADR 0801).
            Check(await users.UpdateSecurityStampAsync(user));
            await RevokeRefreshTokensAsync(user, ct);
        }

        await AuditAsync(user, disabled ? "DisableAccount" : "EnableAccount", JsonSerializer.Serialize(new { IsDisabled = before }), ct);
        await transaction.CommitAsync(ct);
        stamps.Invalidate(user.Id);
        return await ToDtoAsync(user);
    }

    private async Task<(string? District, string? School)> ResolveScopeAsync(string role, string? district, string? school, CancellationToken ct)
    {
        switch (role)
        {
            case Roles.SchoolAdmin:
                if (school is null)
                {
                    throw new RuleViolation(InvalidScope, "A school administrator needs a school code.");
                }

                var found = await mediator.Send(new GetSchoolsByCodes([school]), ct);
                if (found.Count == 0)
                {
                    throw new RuleViolation(InvalidScope, $"There is no school '{school}'.");
                }

                return (found[0].DistrictCode, found[0].Code);
            case Roles.DistrictOfficer:
                if (district is null)
                {
                    throw new RuleViolation(InvalidScope, "A district officer needs a district code.");
                }

                var districts = await mediator.Send(new GetDistricts(null), ct);
                if (!districts.Any(d => d.Code == district))
                {
                    throw new RuleViolation(InvalidScope, $"There is no district '{district}'.");
                }

                return (district, null);
            default:
                if (district is not null || school is not null)
                {
                    throw new RuleViolation(InvalidScope, "Ministry administrators and analysts have no district or school scope.");
                }

                return (null, null);
        }
    }

    private async Task RevokeRefreshTokensAsync(AppUser user, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var open = await db.RefreshTokens.Where(t => t.UserId == user.Id && t.UsedAt == null).ToListAsync(ct);
        foreach (var token in open)
        {
            token.UsedAt = now;
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task<AppUser> FindAsync(string userName) =>
        await users.FindByNameAsync(userName.Trim()) ?? throw new RuleViolation(UserNotFound, $"There is no account '{userName}'.");

    private async Task<StaffAccountDto> ToDtoAsync(AppUser user) => new(user.Id, user.UserName ?? "", user.DisplayName,
        [.. await users.GetRolesAsync(user)], user.DistrictCode, user.SchoolCode, user.IsDisabled, user.CreatedAt);

    private async Task AuditAsync(AppUser user, string action, string? before, CancellationToken ct, AppUser? actorOverride = null)
    {
        // What the account looks like after the change — never the password hash, security stamp or tokens.
        var after = JsonSerializer.Serialize(new
        {
            user.UserName, user.DisplayName, Roles = await users.GetRolesAsync(user), user.DistrictCode, user.SchoolCode, user.IsDisabled,
        });
        var actor = actorOverride is null ? current : null;
        var data = new AuditEntryData(clock.UtcNow,
            actor?.UserId ?? actorOverride?.Id ?? "system", actor?.UserName ?? actorOverride?.UserName ?? "system",
            actor is null ? (actorOverride is null ? "" : Roles.Parent) : string.Join(",", actor.Roles),
            actor?.DistrictCode, actor?.SchoolCode, audit.RequestId, AuthDbContext.Module, nameof(AppUser), user.Id, action, before, after, audit.Reason);
        await AuditLog.AppendExplicitAsync(db, data, ct);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw Failed(result);
        }
    }

    private static RuleViolation Failed(IdentityResult result)
    {
        var message = string.Join(" ", result.Errors.Select(e => e.Description));
        return result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal))
            ? new RuleViolation(WeakPassword, message)
            : result.Errors.Any(e => e.Code is "DuplicateUserName")
                ? new RuleViolation(AccountExists, message)
                : new RuleViolation("ACCOUNT_UPDATE_FAILED", message);
    }
}

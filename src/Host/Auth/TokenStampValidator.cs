using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Host.Auth;

/// <summary>
/// Checks on every bearer request that the token's security stamp is still the account's stamp and that the account
/// is not disabled (docs/adr/0801-bearer-token-security-stamp.md). Disabling an account, resetting its password and
/// "sign out everywhere" change the stamp, so tokens issued before die at once. The answer is read from the Auth
/// tables (shared by every host) and cached for <see cref="AuthOptions.TokenStampCacheDuration"/> (a few seconds);
/// the host that changes an account drops its cache entry immediately. Admin cookies ask with <c>fresh: true</c>: one
/// primary-key read per admin request, so disable and sign-out everywhere end the cookie at the next request on every
/// host, not only on the host that made the change.
/// </summary>
internal sealed class TokenStampValidator(IServiceScopeFactory scopes, IMemoryCache cache, AuthOptions options, TokenStampFeed feed)
{
    public const string StampClaim = "security_stamp";

    /// <summary>
    /// A bearer token issued at <paramref name="issuedAt"/>: current without reading the account when this host's feed of
    /// stamp changes vouches that the account's stamp has not changed since (ADR 0805); otherwise as below.
    /// </summary>
    public async Task<bool> IsCurrentAsync(string userId, string stamp, DateTimeOffset issuedAt, CancellationToken ct) =>
        await feed.VouchesForAsync(userId, issuedAt, ct) || await IsCurrentAsync(userId, stamp, fresh: false, ct);

    /// <param name="fresh">Read the database even when this host has a cached answer (the answer is cached again).</param>
    public async Task<bool> IsCurrentAsync(string userId, string stamp, bool fresh, CancellationToken ct)
    {
        var current = await CurrentAsync(userId, fresh, ct);
        return current is { Disabled: false } && string.Equals(current.Stamp, stamp, StringComparison.Ordinal);
    }

    /// <summary>Drops this host's cached stamp of the user and tells this host's feed (other hosts see the change within their interval).</summary>
    public void Invalidate(string userId)
    {
        feed.Changed(userId);
        cache.Remove(Key(userId));
    }

    private async Task<StampState?> CurrentAsync(string userId, bool fresh, CancellationToken ct)
    {
        if (!fresh && options.TokenStampCacheDuration > TimeSpan.Zero && cache.TryGetValue(Key(userId), out StampState? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var state = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new StampState(u.SecurityStamp ?? "", u.IsDisabled)).SingleOrDefaultAsync(ct);
        if (options.TokenStampCacheDuration > TimeSpan.Zero)
        {
            cache.Set(Key(userId), state, options.TokenStampCacheDuration);
        }

        return state;
    }

    private static string Key(string userId) => "token-stamp:" + userId;

    private sealed record StampState(string Stamp, bool Disabled);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Enrollment.BuildingBlocks.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Enrollment.Host.Auth;

/// <summary>
/// The Identity user store, which also stamps <see cref="AppUser.StampChangedAt"/> whenever an account's security stamp
/// is replaced: every change Identity makes (sign out everywhere, password reset or change, a password re-hash at sign-in,
/// disable) goes through <see cref="SetSecurityStampAsync"/>. The first stamp of a new account is not a change (ADR 0805).
/// A change is recognised by the value, not by EF's modified flags: Identity's update marks every column modified.
/// </summary>
internal sealed class AppUserStore(AuthDbContext context, IClock clock, IdentityErrorDescriber? describer = null)
    : UserStore<AppUser, IdentityRole, AuthDbContext>(context, describer)
{
    public override async Task SetSecurityStampAsync(AppUser user, string stamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!string.Equals(user.SecurityStamp, stamp, StringComparison.Ordinal) && await IsStoredAsync(user, cancellationToken))
        {
            user.StampChangedAt = clock.UtcNow;
        }

        await base.SetSecurityStampAsync(user, stamp, cancellationToken);
    }

    /// <summary>An account already in the table (Identity stamps a new account before inserting it; that is not a change).</summary>
    private async Task<bool> IsStoredAsync(AppUser user, CancellationToken ct) => Context.Entry(user).State switch
    {
        EntityState.Added => false,
        EntityState.Detached => await Context.Users.AsNoTracking().AnyAsync(u => u.Id == user.Id, ct),
        _ => true,
    };
}

/// <summary>
/// This host's knowledge of which accounts had their security stamp changed lately (ADR 0805), so a bearer token need
/// not read its account on every request: the accounts changed within the access-token lifetime are read once, then
/// the changes since the last look every <see cref="AuthOptions.TokenStampCacheDuration"/> (the same delay a cached stamp
/// had). The feed vouches for a token when the token was issued after the time it covers and its account has no change
/// since shortly before the token was issued; otherwise (a recently changed account, a token older than the feed's
/// window, a look in progress or failing) the validator reads the account as before. This host's own changes are known
/// at once (<see cref="Changed"/>). <see cref="Margin"/> absorbs a change committed a little after its instant and the
/// clocks of several hosts being a little apart.
/// </summary>
internal sealed class TokenStampFeed(IServiceScopeFactory scopes, IClock clock, AuthOptions options, ILogger<TokenStampFeed> logger) : IDisposable
{
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _changed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _looking = new(1, 1);
    private long _coveredFromTicks; // UTC ticks of the instant the feed covers changes from; 0 until the first look (read without a lock)
    private DateTimeOffset _lastLook;
    private long _lastLookTicks;

    public bool Enabled => options.TokenStampCacheDuration > TimeSpan.Zero;

    /// <summary>True when this host knows the account's stamp has not changed since a token issued at <paramref name="issuedAt"/>.</summary>
    public async ValueTask<bool> VouchesForAsync(string userId, DateTimeOffset issuedAt, CancellationToken ct)
    {
        if (!Enabled)
        {
            return false;
        }

        if ((Volatile.Read(ref _coveredFromTicks) == 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastLookTicks)) >= options.TokenStampCacheDuration)
            && !await TryLookAsync(ct))
        {
            return false;
        }

        var from = Volatile.Read(ref _coveredFromTicks);
        return from != 0 && issuedAt.UtcTicks >= from + Margin.Ticks
            && (!_changed.TryGetValue(userId, out var changedAt) || issuedAt > changedAt + Margin);
    }

    /// <summary>This host changed the account's stamp (or disabled it): its earlier tokens are checked against the database.</summary>
    public void Changed(string userId) => _changed[userId] = clock.UtcNow;

    private async Task<bool> TryLookAsync(CancellationToken ct)
    {
        if (!await _looking.WaitAsync(0, ct))
        {
            return false; // another request is looking: this one reads its account meanwhile
        }

        try
        {
            var covered = Volatile.Read(ref _coveredFromTicks);
            if (covered != 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastLookTicks)) < options.TokenStampCacheDuration)
            {
                return true;
            }

            var now = clock.UtcNow;
            var window = options.AccessTokenLifetime + Margin;
            var since = covered == 0 || now < _lastLook ? now - window : _lastLook - Margin;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                var changes = await db.Users.AsNoTracking().Where(u => u.StampChangedAt >= since)
                    .Select(u => new { u.Id, u.StampChangedAt }).ToListAsync(ct);
                foreach (var change in changes)
                {
                    _changed.AddOrUpdate(change.Id, change.StampChangedAt!.Value, (_, known) => known > change.StampChangedAt!.Value ? known : change.StampChangedAt!.Value);
                }
            }

            // Tokens issued before the window have expired; their accounts' changes need not be remembered any longer.
            var forgetBefore = now - window - Margin;
            foreach (var (id, at) in _changed)
            {
                if (at < forgetBefore)
                {
                    _changed.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, at));
                }
            }

            _lastLook = now;
            Volatile.Write(ref _lastLookTicks, Stopwatch.GetTimestamp());
            // Every change since the window's start is known (the first look read the whole window, later looks the rest);
            // written last: a reader that sees it sees the changes read above.
            Volatile.Write(ref _coveredFromTicks, (now - window).UtcTicks);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLookFailed(logger, e);
            return false;
        }
        finally
        {
            _looking.Release();
        }
    }

    public void Dispose() => _looking.Dispose();

    private static readonly Action<ILogger, Exception?> LookFailed =
        LoggerMessage.Define(LogLevel.Warning, new EventId(1, "StampFeedLookFailed"), "Reading the accounts' stamp changes failed; tokens are checked against their accounts meanwhile");

    private static void LogLookFailed(ILogger logger, Exception e) => LookFailed(logger, e);
}

using Enrollment.BuildingBlocks.Time;
using Enrollment.Host.Auth;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Jobs;

/// <summary>Nightly: deletes refresh tokens that expired or were used more than a day ago.</summary>
[AutomaticRetry(Attempts = 3)]
[DisableConcurrentExecution(timeoutInSeconds: 600)]
internal sealed class HousekeepingJob
{
    private readonly AuthDbContext _db;
    private readonly IClock _clock;
    private readonly ILogger<HousekeepingJob> _logger;

    public HousekeepingJob(AuthDbContext db, IClock clock, ILogger<HousekeepingJob> logger)
    {
        _db = db;
        _clock = clock;
        _logger = logger;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = _clock.UtcNow;
        var usedBefore = now.AddDays(-1);
        var deleted = await _db.RefreshTokens
            .Where(t => t.ExpiresAt <= now || (t.UsedAt != null && t.UsedAt <= usedBefore))
            .ExecuteDeleteAsync(cancellationToken);
        _logger.LogInformation("Housekeeping deleted {Count} refresh tokens", deleted);
        return deleted;
    }
}

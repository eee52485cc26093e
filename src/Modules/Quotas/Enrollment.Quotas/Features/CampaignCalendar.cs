using Enrollment.Quotas.Data;
using Enrollment.Quotas.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Enrollment.Quotas.Features;

/// <summary>
/// A short-lived per-host copy of the campaign calendar (campaigns and switches) for the questions every submit asks —
/// which campaign, which stage, what is allowed now (ADR 0203). Only the rows are kept; the stage and the switches in
/// force are computed from them with the clock on every call, so a stage opens at its exact instant. A save of a
/// campaign or a switch through this process drops the copy at once; another host's edit is seen within
/// <c>Quotas:CalendarCacheSeconds</c> (default 1 s, 0 = always read).
/// </summary>
internal sealed class CampaignCalendar(IConfiguration configuration)
{
    private readonly HostCopy<Snapshot> _copy = new(configuration.GetValue<double?>("Quotas:CalendarCacheSeconds"));

    /// <summary>Called by <see cref="QuotasDbContext"/> when it saved a campaign or a switch (every host instance in the process re-reads).</summary>
    public static void Edited() => HostCopy<Snapshot>.Edited();

    public Task<Snapshot> GetAsync(QuotasDbContext db, CancellationToken ct) =>
        _copy.GetAsync(static _ => true, async () =>
        {
            var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.QuotaEntryOpensAt).ToListAsync(ct);
            var switches = await db.Switches.AsNoTracking().ToListAsync(ct);
            return new Snapshot(campaigns, switches);
        });

    /// <summary>Read-only by convention: shared between requests, never attached to a context or changed.</summary>
    internal sealed record Snapshot(IReadOnlyList<Campaign> Campaigns, IReadOnlyList<CampaignSwitch> Switches)
    {
        public Campaign? Current(DateTimeOffset now) => CurrentCampaign.Select(Campaigns, now);

        public IEnumerable<CampaignSwitch> SwitchesOf(Guid campaignId) => Switches.Where(s => s.CampaignId == campaignId);
    }
}

using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Quotas.Features;

/// <summary>Campaigns closed (late enrollment over) by a given instant; Registry's retention job asks for them.</summary>
internal sealed class GetClosedCampaignsHandler(QuotasDbContext db) : IQueryHandler<GetClosedCampaigns, IReadOnlyList<CampaignDto>>
{
    public async ValueTask<IReadOnlyList<CampaignDto>> Handle(GetClosedCampaigns query, CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().ToListAsync(ct);
        return [.. campaigns.Where(c => c.LateEnrollmentEndsAt <= query.ClosedBy).OrderBy(c => c.LateEnrollmentEndsAt).Select(c => c.ToDto())];
    }
}

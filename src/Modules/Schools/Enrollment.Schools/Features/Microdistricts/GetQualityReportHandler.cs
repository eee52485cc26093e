using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.Microdistricts;

/// <summary>Who may see and edit which district's micro-districts.</summary>
internal static class DistrictScope
{
    public static bool CanSee(ICurrentUser user, string districtCode) =>
        user.IsInRole(Roles.MinistryAdmin) || user.IsInRole(Roles.Analyst)
        || (user.IsInRole(Roles.DistrictOfficer) && string.Equals(user.DistrictCode, districtCode, StringComparison.Ordinal));

    public static bool CanEdit(ICurrentUser user, string districtCode) =>
        user.IsInRole(Roles.MinistryAdmin)
        || (user.IsInRole(Roles.DistrictOfficer) && string.Equals(user.DistrictCode, districtCode, StringComparison.Ordinal));

    /// <summary>The district a user works in by default: their own, or null for the ministry (choose one).</summary>
    public static string? Home(ICurrentUser user) =>
        user.IsInRole(Roles.MinistryAdmin) || user.IsInRole(Roles.Analyst) ? null : user.DistrictCode;
}

/// <summary>The micro-district quality report of one district (module-internal: GraphQL and the admin page).</summary>
internal sealed record GetQualityReport(string DistrictCode) : IQuery<MicrodistrictQualityReport>;

internal sealed class GetQualityReportValidator : IValidator<GetQualityReport>
{
    public void Validate(GetQualityReport message, ValidationErrors errors) => errors.Required("districtCode", message.DistrictCode, 16);
}

internal sealed class GetQualityReportHandler(SchoolsDbContext db, MicrodistrictIndexCache cache, ICurrentUser user)
    : IQueryHandler<GetQualityReport, MicrodistrictQualityReport>
{
    public async ValueTask<MicrodistrictQualityReport> Handle(GetQualityReport query, CancellationToken ct)
    {
        if (!DistrictScope.CanSee(user, query.DistrictCode))
        {
            throw new AccessDenied("District officers see only their own district's report.");
        }

        if (!await db.Districts.AnyAsync(d => d.Code == query.DistrictCode, ct))
        {
            throw new NotFound("District", query.DistrictCode);
        }

        var snapshot = await cache.GetAsync(ct);
        var settlements = await db.Settlements.AsNoTracking().Where(s => s.DistrictCode == query.DistrictCode).Select(s => s.Code).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.DistrictCode == query.DistrictCode).ToListAsync(ct);
        var codes = schools.Select(s => s.Code).ToList();
        var rules = await db.MicrodistrictRules.AsNoTracking().Where(r => codes.Contains(r.SchoolCode)).ToListAsync(ct);
        var polygons = await db.MicrodistrictPolygons.AsNoTracking().Where(p => codes.Contains(p.SchoolCode)).ToListAsync(ct);
        var addresses = db.RegistryAddresses.AsNoTracking().Where(a => settlements.Contains(a.SettlementCode)).AsAsyncEnumerable();
        var list = new List<RegistryAddress>();
        await foreach (var a in addresses.WithCancellation(ct))
        {
            list.Add(a);
        }

        return MicrodistrictQualityCheck.Run(query.DistrictCode, snapshot, schools, rules, polygons, list);
    }
}

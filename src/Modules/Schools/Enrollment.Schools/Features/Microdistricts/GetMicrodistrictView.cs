using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Schools.Data;
using Enrollment.Schools.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Schools.Features.Microdistricts;

/// <summary>Everything the micro-district editor shows for one school.</summary>
internal sealed record MicrodistrictView(
    School School,
    bool CanEdit,
    IReadOnlyList<MicrodistrictRule> Rules,
    string? PolygonGeoJson,
    IReadOnlyList<Settlement> Settlements,
    IReadOnlyList<School> DistrictSchools,
    IReadOnlyList<MicrodistrictPolygon> DistrictPolygons,
    IReadOnlyList<MicrodistrictChange> History);

/// <summary>A school's micro-district with its district's context (module-internal: the admin editor and GraphQL).</summary>
internal sealed record GetMicrodistrictView(string SchoolCode) : IQuery<MicrodistrictView>;

internal sealed class GetMicrodistrictViewHandler(SchoolsDbContext db, ICurrentUser user) : IQueryHandler<GetMicrodistrictView, MicrodistrictView>
{
    public async ValueTask<MicrodistrictView> Handle(GetMicrodistrictView query, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().FirstOrDefaultAsync(s => s.Code == query.SchoolCode, ct)
            ?? throw new NotFound("School", query.SchoolCode);
        var ownSchool = user.IsInRole(Roles.SchoolAdmin) && string.Equals(user.SchoolCode, school.Code, StringComparison.Ordinal);
        if (!DistrictScope.CanSee(user, school.DistrictCode) && !ownSchool)
        {
            throw new AccessDenied("You may see only the micro-districts of your own district or school.");
        }

        var rules = await db.MicrodistrictRules.AsNoTracking().Where(r => r.SchoolCode == school.Code).ToListAsync(ct);
        var settlements = await db.Settlements.AsNoTracking().Where(s => s.DistrictCode == school.DistrictCode).OrderBy(s => s.Code).ToListAsync(ct);
        var schools = await db.Schools.AsNoTracking().Where(s => s.DistrictCode == school.DistrictCode).OrderBy(s => s.Code).ToListAsync(ct);
        var codes = schools.Select(s => s.Code).ToList();
        var polygons = await db.MicrodistrictPolygons.AsNoTracking().Where(p => codes.Contains(p.SchoolCode)).ToListAsync(ct);
        var history = await db.MicrodistrictChanges.AsNoTracking().Where(c => c.SchoolCode == school.Code)
            .OrderByDescending(c => c.Id).Take(200).ToListAsync(ct);
        return new MicrodistrictView(
            school,
            DistrictScope.CanEdit(user, school.DistrictCode) && school.ParticipatesInEnrollment,
            [.. rules.OrderBy(r => r.SettlementCode, StringComparer.Ordinal).ThenBy(r => r.Street, StringComparer.Ordinal).ThenBy(r => r.HouseSet, StringComparer.Ordinal)],
            polygons.FirstOrDefault(p => p.SchoolCode == school.Code)?.GeoJson,
            settlements,
            schools,
            polygons,
            history);
    }
}

/// <summary>A participating school's micro-district for the public: rules and polygon; null for unknown or non-participating schools.</summary>
internal sealed record GetPublicMicrodistrict(string SchoolCode) : IQuery<PublicMicrodistrict?>;

internal sealed record PublicMicrodistrict(string SchoolCode, IReadOnlyList<MicrodistrictRule> Rules, string? GeoJson);

internal sealed class GetPublicMicrodistrictHandler(SchoolsDbContext db) : IQueryHandler<GetPublicMicrodistrict, PublicMicrodistrict?>
{
    public async ValueTask<PublicMicrodistrict?> Handle(GetPublicMicrodistrict query, CancellationToken ct)
    {
        if (query.SchoolCode.Length > 16 || !await db.Schools.AnyAsync(s => s.Code == query.SchoolCode && s.ParticipatesInEnrollment, ct))
        {
            return null;
        }

        var rules = await db.MicrodistrictRules.AsNoTracking().Where(r => r.SchoolCode == query.SchoolCode).ToListAsync(ct);
        var polygon = await db.MicrodistrictPolygons.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolCode == query.SchoolCode, ct);
        return new PublicMicrodistrict(query.SchoolCode,
            [.. rules.OrderBy(r => r.SettlementCode, StringComparer.Ordinal).ThenBy(r => r.Street, StringComparer.Ordinal).ThenBy(r => r.HouseSet, StringComparer.Ordinal)],
            polygon?.GeoJson);
    }
}

/// <summary>Micro-district proposals of a district (or all districts for the ministry), newest first.</summary>
internal sealed record GetMicrodistrictProposals(string? DistrictCode, string? Status) : IQuery<IReadOnlyList<MicrodistrictProposal>>;

internal sealed class GetMicrodistrictProposalsHandler(SchoolsDbContext db, ICurrentUser user)
    : IQueryHandler<GetMicrodistrictProposals, IReadOnlyList<MicrodistrictProposal>>
{
    public async ValueTask<IReadOnlyList<MicrodistrictProposal>> Handle(GetMicrodistrictProposals query, CancellationToken ct)
    {
        var district = query.DistrictCode ?? DistrictScope.Home(user);
        if (district is null ? !user.IsInRole(Roles.MinistryAdmin) && !user.IsInRole(Roles.Analyst) : !DistrictScope.CanSee(user, district))
        {
            throw new AccessDenied("District officers see only their own district's proposals.");
        }

        var proposals = db.MicrodistrictProposals.AsNoTracking();
        if (district is not null)
        {
            proposals = proposals.Where(p => p.DistrictCode == district);
        }

        if (query.Status is not null)
        {
            proposals = proposals.Where(p => p.Status == query.Status);
        }

        return await proposals.OrderByDescending(p => p.Id).Take(500).ToListAsync(ct);
    }
}

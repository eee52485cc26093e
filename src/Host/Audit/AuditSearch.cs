using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Audit;

/// <summary>What to look for in the audit trail; every criterion is optional and they combine with AND.</summary>
internal sealed record AuditFilter(
    string? Module = null, string? Entity = null, string? EntityKey = null, string? ActorName = null,
    string? SchoolCode = null, string? DistrictCode = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>The one search over the append-only audit trail, used by the GraphQL field and the admin page (read only).</summary>
internal sealed class AuditSearch(AuditDbContext db)
{
    /// <summary>Newest first; <paramref name="beforeId"/> continues after the last row of the previous page.</summary>
    public async Task<IReadOnlyList<AuditEntry>> SearchAsync(AuditFilter filter, int first, long? beforeId, CancellationToken ct)
    {
        if (first is < 1 or > Cursor.MaxPageSize)
        {
            throw new ValidationFailed([new ValidationError("first", "OUT_OF_RANGE", $"Must be between 1 and {Cursor.MaxPageSize}.")]);
        }

        var q = db.Entries.AsNoTracking();
        if (Given(filter.Module) is { } module) q = q.Where(e => e.Module == module);
        // A read entry (module "reads") names several entities and lists the ids it showed: it matches any of them.
        if (Given(filter.Entity) is { } entity) q = q.Where(e => e.Entity == entity || (e.Module == PersonalDataReadAudit.Module && e.Entity.Contains(entity)));
        if (Given(filter.EntityKey) is { } key) q = q.Where(e => e.EntityKey == key || (e.Module == PersonalDataReadAudit.Module && e.AfterJson!.Contains(key)));
        if (Given(filter.ActorName) is { } actor) q = q.Where(e => e.ActorName == actor);
        if (Given(filter.SchoolCode) is { } school) q = q.Where(e => e.SchoolCode == school);
        if (Given(filter.DistrictCode) is { } district) q = q.Where(e => e.DistrictCode == district);
        if (filter.From is { } from) q = q.Where(e => e.At >= from);
        if (filter.To is { } to) q = q.Where(e => e.At < to);
        if (beforeId is { } before) q = q.Where(e => e.Id < before);
        return await q.OrderByDescending(e => e.Id).Take(first).ToListAsync(ct);
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Host.Audit;

internal sealed class AuditEntryType : ObjectGraphType<AuditEntry>
{
    public AuditEntryType()
    {
        Name = "AuditEntry";
        Description = "One change recorded by the append-only audit trail.";
        Field<NonNullGraphType<StringGraphType>>("id").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(e => e.At);
        Field(e => e.ActorName);
        Field(e => e.ActorRoles);
        Field(e => e.DistrictCode, nullable: true);
        Field(e => e.SchoolCode, nullable: true);
        Field(e => e.RequestId, nullable: true);
        Field(e => e.Module);
        Field(e => e.Entity);
        Field(e => e.EntityKey);
        Field(e => e.Action).Description("Added, Modified or Deleted.");
        Field(e => e.BeforeJson, nullable: true);
        Field(e => e.AfterJson, nullable: true);
        Field(e => e.Reason, nullable: true);
        Field(e => e.Hash);
    }
}

internal sealed class AuditChainReportType : ObjectGraphType<AuditChainReport>
{
    public AuditChainReportType()
    {
        Name = "AuditChainReport";
        Field(r => r.Intact);
        Field(r => r.Entries);
        Field<StringGraphType>("firstBrokenEntryId").Resolve(c => c.Source.FirstBrokenEntryId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

internal sealed class AuditQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditEntryType>>>>("auditEntries")
            .Description("Search the audit trail, newest first. Ministry administrators only. Errors: VALIDATION_FAILED.")
            .For(Roles.MinistryAdmin)
            .Argument<StringGraphType>("module")
            .Argument<StringGraphType>("entity")
            .Argument<StringGraphType>("entityKey")
            .Argument<StringGraphType>("actorName")
            .Argument<StringGraphType>("schoolCode")
            .Argument<StringGraphType>("districtCode")
            .Argument<DateTimeOffsetGraphType>("from")
            .Argument<DateTimeOffsetGraphType>("to")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 50);
                if (first is < 1 or > Cursor.MaxPageSize)
                {
                    throw new ValidationFailed([new ValidationError("first", "OUT_OF_RANGE", $"Must be between 1 and {Cursor.MaxPageSize}.")]);
                }

                var db = c.RequestServices!.GetRequiredService<AuditDbContext>();
                var q = db.Entries.AsNoTracking();
                if (c.GetArgument<string?>("module") is { } module) q = q.Where(e => e.Module == module);
                if (c.GetArgument<string?>("entity") is { } entity) q = q.Where(e => e.Entity == entity);
                if (c.GetArgument<string?>("entityKey") is { } key) q = q.Where(e => e.EntityKey == key);
                if (c.GetArgument<string?>("actorName") is { } actor) q = q.Where(e => e.ActorName == actor);
                if (c.GetArgument<string?>("schoolCode") is { } school) q = q.Where(e => e.SchoolCode == school);
                if (c.GetArgument<string?>("districtCode") is { } district) q = q.Where(e => e.DistrictCode == district);
                if (c.GetArgument<DateTimeOffset?>("from") is { } from) q = q.Where(e => e.At >= from);
                if (c.GetArgument<DateTimeOffset?>("to") is { } to) q = q.Where(e => e.At < to);
                return await q.OrderByDescending(e => e.Id).Take(first).ToListAsync(c.CancellationToken);
            });

        query.Field<NonNullGraphType<AuditChainReportType>>("auditChain")
            .Description("Recomputes the audit hash chain; a row changed in the database shows as the first broken entry.")
            .For(Roles.MinistryAdmin)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AuditVerifier>().VerifyAsync(c.CancellationToken));
    }
}

using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using GraphQL;
using GraphQL.Types;

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
        Field(e => e.Action).Description("Added, Modified or Deleted; Read for a staff read of personal data (module \"reads\", afterJson lists the ids); an account action for module \"auth\".");
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
            .Argument<StringGraphType>("before", a => a.Description = "Id of the last entry of the previous page (older entries follow).")
            .ResolveAsync(async c =>
            {
                long? before = long.TryParse(c.GetArgument<string?>("before"), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
                var filter = new AuditFilter(c.GetArgument<string?>("module"), c.GetArgument<string?>("entity"), c.GetArgument<string?>("entityKey"),
                    c.GetArgument<string?>("actorName"), c.GetArgument<string?>("schoolCode"), c.GetArgument<string?>("districtCode"),
                    c.GetArgument<DateTimeOffset?>("from"), c.GetArgument<DateTimeOffset?>("to"));
                return await c.RequestServices!.GetRequiredService<AuditSearch>().SearchAsync(filter, c.GetArgument("first", 50), before, c.CancellationToken);
            });

        query.Field<NonNullGraphType<AuditChainReportType>>("auditChain")
            .Description("Recomputes the audit hash chain; a row changed in the database shows as the first broken entry.")
            .For(Roles.MinistryAdmin)
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AuditVerifier>().VerifyAsync(c.CancellationToken));
    }
}

using Enrollment.BuildingBlocks.Audit;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;

namespace Enrollment.Host.Audit;

internal static class AuditSetup
{
    public static IServiceCollection AddEnrollmentAudit(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddModuleDbContext<AuditDbContext, AuditSqliteDbContext, AuditPostgresDbContext>(database, AuditDbContext.Module, audited: false);
        services.AddScoped(sp => new AuditContext(sp.GetRequiredService<ICurrentUser>())
        {
            RequestId = sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.TraceIdentifier,
        });
        services.AddScoped<AuditVerifier>();
        services.AddScoped<PersonalDataReads>();
        services.AddScoped<PersonalDataReadAudit>();
        services.AddTransient<IStartupFilter, PersonalDataReadAuditStartupFilter>();
        services.AddScoped<AuditSearch>();
        services.AddSingleton(new Enrollment.BuildingBlocks.Admin.AdminMenuItem("/admin/audit", "Audit", typeof(SharedResource), [Roles.MinistryAdmin], 95));
        services.AddTransient<AuditEntryType>();
        services.AddTransient<AuditChainReportType>();
        services.AddSingleton<Enrollment.BuildingBlocks.GraphQL.IQueryContributor, AuditQueryContributor>();
        return services;
    }
}

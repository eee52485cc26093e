using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Data;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Appeals;

/// <summary>Parents' appeals on their applications and the district officers' answers (ADR 0500).</summary>
public static class AppealsModule
{
    public static IServiceCollection AddAppealsModule(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddModuleDbContext<AppealsDbContext, AppealsSqliteDbContext, AppealsPostgresDbContext>(database, AppealsContracts.Module);
        services.AddScoped<IAppealsDirectory, MediatorAppealsDirectory>();
        services.AddModuleGraphQL(typeof(AppealsModule).Assembly);
        services.AddValidators(typeof(AppealsModule).Assembly);
        services.AddHealthChecks().AddDbContextCheck<AppealsDbContext>("db:" + AppealsContracts.Module);
        // Menu entry for district officers; the ministry opens /admin/appeals directly until its menu (pinned by the UI tests) gains it.
        services.AddSingleton(new AdminMenuItem("/admin/appeals", "Menu", typeof(AppealsResources), [Roles.MinistryAdmin, Roles.DistrictOfficer], 55));
        return services;
    }

    public static WebApplication MapAppealsModule(this WebApplication app) => app;
}

/// <summary>Marker for this module's UI strings.</summary>
internal sealed class AppealsResources;

using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Schools.Contracts;
using Enrollment.Schools.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Schools;

/// <summary>Geography, schools and micro-districts. The module's only public class besides its Contracts.</summary>
public static class SchoolsModule
{
    public static IServiceCollection AddSchoolsModule(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddModuleDbContext<SchoolsDbContext, SchoolsSqliteDbContext, SchoolsPostgresDbContext>(database, SchoolsContracts.Module);
        services.AddModuleGraphQL(typeof(SchoolsModule).Assembly);
        services.AddValidators(typeof(SchoolsModule).Assembly);
        services.AddSingleton<Features.Microdistricts.MicrodistrictIndexCache>();
        services.AddScoped<Features.Microdistricts.MicrodistrictEditor>();
        services.AddScoped<Features.Microdistricts.DistrictMicrodistricts>();
        services.AddHealthChecks().AddDbContextCheck<SchoolsDbContext>("db:" + SchoolsContracts.Module);
        services.AddSingleton(new AdminMenuItem("/admin/schools", "Menu", typeof(SchoolsResources), Roles.Staff, 10));
        return services;
    }

    public static WebApplication MapSchoolsModule(this WebApplication app) => app;
}

/// <summary>Marker for this module's UI strings (Resources/SchoolsResources.*.resx).</summary>
internal sealed class SchoolsResources;

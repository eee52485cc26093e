using Enrollment.Allocation.Contracts;
using Enrollment.Allocation.Data;
using Enrollment.Allocation.Features;
using Enrollment.Allocation.Jobs;
using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Allocation;

/// <summary>The allocation engine, scheduled runs, offers and explanations.</summary>
public static class AllocationModule
{
    public static IServiceCollection AddAllocationModule(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddModuleDbContext<AllocationDbContext, AllocationSqliteDbContext, AllocationPostgresDbContext>(database, AllocationContracts.Module);
        services.AddScoped<IAllocationSources, MediatorAllocationSources>();
        services.AddSingleton<IAllocationFaults, NoAllocationFaults>();
        services.AddScoped<AllocationJobs>();
        services.AddModuleGraphQL(typeof(AllocationModule).Assembly);
        services.AddValidators(typeof(AllocationModule).Assembly);
        services.AddHealthChecks().AddDbContextCheck<AllocationDbContext>("db:" + AllocationContracts.Module);
        services.AddSingleton(new AdminMenuItem("/admin/allocation", "Menu", typeof(AllocationResources), [Roles.MinistryAdmin, Roles.DistrictOfficer], 40));
        return services;
    }

    public static WebApplication MapAllocationModule(this WebApplication app)
    {
        AllocationJobs.Register(app.Services.GetRequiredService<IRecurringJobManager>());
        return app;
    }
}

/// <summary>Marker for this module's UI strings.</summary>
internal sealed class AllocationResources;

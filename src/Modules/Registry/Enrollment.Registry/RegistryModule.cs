using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Data;
using Enrollment.Registry.Data.Population;
using Enrollment.Registry.Features.Applications;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Registry;

/// <summary>Applicants, children, the population registry port and the application lifecycle.</summary>
public static class RegistryModule
{
    public static IServiceCollection AddRegistryModule(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddModuleDbContext<RegistryDbContext, RegistrySqliteDbContext, RegistryPostgresDbContext>(database, RegistryContracts.Module);
        services.AddModuleGraphQL(typeof(RegistryModule).Assembly);
        services.AddValidators(typeof(RegistryModule).Assembly);
        services.AddHealthChecks().AddDbContextCheck<RegistryDbContext>("db:" + RegistryContracts.Module);
        services.AddPopulationRegistry();
        services.AddSingleton(sp => new ChildKeyHasher(sp.GetRequiredService<IConfiguration>(), database));
        services.AddScoped<ApplicationEvents>();
        services.AddSubmitQueue();
        services.AddScoped<IOfferDesk, MediatorOfferDesk>();
        services.AddScoped<CorrectionDeadlineJob>();
        services.AddSingleton(new Features.Proofs.ProofStore(database));
        services.AddScoped<Features.Proofs.ProofService>();
        services.AddScoped<Features.Proofs.RetentionJob>();
        services.AddScoped<GraphQL.ProofLoader>();
        services.AddSingleton(new AdminMenuItem("/admin/registry", "Menu", typeof(RegistryResources), [Roles.MinistryAdmin, Roles.DistrictOfficer, Roles.SchoolAdmin], 30));
        return services;
    }

    public static WebApplication MapRegistryModule(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<CorrectionDeadlineJob>(
            CorrectionDeadlineJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Hourly(),
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<Features.Proofs.RetentionJob>(
            Features.Proofs.RetentionJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Daily(3),
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
        Features.Proofs.ProofEndpoints.MapProofEndpoints(app);
        return app;
    }
}

/// <summary>Marker for this module's UI strings.</summary>
internal sealed class RegistryResources;

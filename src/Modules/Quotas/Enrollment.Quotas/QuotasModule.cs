using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Quotas.Contracts;
using Enrollment.Quotas.Data;
using Enrollment.Quotas.Features;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Quotas;

/// <summary>Campaigns, stages, switches and first-grade quotas per language.</summary>
public static class QuotasModule
{
    public static IServiceCollection AddQuotasModule(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddModuleDbContext<QuotasDbContext, QuotasSqliteDbContext, QuotasPostgresDbContext>(database, QuotasContracts.Module);
        services.AddScoped<CurrentCampaign>();
        services.AddSingleton<CampaignCalendar>();
        services.AddSingleton<ProgramsCopy>();
        services.AddScoped<ISchoolDirectory, MediatorSchoolDirectory>();
        services.AddScoped<IEligibleChildren, MediatorEligibleChildren>();
        services.AddScoped<StageWatchJob>();
        services.AddModuleGraphQL(typeof(QuotasModule).Assembly);
        services.AddValidators(typeof(QuotasModule).Assembly);
        services.AddHealthChecks().AddDbContextCheck<QuotasDbContext>("db:" + QuotasContracts.Module);
        services.AddSingleton(new AdminMenuItem("/admin/quotas", "Menu", typeof(QuotasResources), Roles.Staff, 20));
        return services;
    }

    public static WebApplication MapQuotasModule(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<StageWatchJob>(
            StageWatchJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Minutely(),
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
        return app;
    }
}

/// <summary>Marker for this module's UI strings.</summary>
internal sealed class QuotasResources;

using Enrollment.BuildingBlocks.Admin;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Reporting.Contracts;
using Enrollment.Reporting.Data;
using Enrollment.Reporting.Features;
using Enrollment.Reporting.Features.OpenData;
using Enrollment.Reporting.Features.ReadModel;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Reporting;

/// <summary>Open data, ministry reports, dashboards, exports and ad-hoc analytics.</summary>
public static class ReportingModule
{
    public static IServiceCollection AddReportingModule(this IServiceCollection services, DatabaseOptions database)
    {
        // Read tables rebuilt from other modules' facts: not business actions, so not audited row by row.
        // Read models written beside every submit: on SQLite a file of their own (ADR 0907).
        services.AddModuleDbContext<ReportingDbContext, ReportingSqliteDbContext, ReportingPostgresDbContext>(
            database, ReportingContracts.Module, audited: false, ownSqliteFile: true);
        services.AddScoped<IReportingSources, MediatorSources>();
        services.AddScoped<ReadModelWriter>();
        services.AddSingleton<ReadModelCache>();
        services.AddScoped<OpenDataReader>();
        services.AddOptions<OpenDataOptions>().BindConfiguration(OpenDataOptions.Section)
            .Validate(o => o.MaxAge >= TimeSpan.Zero && o.MaxAge <= TimeSpan.FromMinutes(10), "Reporting:OpenData:MaxAge must be 0..10 min.").ValidateOnStart();
        services.AddSingleton<OpenDataAnswers>();
        services.AddScoped<RebuildReadModelsJob>();
        services.AddModuleGraphQL(typeof(ReportingModule).Assembly);
        services.AddValidators(typeof(ReportingModule).Assembly);
        services.AddScoped<RefreshOpenDataJob>();
        services.AddHealthChecks().AddDbContextCheck<ReportingDbContext>("db:" + ReportingContracts.Module);
        services.AddSingleton(new AdminMenuItem("/admin/reporting", "Menu", typeof(ReportingResources), Roles.Staff, 50));
        return services;
    }

    public static WebApplication MapReportingModule(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RefreshOpenDataJob>(
            RefreshOpenDataJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Hourly(),
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RebuildReadModelsJob>(
            RebuildReadModelsJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Daily(3, 40),
            new RecurringJobOptions { TimeZone = Enrollment.BuildingBlocks.Time.Bishkek.Zone });
        app.MapOpenDataEndpoints();
        return app;
    }
}

/// <summary>Marker for this module's UI strings.</summary>
internal sealed class ReportingResources;

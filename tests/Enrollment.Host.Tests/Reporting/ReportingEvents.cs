using Enrollment.DemoData;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Quotas.Contracts;
using Enrollment.Registry.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Reporting;

/// <summary>A host of its own (Reporting tests publish events into its read tables).</summary>
public sealed class ReportingFactory : EnrollmentFactory
{
    /// <summary>The analyst tests' applications, published once per host.</summary>
    internal Task? AnalystSeason { get; set; }

    /// <summary>The open-data tests' applications, published once per host.</summary>
    internal Task? OpenDataSeason { get; set; }
}

/// <summary>
/// Publishes <see cref="ApplicationStatusChanged"/> events through the host's Mediator, exactly as Registry does after a
/// committed status change, so Reporting's read tables fill without the Registry application handlers.
/// </summary>
internal sealed class ReportingEvents(WebApplicationFactory<Program> factory)
{
    private int _child;

    public static IReadOnlyList<DemoSchool> Participating => [.. Tiny.Data.Schools.Where(s => s.ParticipatesInEnrollment).OrderBy(s => s.Code, StringComparer.Ordinal)];

    public static string RegionOf(DemoSchool s) => Tiny.Data.Districts.Single(d => d.Code == s.DistrictCode).RegionCode;

    public async Task<Guid> CampaignIdAsync()
    {
        using var scope = factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetCurrentCampaign()))!.Id;
    }

    /// <summary>One submitted application whose first choice is <paramref name="school"/> (language: its first).</summary>
    public async Task<ApplicationFactDto> SubmitAsync(DemoSchool school, DateTimeOffset at, char sex = 'F', string? priority = null, string stage = "StageOne")
    {
        var e = Submitted(await CampaignIdAsync(), school, at, sex, priority, stage);
        await PublishAsync(e);
        return e.Application;
    }

    /// <summary>The event Registry publishes for one submitted application (not published).</summary>
    public ApplicationStatusChanged Submitted(Guid campaign, DemoSchool school, DateTimeOffset at, char sex = 'F', string? priority = null, string stage = "StageOne")
    {
        var fact = new ApplicationFactDto(Guid.CreateVersion7(at), campaign, $"k{Interlocked.Increment(ref _child):00000}", 2019, sex, ApplicationStatus.Submitted, stage, at,
            [new ProgramKeyDto(school.Code, school.Languages[0], 1)], priority, priority is not null, null, at);
        return new ApplicationStatusChanged(Guid.CreateVersion7(at), fact, ApplicationStatus.Draft, ApplicationStatus.Submitted, at, "parent", null);
    }

    public async Task PublishAsync(INotification e)
    {
        using var scope = factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(e);
    }
}
